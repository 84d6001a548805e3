#pragma once
/// @file
/// `folds::first<T>`: the first input.

#include <concepts>
#include <optional>

namespace tracefold::folds {

/// The first input as `T`, or `nullopt`. Mergeable (the left state wins).
/// If `T` is a view (`span_ref`, `string_view`) the result refers to the input: do not use
/// it when streaming (DESIGN.md, lifetimes).
template <class T>
struct first_fn {
  /// Nothing seen.
  constexpr std::optional<T> init() const { return std::nullopt; }
  /// Keeps the state if set, else takes `x`.
  template <class In>
    requires std::constructible_from<T, const In&>
  constexpr std::optional<T> step(std::optional<T> s, const In& x) const {
    if (!s) s.emplace(x);
    return s;
  }
  /// `a` if set, else `b`.
  constexpr std::optional<T> merge(std::optional<T> a, std::optional<T> b) const {
    return a ? std::move(a) : std::move(b);
  }
  /// The first input, if any.
  constexpr std::optional<T> done(std::optional<T> s) const { return s; }
};

/// `folds::first<T>`: see `first_fn`.
template <class T>
inline constexpr first_fn<T> first{};

}  // namespace tracefold::folds
