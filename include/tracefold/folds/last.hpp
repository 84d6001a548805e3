#pragma once
/// @file
/// `folds::last<T>`: the last input.

#include <concepts>
#include <optional>

namespace tracefold::folds {

/// The last input as `T`, or `nullopt`. Mergeable (the right state wins when set).
/// Views in `T` refer to the input: not for streaming.
template <class T>
struct last_fn {
  /// Nothing seen.
  constexpr std::optional<T> init() const { return std::nullopt; }
  /// Replaces the state with `x`.
  template <class In>
    requires std::constructible_from<T, const In&>
  constexpr std::optional<T> step(std::optional<T> s, const In& x) const {
    s.emplace(x);
    return s;
  }
  /// `b` if set, else `a`.
  constexpr std::optional<T> merge(std::optional<T> a, std::optional<T> b) const {
    return b ? std::move(b) : std::move(a);
  }
  /// The last input, if any.
  constexpr std::optional<T> done(std::optional<T> s) const { return s; }
};

/// `folds::last<T>`: see `last_fn`.
template <class T>
inline constexpr last_fn<T> last{};

}  // namespace tracefold::folds
