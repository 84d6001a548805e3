#pragma once
/// @file
/// `folds::red_dimensions`: which of service, name, kind and status form a `red_key`.

namespace tracefold::folds {

/// The span dimensions `red_stats` groups by: any subset of service.name, span name, span
/// kind and status code (all four by default, as the spanmetrics connector does). A dimension
/// left out takes its neutral value in every key (service and name `""`, kind `unspecified`,
/// status `unset`), so spans that differ only there fall into one group:
///
/// ```
/// // count, errors and latency per span name, across services, kinds and statuses
/// const folds::red_stats by_name{{.dimensions = {.service = false, .kind = false,
///                                                 .status = false}}};
/// ```
///
/// Grouping attributes (`red_options::attributes`) come on top of these.
struct red_dimensions {
  bool service = true;  ///< the resource's service.name
  bool name = true;     ///< the span name
  bool kind = true;     ///< the span kind
  bool status = true;   ///< the status code

  /// Whether all four are in (the default).
  [[nodiscard]] constexpr bool all() const noexcept { return service && name && kind && status; }
  /// Field-wise equality.
  friend constexpr bool operator==(const red_dimensions&, const red_dimensions&) = default;
};

}  // namespace tracefold::folds
