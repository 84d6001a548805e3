#pragma once
// Appending text taken from traces to XML (SVG, HTML): escaped, controls dropped, invalid
// UTF-8 repaired, optionally cut to a number of code points. Lib-internal.
//
// The work is done by `write_xml`, which writes through a raw pointer into room the caller
// has made (`xml_room` bytes); `append_xml` wraps it for a std::string. Clean runs of text
// (the usual case) are found 16 bytes at a time with SSE2 where the target has it.

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

#if defined(__SSE2__)
/// One bit per byte of `v` whose class in `xml_classes` is not 0: below 0x20 or from 0x80
/// (one signed comparison), DEL, `"`, `&` and `'` (0x26 and 0x27 are equal once bit 0 is
/// set), `<` and `>` (0x3C and 0x3E are equal once bit 1 is set).
inline unsigned xml_work_mask(__m128i v) noexcept {
  const __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  const __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F));
  const __m128i quot = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  const __m128i amp = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)), _mm_set1_epi8('\''));
  const __m128i angle = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(2)), _mm_set1_epi8('>'));
  const __m128i any =
      _mm_or_si128(_mm_or_si128(low, del), _mm_or_si128(quot, _mm_or_si128(amp, angle)));
  return static_cast<unsigned>(_mm_movemask_epi8(any));
}
#endif

/// Copies the first `n` bytes of `s` to `d` as far as they are of class 0, and returns how
/// many are: the length of the clean prefix. May write up to `n` bytes to `d` (bytes after
/// the clean prefix are scratch, to be overwritten). Reads only `s[0, n)`.
[[gnu::always_inline]] inline std::size_t copy_clean(char* d, const char* s,
                                                     std::size_t n) noexcept {
#if defined(__SSE2__)
  if (n >= 16) {
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d + i), v);
      if (const unsigned m = xml_work_mask(v); m != 0)
        return i + static_cast<std::size_t>(__builtin_ctz(m));
    }
    if (i < n) {  // the last 16 bytes, overlapping what is already known to be clean
      const std::size_t j = n - 16;
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + j));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d + j), v);
      if (const unsigned m = xml_work_mask(v) >> (i - j); m != 0)
        return i + static_cast<std::size_t>(__builtin_ctz(m));
    }
    return n;
  }
  if (n >= 8) {  // two overlapping 8-byte halves
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    std::memcpy(&lo, s, 8);
    std::memcpy(&hi, s + n - 8, 8);
    std::memcpy(d, &lo, 8);
    std::memcpy(d + n - 8, &hi, 8);
    const unsigned m =
        xml_work_mask(_mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo)));
    if (m == 0) return n;
    if ((m & 0xFF) != 0) return static_cast<std::size_t>(__builtin_ctz(m));
    return n - 8 + static_cast<std::size_t>(__builtin_ctz(m >> 8));
  }
  if (n >= 4) {  // two overlapping 4-byte halves; the upper 8 bytes (zeros) are masked off
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
    std::memcpy(&lo, s, 4);
    std::memcpy(&hi, s + n - 4, 4);
    std::memcpy(d, &lo, 4);
    std::memcpy(d + n - 4, &hi, 4);
    const unsigned m = xml_work_mask(_mm_cvtsi64_si128(
                           static_cast<long long>((static_cast<std::uint64_t>(hi) << 32) | lo))) &
                       0xFF;
    if (m == 0) return n;
    if ((m & 0xF) != 0) return static_cast<std::size_t>(__builtin_ctz(m));
    return n - 4 + static_cast<std::size_t>(__builtin_ctz(m >> 4));
  }
#endif
  for (std::size_t i = 0; i < n; ++i) {
    if (xml_classes.cls[static_cast<unsigned char>(s[i])] != 0) return i;
    d[i] = s[i];
  }
  return n;
}

/// What `append_xml` did.
struct xml_appended {
  std::size_t code_points = 0;  ///< code points written (an escape counts as one)
  bool cut = false;             ///< the text was longer than allowed and ends in an ellipsis
};

/// The room `write_xml` needs for `n` bytes of text cut to `max_code_points`: a code point
/// written takes at most 6 bytes ("&quot;"), and a cut text ends in a 3-byte ellipsis.
constexpr std::size_t xml_room(std::size_t n, std::size_t max_code_points) noexcept {
  return 6 * std::min(n, max_code_points) + 3;
}

/// The part of `write_xml` past the clean prefix: `s[0, i)` is written, `d` is where the next
/// byte goes, `last_start` where the last code point written begins (or the start), and `r`
/// counts what is written so far.
[[gnu::noinline]] inline char* write_xml_rest(char* d, std::string_view s, std::size_t i,
                                              char* last_start, std::size_t max_code_points,
                                              xml_appended& r) noexcept {
  const std::size_t n = s.size();
  // The budget check needs one code point of look-ahead: reaching the limit with text left
  // means the last code point written must give way to the ellipsis (at `last_start`).
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    const unsigned char k = xml_classes.cls[c];
    // Plain ASCII runs are copied whole (one byte is one code point).
    if (k == 0 && r.code_points < max_code_points) {
      const std::size_t run =
          copy_clean(d, s.data() + i, std::min(n - i, max_code_points - r.code_points));
      d += run;
      r.code_points += run;
      last_start = d - 1;
      i += run;
      continue;
    }
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
      r.cut = true;
      if (max_code_points == 0) return d;
      std::memcpy(last_start, "\xE2\x80\xA6", 3);
      return last_start + 3;
    }
    last_start = d;
    if (k == 0) {
      *d++ = static_cast<char>(c);
      ++i;
    } else if (k == 1) {
      const std::string_view e = c == '&'   ? std::string_view("&amp;")
                                 : c == '<' ? std::string_view("&lt;")
                                 : c == '>' ? std::string_view("&gt;")
                                 : c == '"' ? std::string_view("&quot;")
                                            : std::string_view("&#39;");
      std::memcpy(d, e.data(), e.size());
      d += e.size();
      ++i;
    } else if (len == 0) {
      std::memcpy(d, "\xEF\xBF\xBD", 3);
      d += 3;
      ++i;
    } else {
      std::memcpy(d, s.data() + i, len);
      d += len;
      i += len;
    }
    ++r.code_points;
  }
  return d;
}

