#pragma once
/// @file
/// `folds::service_and_name`: the (service, span name) pair, the usual operation key.

#include <string_view>
#include <utility>
#include <tracefold/folds/service_name.hpp>
#include <tracefold/model/span.hpp>
#include <tracefold/model/span_ref.hpp>

namespace tracefold::folds {

/// `{service.name, span name}`: what trace UIs call an operation. As a `group_by` key it is
/// owned as `std::pair<std::string, std::string>`.
struct service_and_name_fn {
  /// Grouping key type.
  using key_type = std::pair<std::string_view, std::string_view>;
  /// Key of `s`.
  key_type operator()(const span& s) const noexcept { return {service_name(s), s.name}; }
  /// Key of the span at `r`.
  key_type operator()(span_ref r) const noexcept { return (*this)(r.span()); }
};

/// See `service_and_name_fn`.
inline constexpr service_and_name_fn service_and_name{};

}  // namespace tracefold::folds
