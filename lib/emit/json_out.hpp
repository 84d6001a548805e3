#pragma once
// Appending JSON to a std::string: escaped strings (table-driven, invalid UTF-8 repaired),
// integers and doubles with std::to_chars. Lib-internal.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <tracefold/folds/detail/latency_value.hpp>

#include "../ingest/text_util.hpp"

namespace tracefold::emit::detail {

/// Byte classes for JSON string output: 0 copy as is, 1 escape, 2 start of a non-ASCII
/// sequence (validated).
struct escape_table {
  unsigned char cls[256];
  constexpr escape_table() : cls{} {
    for (int c = 0; c < 256; ++c)
      cls[c] = c < 0x20 || c == '"' || c == '\\' ? 1 : c >= 0x80 ? 2 : 0;
  }
};
inline constexpr escape_table json_escapes{};

/// Appends `s` as a JSON string literal. Control characters become `\u00XX`; invalid UTF-8
/// bytes become U+FFFD. Returns true when something was repaired.
inline bool append_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  bool repaired = false;
  out.push_back('"');
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    std::size_t run = i;
    while (run < n && json_escapes.cls[static_cast<unsigned char>(s[run])] == 0) ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i == n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (json_escapes.cls[c] == 1) {
      if (c == '"') {
        out += "\\\"";
      } else if (c == '\\') {
        out += "\\\\";
      } else {
        const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(esc, 6);
      }
      ++i;
    } else {
      const std::size_t len = ingest::detail::utf8_sequence(s, i);
      if (len == 0) {
        out += "\xEF\xBF\xBD";
        repaired = true;
        ++i;
      } else {
        out.append(s.data() + i, len);
        i += len;
      }
    }
  }
  out.push_back('"');
  return repaired;
}

/// Appends an unsigned integer as a JSON number.
inline void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(p - buf));
}

/// Appends a signed integer as a JSON number.
inline void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(p - buf));
}

/// Appends an unsigned integer as a JSON string of decimal digits (protobuf's int64 mapping).
inline void append_uint_string(std::string& out, std::uint64_t v) {
  out.push_back('"');
  append_uint(out, v);
  out.push_back('"');
}

/// Appends a double: shortest round-trip form, or "NaN" / "Infinity" / "-Infinity" strings.
inline void append_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "\"NaN\"";
  } else if (std::isinf(v)) {
    out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(p - buf));
  }
}

/// Appends a 128-bit unsigned integer in decimal (a histogram's exact sum).
inline void append_uint128(std::string& out, tracefold::detail::uint128 v) {
  ingest::detail::append_decimal(out, v);
}

}  // namespace tracefold::emit::detail