/// Writes `s` at `d` as XML character data that is also safe inside a double- or
/// single-quoted attribute, and returns the end of what it wrote; `d` must have room for
/// `xml_room(s.size(), max_code_points)` bytes (it may write scratch bytes past the returned
/// end, within that room). `& < > " '` become entities; controls, DEL, C1 controls,
/// bidirectional formatting characters, U+FFFE and U+FFFF are dropped; invalid UTF-8 becomes
/// U+FFFD. At most `max_code_points` code points are written: a longer text is cut to one
/// less and ends in "…". Dropped characters do not count.
[[gnu::always_inline]] inline char* write_xml(char* d, std::string_view s,
                                              std::size_t max_code_points,
                                              xml_appended& r) noexcept {
  const std::size_t n = s.size();
  // The usual case: plain ASCII within the budget, nothing to escape, drop or cut.
  if (n <= max_code_points) {
    const std::size_t k = copy_clean(d, s.data(), n);
    r = {k, false};
    if (k == n) [[likely]]
      return d + n;
    return write_xml_rest(d + k, s, k, k != 0 ? d + k - 1 : d, max_code_points, r);
  }
  r = {};
  return write_xml_rest(d, s, 0, d, max_code_points, r);
}

/// Appends `s` to `out` as `write_xml` writes it.
inline xml_appended append_xml(std::string& out, std::string_view s,
                               std::size_t max_code_points = std::size_t(-1)) {
  xml_appended r;
  const std::size_t at = out.size();
  out.resize(at + xml_room(s.size(), max_code_points));
  const char* end = write_xml(out.data() + at, s, max_code_points, r);
  out.resize(static_cast<std::size_t>(end - out.data()));
  return r;
}

/// "00", "01", ... "99": two digits at a time.
struct digit_pair_table {
  char text[200];
  constexpr digit_pair_table() : text{} {
    for (int k = 0; k < 100; ++k) {
      text[2 * k] = static_cast<char>('0' + k / 10);
      text[2 * k + 1] = static_cast<char>('0' + k % 10);
    }
  }
};
inline constexpr digit_pair_table digit_pairs{};

/// 10^0 to 10^19.
inline constexpr std::uint64_t powers_of_ten[20] = {1ull,
                                                    10ull,
                                                    100ull,
                                                    1'000ull,
                                                    10'000ull,
                                                    100'000ull,
                                                    1'000'000ull,
                                                    10'000'000ull,
                                                    100'000'000ull,
                                                    1'000'000'000ull,
                                                    10'000'000'000ull,
                                                    100'000'000'000ull,
                                                    1'000'000'000'000ull,
                                                    10'000'000'000'000ull,
                                                    100'000'000'000'000ull,
                                                    1'000'000'000'000'000ull,
                                                    10'000'000'000'000'000ull,
                                                    100'000'000'000'000'000ull,
                                                    1'000'000'000'000'000'000ull,
                                                    10'000'000'000'000'000'000ull};

/// Decimal digits of `v` (1 for 0).
inline int decimal_digits(std::uint64_t v) noexcept {
  v |= 1;  // same number of digits, and a bit width of at least 1
  // floor(log10(2^(bits - 1))) or one more: 1233 / 4096 is just above log10(2).
  const int t = ((64 - __builtin_clzll(v)) * 1233) >> 12;
  return t + 1 - (v < powers_of_ten[t] ? 1 : 0);
}

/// Writes `v` in decimal at `d` (room for 20 bytes) and returns the end.
inline char* write_uint(char* d, std::uint64_t v) noexcept {
  char* const e = d + decimal_digits(v);
  char* q = e;
  while (v >= 100) {
    q -= 2;
    std::memcpy(q, digit_pairs.text + 2 * (v % 100), 2);
    v /= 100;
  }
  if (v >= 10)
    std::memcpy(q - 2, digit_pairs.text + 2 * v, 2);
  else
    q[-1] = static_cast<char>('0' + v);
  return e;
}

/// Writes a coordinate given in tenths of a pixel at `d` (room for 23 bytes): "12", "12.5",
/// "-3.2", "0.5"; returns the end.
inline char* write_tenths(char* d, std::int64_t tenths) noexcept {
  if (tenths < 0) {
    *d++ = '-';
    tenths = -tenths;
  }
  const auto t = static_cast<std::uint64_t>(tenths);
  if (t < 10) {
    *d++ = '0';
    if (t != 0) {
      *d++ = '.';
      *d++ = static_cast<char>('0' + t);
    }
    return d;
  }
  // All the digits of t, then the last one moves behind a point (or goes, when it is 0).
  char* const e = write_uint(d, t);
  const char last = e[-1];
  const bool fraction = last != '0';
  e[-1] = fraction ? '.' : last;
  *e = last;
  return fraction ? e + 1 : e - 1;
}

/// Appends `v` in decimal.
inline void append_uint(std::string& out, std::uint64_t v) {
  char buf[20];
  out.append(buf, write_uint(buf, v));
}

/// Appends a coordinate given in tenths of a pixel: "12", "12.5", "-3.2".
inline void append_tenths(std::string& out, std::int64_t tenths) {
  char buf[24];  // 23 at most
  out.append(buf, write_tenths(buf, tenths));
}

}  // namespace tracefold::emit::detail
