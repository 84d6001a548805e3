#pragma once
/// @file
/// `folds::min`: the smallest input.

#include <concepts>
#include <cstdint>
#include <optional>

namespace tracefold::folds {

/// The smallest input as `T`, or `nullopt` for no input. O(1), mergeable, no allocation.
template <class T>
struct min_fn {
  /// No value yet.
  constexpr std::optional<T> init() const noexcept { return std::nullopt; }
  /// Keeps the smaller of the state and `x`.
  template <class In>
    requires std::convertible_to<const In&, T>
  constexpr std::optional<T> step(std::optional<T> s, const In& x) const {
    const T v = static_cast<T>(x);
    if (!s || v < *s) s = v;
    return s;
  }
  /// The smaller of two states.
  constexpr std::optional<T> merge(std::optional<T> a, std::optional<T> b) const {
    if (!a) return b;
    if (b && *b < *a) return b;
    return a;
  }
  /// The minimum, if any input was seen.
  constexpr std::optional<T> done(std::optional<T> s) const { return s; }
};

/// Minimum as type `T`: `folds::min_as<double>`.
template <class T>
inline constexpr min_fn<T> min_as{};

/// Minimum as `int64_t`.
inline constexpr min_fn<std::int64_t> min{};

}  // namespace tracefold::folds
