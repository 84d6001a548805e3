#pragma once
// A strict JSON reader shared by the tests of the JSON writers (red_json, timeline_json):
// RFC 8259 with no extensions, numbers limited to non-negative integers (all the writers
// emit), strings checked to be valid UTF-8 without raw control characters.

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tft {

/// A parsed JSON value (numbers: non-negative integers only, which is all the writer emits).
struct json {
  enum class type { null, boolean, number, string, array, object };
  type t = type::null;
  bool b = false;
  std::uint64_t n = 0;
  std::string s;
  std::vector<json> items;
  std::vector<std::string> keys;  ///< an object's member names, in order
  std::vector<json> values;       ///< an object's member values, aligned with `keys`

  /// The member `key` of an object (its first), or nullptr.
  [[nodiscard]] const json* find(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) return &values[i];
    return nullptr;
  }
  /// The member `key`, which must exist.
  [[nodiscard]] const json& operator[](std::string_view key) const {
    const json* v = find(key);
    REQUIRE_MESSAGE(v != nullptr, "no member " << key);
    return *v;
  }
};

/// A strict RFC 8259 reader: no trailing commas, no leading zeros, strings valid UTF-8
/// without raw control characters, escapes (surrogate pairs too) decoded. `nullopt` when the
/// text is not one JSON value with optional whitespace around it.
class json_reader {
 public:
  explicit json_reader(std::string_view s) : s_(s) {}

  std::optional<json> document() {
    json v;
    if (!value(v, 0)) return std::nullopt;
    space();
    if (i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  bool eat(char c) {
    space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool value(json& v, int depth) {
    if (depth > 64) return false;
    space();
    if (i_ == s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') {
      ++i_;
      v.t = json::type::object;
      if (eat('}')) return true;
      do {
        space();
        std::string k;
        if (!string(k) || !eat(':')) return false;
        json m;
        if (!value(m, depth + 1)) return false;
        v.keys.push_back(std::move(k));
        v.values.push_back(std::move(m));
      } while (eat(','));
      return eat('}');
    }
    if (c == '[') {
      ++i_;
      v.t = json::type::array;
      if (eat(']')) return true;
      do {
        json m;
        if (!value(m, depth + 1)) return false;
        v.items.push_back(std::move(m));
      } while (eat(','));
      return eat(']');
    }
    if (c == '"') {
      v.t = json::type::string;
      return string(v.s);
    }
    if (c >= '0' && c <= '9') {
      v.t = json::type::number;
      if (c == '0' && i_ + 1 < s_.size() && s_[i_ + 1] >= '0' && s_[i_ + 1] <= '9') return false;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
        const auto d = static_cast<std::uint64_t>(s_[i_++] - '0');
        if (v.n > (UINT64_MAX - d) / 10) return false;  // the writer stays within uint64
        v.n = v.n * 10 + d;
      }
      return i_ == s_.size() || (s_[i_] != '.' && s_[i_] != 'e' && s_[i_] != 'E');
    }
    if (word("true") || word("false")) {
      v.t = json::type::boolean;
      v.b = s_[i_ - 1] == 'e' && s_[i_ - 2] == 'u';
      return true;
    }
    return word("null");
  }
  static void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool hex4(std::uint32_t& cp) {
    if (s_.size() - i_ < 4) return false;
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') {
        cp |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        cp |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        cp |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }
  /// One valid UTF-8 sequence (RFC 3629) at i_, appended to `out`.
  bool utf8(std::string& out) {
    const auto b0 = static_cast<unsigned char>(s_[i_]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07u;
    } else {
      return false;
    }
    if (s_.size() - i_ < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s_[i_ + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    const std::uint32_t least = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.append(s_.data() + i_, len);
    i_ += len;
    return true;
  }
  bool string(std::string& out) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        if (!utf8(out)) return false;
        continue;
      }
      ++i_;
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        continue;
      }
      if (i_ == s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t lo = 0;
            if (!word("\\u") || !hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          put_utf8(out, cp);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

/// `s` as one JSON value, or nullopt when it is not strictly valid.
inline std::optional<json> parse_json(std::string_view s) { return json_reader(s).document(); }

}  // namespace tft
