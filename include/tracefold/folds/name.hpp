#pragma once
/// @file
/// `folds::name`: a span's name, as a projection or grouping key.

#include <string_view>
#include <tracefold/model/span.hpp>
#include <tracefold/model/span_ref.hpp>

namespace tracefold::folds {

/// The span name. As a `group_by` key it is copied into a `std::string` per group.
struct name_fn {
  /// Grouping key type (a view; `group_by` owns a copy).
  using key_type = std::string_view;
  /// Name of `s`.
  constexpr std::string_view operator()(const span& s) const noexcept { return s.name; }
  /// Name of the span at `r`.
  std::string_view operator()(span_ref r) const noexcept { return r.span().name; }
};

/// See `name_fn`.
inline constexpr name_fn name{};

}  // namespace tracefold::folds
