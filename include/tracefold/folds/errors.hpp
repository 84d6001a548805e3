#pragma once
/// @file
/// `folds::errors`: the number of spans whose status is ERROR.

#include <concepts>
#include <cstdint>
#include <tracefold/folds/is_error.hpp>

namespace tracefold::folds {

/// Counts spans whose status code is `status_code::error`; others are stepped over.
///
/// Inputs: whatever `folds::is_error` takes (a `span`, a `span_ref`, an `annotated<V>`).
/// `S = uint64`, O(1) per span, mergeable (by addition), no allocation. Equal to
/// `prefilter(folds::is_error, folds::count)`; in a `product` with `folds::count` it gives
/// the E and R of RED statistics.
struct errors_fn {
  /// Zero.
  [[nodiscard]] constexpr std::uint64_t init() const noexcept { return 0; }
  /// `n + 1` when `x` failed, else `n`.
  template <class In>
    requires std::invocable<const is_error_fn&, const In&>
  [[nodiscard]] constexpr std::uint64_t step(std::uint64_t n, const In& x) const noexcept {
    return n + (is_error(x) ? 1 : 0);
  }
  /// `a + b`.
  [[nodiscard]] constexpr std::uint64_t merge(std::uint64_t a, std::uint64_t b) const noexcept {
    return a + b;
  }
  /// The number of failed spans.
  [[nodiscard]] constexpr std::uint64_t done(std::uint64_t n) const noexcept { return n; }
};

/// See `errors_fn`.
inline constexpr errors_fn errors{};

}  // namespace tracefold::folds
