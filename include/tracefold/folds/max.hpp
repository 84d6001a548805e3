#pragma once
/// @file
/// `folds::max`: the largest input.

#include <concepts>
#include <cstdint>
#include <optional>

namespace tracefold::folds {

/// The largest input as `T`, or `nullopt` for no input. O(1), mergeable, no allocation.
template <class T>
struct max_fn {
  /// No value yet.
  constexpr std::optional<T> init() const noexcept { return std::nullopt; }
  /// Keeps the larger of the state and `x`.
  template <class In>
    requires std::convertible_to<const In&, T>
  constexpr std::optional<T> step(std::optional<T> s, const In& x) const {
    const T v = static_cast<T>(x);
    if (!s || *s < v) s = v;
    return s;
  }
  /// The larger of two states.
  constexpr std::optional<T> merge(std::optional<T> a, std::optional<T> b) const {
    if (!a) return b;
    if (b && *a < *b) return b;
    return a;
  }
  /// The maximum, if any input was seen.
  constexpr std::optional<T> done(std::optional<T> s) const { return s; }
};

/// Maximum as type `T`: `folds::max_as<double>`.
template <class T>
inline constexpr max_fn<T> max_as{};

/// Maximum as `int64_t`.
inline constexpr max_fn<std::int64_t> max{};

}  // namespace tracefold::folds
