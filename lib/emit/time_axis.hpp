#pragma once
// Round tick values for a time axis, and their labels in human units. Lib-internal; shared by
// the SVG waterfall and the terminal timeline.

#include <algorithm>
#include <cstdint>
#include <string>

#include "xml_out.hpp"

namespace tracefold::emit::detail {

/// The smallest "round" step at least `range_ns / max_ticks`: 1, 2, 2.5 or 5 times a power
/// of ten below a minute; then 1, 2, 5, 10, 15, 30 minutes; 1, 2, 3, 6, 12 hours; then whole
/// days. Never 0.
inline std::uint64_t tick_step(std::uint64_t range_ns, std::uint64_t max_ticks) {
  if (max_ticks == 0) max_ticks = 1;
  const std::uint64_t want = range_ns / max_ticks + (range_ns % max_ticks != 0 ? 1 : 0);
  constexpr std::uint64_t s = 1'000'000'000;
  constexpr std::uint64_t minute = 60 * s;
  if (want <= 1) return 1;
  if (want <= 25 * s) {
    // 1, 2, 2.5, 5 x 10^k; 2.5 only from 10^k >= 10 (so a step is a whole number of ns).
    for (std::uint64_t p = 1;; p *= 10) {
      if (want <= p) return p;
      if (want <= 2 * p) return 2 * p;
      if (p >= 10 && want <= 5 * p / 2) return 5 * p / 2;
      if (want <= 5 * p) return 5 * p;
    }
  }
  for (std::uint64_t m : {1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440})
    if (want <= m * minute) return m * minute;
  const std::uint64_t day = 1440 * minute;
  const std::uint64_t days = want / day + (want % day != 0 ? 1 : 0);
  return std::min(days, UINT64_MAX / day) * day;  // the last whole day below 2^64 at most
}

/// Appends a tick value (a multiple of `step_ns`) in the largest unit not above it, exactly
/// and without trailing zeros: "0", "250ms", "1.5s", "1.25s", "7.5µs" ("us" when `ascii`);
/// with steps of whole minutes, "2m", "1h30m".
inline void append_tick_label(std::string& out, std::uint64_t value_ns, std::uint64_t step_ns,
                              bool ascii = false) {
  if (value_ns == 0) {
    out.push_back('0');
    return;
  }
  constexpr std::uint64_t s = 1'000'000'000;
  if (step_ns >= 60 * s && step_ns % (60 * s) == 0) {
    const std::uint64_t minutes = value_ns / (60 * s);
    if (minutes >= 60) {
      append_uint(out, minutes / 60);
      out.push_back('h');
      if (minutes % 60 != 0) {
        append_uint(out, minutes % 60);
        out.push_back('m');
      }
    } else {
      append_uint(out, minutes);
      out.push_back('m');
    }
    return;
  }
  std::uint64_t unit = 1;
  std::string_view name = "ns";
  if (value_ns >= s) {
    unit = s;
    name = "s";
  } else if (value_ns >= 1'000'000) {
    unit = 1'000'000;
    name = "ms";
  } else if (value_ns >= 1'000) {
    unit = 1'000;
    name = ascii ? "us" : "\xC2\xB5s";
  }
  append_uint(out, value_ns / unit);
  std::uint64_t frac = value_ns % unit;
  if (frac != 0) {
    out.push_back('.');
    for (std::uint64_t d = unit / 10; d != 0 && frac != 0; d /= 10) {
      out.push_back(static_cast<char>('0' + frac / d));
      frac %= d;
    }
  }
  out += name;
}

}  // namespace tracefold::emit::detail
