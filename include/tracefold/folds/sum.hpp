#pragma once
/// @file
/// `folds::sum`: the sum of numeric inputs.

#include <concepts>
#include <cstdint>

namespace tracefold::folds {

/// Sums inputs convertible to `T` (wrapping on overflow for unsigned `T`; signed overflow is
/// the caller's to avoid). O(1) per input, mergeable, no allocation.
template <class T>
struct sum_fn {
  /// Zero.
  constexpr T init() const noexcept { return T{}; }
  /// `s + x`.
  template <class In>
    requires std::convertible_to<const In&, T>
  constexpr T step(T s, const In& x) const noexcept {
    return s + static_cast<T>(x);
  }
  /// `a + b`.
  constexpr T merge(T a, T b) const noexcept { return a + b; }
  /// The sum.
  constexpr T done(T s) const noexcept { return s; }
};

/// Sum as type `T`: `folds::sum_as<double>`.
template <class T>
inline constexpr sum_fn<T> sum_as{};

/// Sum as `int64_t` (nanosecond durations, counts).
inline constexpr sum_fn<std::int64_t> sum{};

}  // namespace tracefold::folds
