#pragma once
/// @file
/// `folds::min`: the smallest input.

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>

namespace tracefold::folds {

/// The smallest input as `T`, or `nullopt` for no input. O(1), mergeable, no allocation.
template <class T>
struct min_fn {
  /// The smallest value so far, meaningful when `set`. A flag and a value rather than a
  /// `std::optional<T>`: g++ 12 cannot keep an optional (a union) in registers once it sits
  /// in a `product`'s state, which made the fused product 5x slower than a hand loop
  /// (bench/fold, docs/performance.md). For integral `T` an unset state holds the largest
  /// `T`, so `step` need not test `set` and compiles to one conditional move, as a hand loop
  /// does. `done` still returns an optional.
  struct state_type {
    T value = unset_value();  ///< the minimum, when `set`
    bool set = false;         ///< an input was seen
    /// Same flag and, when set, same value.
    friend constexpr bool operator==(const state_type& a, const state_type& b) {
      return a.set == b.set && (!a.set || a.value == b.value);
    }
  };
  /// What an unset state holds: the largest `T` when `T` is integral, else `T{}`.
  static constexpr T unset_value() noexcept {
    if constexpr (std::is_integral_v<T>) {
      return std::numeric_limits<T>::max();
    } else {
      return T{};
    }
  }
  /// No value yet.
  constexpr state_type init() const noexcept { return {}; }
  /// Keeps the smaller of the state and `x`.
  template <class In>
    requires std::convertible_to<const In&, T>
  constexpr state_type step(state_type s, const In& x) const {
    const T v = static_cast<T>(x);
    if constexpr (std::is_integral_v<T>) {
      s.value = v < s.value ? v : s.value;
      s.set = true;
    } else {
      if (!s.set || v < s.value) s = {v, true};
    }
    return s;
  }
  /// The smaller of two states.
  constexpr state_type merge(state_type a, state_type b) const {
    if (!a.set) return b;
    if (b.set && b.value < a.value) return b;
    return a;
  }
  /// The minimum, if any input was seen.
  constexpr std::optional<T> done(state_type s) const {
    if (!s.set) return std::nullopt;
    return std::optional<T>(std::move(s.value));
  }
};

/// Minimum as type `T`: `folds::min_as<double>`.
template <class T>
inline constexpr min_fn<T> min_as{};

/// Minimum as `int64_t`.
inline constexpr min_fn<std::int64_t> min{};

}  // namespace tracefold::folds
