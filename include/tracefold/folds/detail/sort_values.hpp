#pragma once
/// @file
/// `detail::sort_values`: sorts kept values (durations) for exact quantiles.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tracefold::detail {

/// Sorts `v` ascending, as `std::sort` would: a least-significant-digit radix sort on bytes
/// that skips every byte all values share (durations in nanoseconds vary in their low four or
/// five bytes only), so it takes one counting pass and at most eight scatter passes.
/// `std::sort` below 256 values. O(n) time; allocates one scratch array of n values.
inline void sort_values(std::vector<std::uint64_t>& v) {
  const std::size_t n = v.size();
  if (n < 256) {
    std::sort(v.begin(), v.end());
    return;
  }
  std::array<std::array<std::size_t, 256>, 8> counts{};
  for (const std::uint64_t x : v)
    for (std::size_t b = 0; b < 8; ++b) ++counts[b][(x >> (8 * b)) & 0xff];
  std::vector<std::uint64_t> scratch(n);
  std::uint64_t* from = v.data();
  std::uint64_t* to = scratch.data();
  for (std::size_t b = 0; b < 8; ++b) {
    std::array<std::size_t, 256>& c = counts[b];
    if (c[(from[0] >> (8 * b)) & 0xff] == n) continue;  // every value has this byte
    std::size_t at = 0;
    for (std::size_t& k : c) {  // counts become the first slot of each byte value
      const std::size_t here = k;
      k = at;
      at += here;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t x = from[i];
      to[c[(x >> (8 * b)) & 0xff]++] = x;
    }
    std::swap(from, to);
  }
  if (from != v.data()) v.swap(scratch);
}

}  // namespace tracefold::detail
