#pragma once
/// @file
/// `folds::is_error`: whether a span's status code is ERROR, as a predicate for `prefilter`.

#include <concepts>
#include <tracefold/model/span.hpp>
#include <tracefold/model/status.hpp>

namespace tracefold::folds {

/// True when the span's status code is `status_code::error` (OTLP STATUS_CODE_ERROR).
///
/// Takes a `span`, or anything whose `->` gives a `const span*`: a `span_ref`, an
/// `annotated<V>`. O(1), no allocation. Use: `prefilter(folds::is_error, folds::count)`.
struct is_error_fn {
  /// Whether `s` failed.
  [[nodiscard]] constexpr bool operator()(const span& s) const noexcept {
    return s.status.code == status_code::error;
  }
  /// Whether the span behind `r` (a `span_ref`, an `annotated<V>`) failed.
  template <class Ref>
    requires requires(const Ref& r) {
      { r.operator->() } -> std::convertible_to<const span*>;
    }
  [[nodiscard]] constexpr bool operator()(const Ref& r) const noexcept {
    return (*this)(*r.operator->());
  }
};

/// See `is_error_fn`.
inline constexpr is_error_fn is_error{};

}  // namespace tracefold::folds
