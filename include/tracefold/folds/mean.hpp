#pragma once
/// @file
/// `folds::mean`: the arithmetic mean, computed stably.

#include <concepts>
#include <cstdint>
#include <optional>

namespace tracefold::folds {

/// Running mean by Welford's update (`m += (x - m) / n`), merged by Chan et al.'s formula,
/// so large and many values do not lose precision the way `sum / n` does.
/// `nullopt` for no input. O(1), mergeable, no allocation.
struct mean_fn {
  /// Count and running mean.
  struct state_type {
    std::uint64_t n = 0;  ///< inputs seen
    double mean = 0;      ///< their mean
  };
  /// Nothing seen.
  constexpr state_type init() const noexcept { return {}; }
  /// Welford's update.
  template <class In>
    requires std::convertible_to<const In&, double>
  constexpr state_type step(state_type s, const In& x) const noexcept {
    ++s.n;
    s.mean += (static_cast<double>(x) - s.mean) / static_cast<double>(s.n);
    return s;
  }
  /// Weighted combination of two means.
  constexpr state_type merge(state_type a, state_type b) const noexcept {
    if (a.n == 0) return b;
    if (b.n == 0) return a;
    const std::uint64_t n = a.n + b.n;
    return {n, a.mean + (b.mean - a.mean) * (static_cast<double>(b.n) / static_cast<double>(n))};
  }
  /// The mean, if any input was seen.
  constexpr std::optional<double> done(state_type s) const noexcept {
    if (s.n == 0) return std::nullopt;
    return s.mean;
  }
};

/// See `mean_fn`.
inline constexpr mean_fn mean{};

}  // namespace tracefold::folds
