#pragma once
/// @file
/// `folds::count`: the number of inputs.

#include <cstdint>

namespace tracefold::folds {

/// Counts inputs of any type. `S = uint64`, O(1), mergeable (by addition), no allocation.
struct count_fn {
  /// Zero.
  constexpr std::uint64_t init() const noexcept { return 0; }
  /// `n + 1`.
  template <class In>
  constexpr std::uint64_t step(std::uint64_t n, const In&) const noexcept {
    return n + 1;
  }
  /// `a + b`.
  constexpr std::uint64_t merge(std::uint64_t a, std::uint64_t b) const noexcept { return a + b; }
  /// The count.
  constexpr std::uint64_t done(std::uint64_t n) const noexcept { return n; }
};

/// See `count_fn`.
inline constexpr count_fn count{};

}  // namespace tracefold::folds
