#pragma once
// A duration for people, written in place: the text of `to_red_text_fn::format_duration`
// without a std::string per call (the SVG waterfall writes four per row). Lib-internal.

#include <charconv>
#include <cstdint>
#include <cstring>

#include "xml_out.hpp"

namespace tracefold::emit::detail {

/// Bytes `write_duration` writes at most ("5124095h00m" is the longest).
inline constexpr std::size_t duration_room = 24;

/// Writes `ns` as `to_red_text_fn::format_duration(ns, ascii)` does at `d` (room for
/// `duration_room` bytes) and returns the end: "0ns", "950ns"; three significant digits below
/// a minute ("1.00µs", "950µs", "12.3ms", "1.24s", "59.9s"); then "2m03s" and "1h02m",
/// rounded to the nearest unit shown. `ascii` writes "us" instead of "µs".
inline char* write_duration(char* d, std::uint64_t ns, bool ascii = false) noexcept {
  constexpr std::uint64_t ns_per_s = 1'000'000'000;
  if (ns < 1000) {
    d = std::to_chars(d, d + 3, ns).ptr;
    *d++ = 'n';
    *d++ = 's';
    return d;
  }
  if (ns < 60 * ns_per_s) {
    // Three significant digits: q in [100, 999] times 10^(digits - 3), rounded half up.
    // Counted without a loop: a duration's size varies from row to row, so a loop's exit (or
    // a switch) would be mispredicted about every time.
    int digits = 4 + (ns >= 10'000) + (ns >= 100'000) + (ns >= 1'000'000) + (ns >= 10'000'000) +
                 (ns >= 100'000'000) + (ns >= 1'000'000'000) + (ns >= 10'000'000'000);
    const std::uint64_t p = powers_of_ten[digits - 3];
    std::uint64_t q = (ns + p / 2) / p;
    if (q == 1000) {
      q = 100;
      ++digits;
    }
    // The value shown is q * 10^(digits - 3) ns. Units: µs below 10^6, ms below 10^9, else s.
    const int unit_exp = digits <= 6 ? 3 : digits <= 9 ? 6 : 9;
    const bool minutes = digits == 11 && q >= 600;  // 60 s or more after rounding
    if (!minutes) {
      // "ddd", "dd.d" or "d.dd"; writes four bytes, keeps three or four.
      const int whole = digits - unit_exp;  // 1, 2 or 3
      const char d0 = static_cast<char>('0' + q / 100);
      const char d1 = static_cast<char>('0' + q / 10 % 10);
      const char d2 = static_cast<char>('0' + q % 10);
      d[0] = d0;
      d[1] = whole == 1 ? '.' : d1;
      d[2] = whole == 1 ? d1 : whole == 2 ? '.' : d2;
      d[3] = d2;
      d += whole == 3 ? 3 : 4;
      // The unit, from four bytes of which the first one, two or three are kept.
      const char* unit = unit_exp == 3   ? (ascii ? "us\0" : "\xC2\xB5s")
                         : unit_exp == 6 ? "ms\0"
                                         : "s\0\0";
      std::memcpy(d, unit, 4);
      return d + (unit_exp == 3 ? (ascii ? 2 : 3) : unit_exp == 6 ? 2 : 1);
    }
  }
  const auto two = [](char* p, std::uint64_t v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
    return p + 2;
  };
  const std::uint64_t s = ns / ns_per_s + (ns % ns_per_s >= ns_per_s / 2 ? 1 : 0);
  if (s < 3600) {
    d = std::to_chars(d, d + 20, s / 60).ptr;
    *d++ = 'm';
    d = two(d, s % 60);
    *d++ = 's';
    return d;
  }
  constexpr std::uint64_t ns_per_min = 60 * ns_per_s;
  const std::uint64_t m = ns / ns_per_min + (ns % ns_per_min >= ns_per_min / 2 ? 1 : 0);
  d = std::to_chars(d, d + 20, m / 60).ptr;
  *d++ = 'h';
  d = two(d, m % 60);
  *d++ = 'm';
  return d;
}

}  // namespace tracefold::emit::detail
