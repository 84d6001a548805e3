#pragma once
/// @file
/// `folds::service_name`: the `service.name` of a span's resource.

#include <string_view>
#include <tracefold/model/span.hpp>
#include <tracefold/model/span_ref.hpp>

namespace tracefold::folds {

/// The resource's `service.name`, or "unknown_service" (the OpenTelemetry default) when
/// the resource has none. O(resource attributes).
struct service_name_fn {
  /// Grouping key type (a view; `group_by` owns a copy).
  using key_type = std::string_view;
  /// Service of `s`.
  std::string_view operator()(const span& s) const noexcept { return s.service_name("unknown_service"); }
  /// Service of the span at `r`.
  std::string_view operator()(span_ref r) const noexcept { return (*this)(r.span()); }
};

/// See `service_name_fn`.
inline constexpr service_name_fn service_name{};

}  // namespace tracefold::folds
