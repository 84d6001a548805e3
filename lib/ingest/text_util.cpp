#include "text_util.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace tracefold::ingest::detail {

namespace {
/// All of `s` (1 to 19 bytes) as decimal digits: no overflow is possible. False on a
/// non-digit.
bool short_decimal(std::string_view s, std::uint64_t& out) noexcept {
  std::uint64_t x = 0;
  for (char c : s) {
    const auto d = static_cast<unsigned>(c - '0');
    if (d > 9) return false;
    x = x * 10 + d;
  }
  out = x;
  return true;
}
}  // namespace

bool parse_decimal(std::string_view s, std::uint64_t& out) noexcept {
  if (s.empty() || s[0] < '0' || s[0] > '9') return false;
  if (s.size() <= 19) return short_decimal(s, out);  // (timestamps: 19 digits)
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_signed(std::string_view s, std::int64_t& out) noexcept {
  if (s.empty()) return false;
  const std::size_t digits = s[0] == '-' ? 1 : 0;
  if (s.size() == digits || s[digits] < '0' || s[digits] > '9') return false;
  if (s.size() - digits <= 18) {  // fits whatever the digits
    std::uint64_t x = 0;
    if (!short_decimal(s.substr(digits), x)) return false;
    out = digits != 0 ? -static_cast<std::int64_t>(x) : static_cast<std::int64_t>(x);
    return true;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_double_text(std::string_view s, double& out) noexcept {
  if (s == "NaN") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (s == "Infinity") {
    out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == "-Infinity") {
    out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (s.empty() || s[0] == '+' || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

namespace {
int b64_digit(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}
}  // namespace

bool decode_base64(std::string_view s, std::string& out) {
  out.clear();
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  if (s.size() % 4 == 1) return false;
  out.reserve(s.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    const int d = b64_digit(c);
    if (d < 0) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

void encode_base64(std::string_view raw, std::string& out) {
  static constexpr char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t i = 0;
  for (; i + 3 <= raw.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(raw[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(raw[i + 1])} << 8) |
                            std::uint32_t{static_cast<unsigned char>(raw[i + 2])};
    out.push_back(digits[(v >> 18) & 63]);
    out.push_back(digits[(v >> 12) & 63]);
    out.push_back(digits[(v >> 6) & 63]);
    out.push_back(digits[v & 63]);
  }
  const std::size_t rest = raw.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{static_cast<unsigned char>(raw[i])} << 16;
    out.push_back(digits[(v >> 18) & 63]);
    out.push_back(digits[(v >> 12) & 63]);
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(raw[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(raw[i + 1])} << 8);
    out.push_back(digits[(v >> 18) & 63]);
    out.push_back(digits[(v >> 12) & 63]);
    out.push_back(digits[(v >> 6) & 63]);
    out.push_back('=');
  }
}

std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

std::size_t first_invalid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) return i;
    i += n;
  }
  return s.size();
}

std::string repair_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string hex_byte(unsigned char b) {
  static constexpr char digits[] = "0123456789abcdef";
  return {digits[b >> 4], digits[b & 15]};
}

namespace {

/// `printable_excerpt` and `raw_excerpt`: cut at `max` bytes (not mid-sequence), control
/// bytes as `\xNN`, and quotes and backslashes escaped when `escape_quotes`.
std::string excerpt(std::string_view s, std::size_t max, bool escape_quotes) {
  std::string out;
  bool cut = false;
  if (s.size() > max) {
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not mid-sequence
    s = s.substr(0, n);
    cut = true;
  }
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (escape_quotes && (c == '"' || c == '\\')) {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += hex_byte(u);
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  return out;
}

}  // namespace

std::string printable_excerpt(std::string_view s, std::size_t max) { return excerpt(s, max, true); }

std::string raw_excerpt(std::string_view s, std::size_t max) { return excerpt(s, max, false); }

std::string text_at(const char* data, std::size_t size, std::size_t at) {
  if (at >= size) return "the end of the input";
  std::size_t end = at;
  while (end < size && end - at < 40 && data[end] != '\n' && data[end] != '\r') ++end;
  return "`" + raw_excerpt(std::string_view(data + at, end - at), 32) + "`";
}

void append_decimal(std::string& out, tracefold::detail::uint128 v) {
  char digits[40];  // 2^128 - 1 has 39 digits
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  while (n > 0) out.push_back(digits[--n]);
}

}  // namespace tracefold::ingest::detail
