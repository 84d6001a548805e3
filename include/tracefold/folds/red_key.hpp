#pragma once
/// @file
/// `folds::red_key`: what `red_stats` groups spans by.

#include <compare>
#include <optional>
#include <string>
#include <tracefold/model/span_kind.hpp>
#include <tracefold/model/status.hpp>
#include <vector>

namespace tracefold::folds {

/// The identity of one `red_stats` group: the dimensions of the OpenTelemetry Collector's
/// spanmetrics connector (service.name, span name, span kind, status code), plus the values
/// of the attributes the user asked to group by, in the order they were named.
///
/// Owns its strings, so a result outlives the `trace_set` it was computed from.
struct red_key {
  std::string service;                                 ///< the resource's service.name
  std::string name;                                    ///< the span name
  span_kind kind = span_kind::unspecified;             ///< the span kind
  status_code status = status_code::unset;             ///< the status code
  std::vector<std::optional<std::string>> attributes;  ///< named attributes; nullopt if absent

  /// Field-wise equality.
  friend bool operator==(const red_key&, const red_key&) = default;
  /// Field-wise order (service, name, kind, status, attributes).
  friend std::strong_ordering operator<=>(const red_key& a, const red_key& b) {
    if (auto c = a.service <=> b.service; c != 0) return c;
    if (auto c = a.name <=> b.name; c != 0) return c;
    if (auto c = a.kind <=> b.kind; c != 0) return c;
    if (auto c = a.status <=> b.status; c != 0) return c;
    const std::size_t n = std::min(a.attributes.size(), b.attributes.size());
    for (std::size_t i = 0; i < n; ++i) {
      const auto& x = a.attributes[i];
      const auto& y = b.attributes[i];
      if (x.has_value() != y.has_value())
        return x.has_value() ? std::strong_ordering::greater : std::strong_ordering::less;
      if (x.has_value())
        if (auto c = *x <=> *y; c != 0) return c;
    }
    return a.attributes.size() <=> b.attributes.size();
  }
};

}  // namespace tracefold::folds
