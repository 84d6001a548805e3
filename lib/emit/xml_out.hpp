#pragma once
// Appending text taken from traces to XML (SVG, HTML): escaped, controls dropped, invalid
// UTF-8 repaired, optionally cut to a number of code points. Lib-internal.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../ingest/text_util.hpp"
#include "display_text.hpp"

namespace tracefold::emit::detail {

/// Byte classes for XML text: 0 copy as is, 1 escape (`& < > " '`), 2 drop (C0 controls,
/// DEL), 3 start of a non-ASCII sequence (validated and checked).
struct xml_table {
  unsigned char cls[256];
  constexpr xml_table() : cls{} {
    for (int c = 0; c < 256; ++c)
      cls[c] = c < 0x20 || c == 0x7F                                       ? 2
               : c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' ? 1
               : c >= 0x80                                                 ? 3
                                                                           : 0;
  }
};
inline constexpr xml_table xml_classes{};

/// What `append_xml` did.
struct xml_appended {
  std::size_t code_points = 0;  ///< code points written (an escape counts as one)
  bool cut = false;             ///< the text was longer than allowed and ends in an ellipsis
};

/// Appends `s` as XML character data that is also safe inside a double- or single-quoted
/// attribute: `& < > " '` become entities; controls, DEL, C1 controls, bidirectional
/// formatting characters, U+FFFE and U+FFFF are dropped; invalid UTF-8 becomes U+FFFD. At
/// most `max_code_points` code points are written: a longer text is cut to one less and ends
/// in "…". Dropped characters do not count.
inline xml_appended append_xml(std::string& out, std::string_view s,
                               std::size_t max_code_points = std::size_t(-1)) {
  xml_appended r;
  const std::size_t n = s.size();
  // The usual case: short plain ASCII, nothing to escape, drop or cut.
  if (n <= max_code_points) {
    unsigned char any = 0;
    for (char c : s) any |= xml_classes.cls[static_cast<unsigned char>(c)];
    if (any == 0) {
      out.append(s.data(), n);
      r.code_points = n;
      return r;
    }
  }
  std::size_t i = 0;
  // The budget check needs one code point of look-ahead: reaching the limit with text left
  // means the last code point written must give way to the ellipsis. Remember where it began.
  std::size_t last_start = out.size();
  const auto over = [&] {
    out.resize(last_start);
    out += "\xE2\x80\xA6";
    r.cut = true;
  };
  while (i < n) {
    // Plain ASCII runs are copied whole (one byte is one code point).
    if (xml_classes.cls[static_cast<unsigned char>(s[i])] == 0 && r.code_points < max_code_points) {
      const std::size_t room = max_code_points - r.code_points;
      std::size_t j = i + 1;
      while (j < n && j - i < room && xml_classes.cls[static_cast<unsigned char>(s[j])] == 0) ++j;
      out.append(s.data() + i, j - i);
      r.code_points += j - i;
      last_start = out.size() - 1;
      i = j;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    const unsigned char k = xml_classes.cls[c];
    std::size_t len = 1;
    if (k == 2) {
      ++i;
      continue;
    }
    if (k == 3) {
      len = ingest::detail::utf8_sequence(s, i);
      if (len != 0) {
        const char32_t cp = decode_utf8(s, i, len);
        if (unsafe_to_show(cp) || not_xml_char(cp)) {
          i += len;
          continue;
        }
      }
    }
    if (r.code_points == max_code_points) {
      if (max_code_points == 0) {
        r.cut = true;
      } else {
        over();
      }
      return r;
    }
    last_start = out.size();
    if (k == 0) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (k == 1) {
      out += c == '&'   ? std::string_view("&amp;")
             : c == '<' ? std::string_view("&lt;")
             : c == '>' ? std::string_view("&gt;")
             : c == '"' ? std::string_view("&quot;")
                        : std::string_view("&#39;");
      ++i;
    } else if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.data() + i, len);
      i += len;
    }
    ++r.code_points;
  }
  return r;
}

/// Appends `v` in decimal.
inline void append_uint(std::string& out, std::uint64_t v) {
  char buf[20];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out.append(p, static_cast<std::size_t>(buf + sizeof buf - p));
}

/// Appends a coordinate given in tenths of a pixel: "12", "12.5", "-3.2".
inline void append_tenths(std::string& out, std::int64_t tenths) {
  if (tenths < 0) {
    out.push_back('-');
    tenths = -tenths;
  }
  const auto t = static_cast<std::uint64_t>(tenths);
  append_uint(out, t / 10);
  if (t % 10 != 0) {
    out.push_back('.');
    out.push_back(static_cast<char>('0' + t % 10));
  }
}

}  // namespace tracefold::emit::detail
