#pragma once
/// @file
/// `emit::to_red_prometheus`: a `folds::red_table` in the Prometheus text exposition format.

#include <cstdint>
#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/folds/red_table.hpp>
#include <vector>

namespace tracefold::emit {

/// Options of the Prometheus writer.
struct red_prometheus_options {
  /// The `le` boundaries of the duration histogram, in nanoseconds, ascending (unsorted or
  /// repeated values are sorted and deduplicated; `+Inf` is always added). The default is
  /// the spanmetrics connector's default explicit buckets: 2, 4, 6, 8, 10, 50, 100, 200,
  /// 400, 800 ms, 1, 1.4, 2, 5, 10, 15 s.
  std::vector<std::uint64_t> bucket_bounds_ns = {
      2'000'000,     4'000'000,     6'000'000,      8'000'000,     10'000'000,    50'000'000,
      100'000'000,   200'000'000,   400'000'000,    800'000'000,   1'000'000'000, 1'400'000'000,
      2'000'000'000, 5'000'000'000, 10'000'000'000, 15'000'000'000};
};

/// Writes `table` in the Prometheus text exposition format, version 0.0.4, as the
/// spanmetrics connector's metrics look once a Prometheus exporter has translated them:
///
/// ```
/// # TYPE traces_span_metrics_calls_total counter
/// traces_span_metrics_calls_total{service_name="cart",span_name="GetCart",...} 42
/// # TYPE traces_span_metrics_duration_seconds histogram
/// traces_span_metrics_duration_seconds_bucket{service_name="cart",...,le="0.002"} 17
/// ...
/// traces_span_metrics_duration_seconds_bucket{service_name="cart",...,le="+Inf"} 42
/// traces_span_metrics_duration_seconds_sum{service_name="cart",...} 0.5
/// traces_span_metrics_duration_seconds_count{service_name="cart",...} 42
/// ```
///
/// Each family has a `# HELP` and a `# TYPE` line. Errors have no series of their own (the
/// connector has none either): they are the calls with `status_code="STATUS_CODE_ERROR"`.
///
/// **Labels.** `service_name`, `span_name`, `span_kind`, `status_code`, then the table's
/// `attribute_names`, sanitized as OpenTelemetry's Prometheus compatibility rules say: every
/// character outside `[a-zA-Z0-9_]` becomes `_`, a leading digit gets a `key_` prefix and a
/// leading `__` (reserved) a `key` prefix; `le`, which the histogram needs, becomes `key_le`.
/// Attributes whose names sanitize alike share one label whose value joins theirs with `;`
/// in the order of the original names (the same rules). A label with an empty value is left
/// out (Prometheus treats it as absent). Values are UTF-8 (invalid bytes become U+FFFD) with
/// backslash, double quote and newline escaped. Groups that end up with equal label sets are
/// merged: counts add, histograms merge, so no series is written twice. Series come in
/// `red_key` order.
///
/// **Buckets.** The group's exponential histogram (nanoseconds) is turned into cumulative
/// `le` counts, boundaries written in seconds. The count at `le = B` is the zero count plus
/// the exponential buckets all of whose integers are at most `B`; when the largest duration
/// is at most `B`, every span. That is, every duration is counted as if it were the largest
/// integer of its exponential bucket (but no more than the largest duration seen), which is
/// less than `base` times the duration (`base = 2^(2^-scale)`: 1.09% more at scale 6). So:
/// - the count is exact when `B` is the last integer of an exponential bucket, when no
///   recorded exponential bucket straddles `B`, or when `B >= max`;
/// - otherwise it is a lower bound: the spans of the one exponential bucket containing both
///   `B` and `B + 1` are all counted at the next boundary up, though some of them are `<= B`.
///   It is never above the true count, so an SLO read off it errs on the pessimistic side.
///   A span of exactly 2 ms, say, usually counts only from `le="0.004"` on: 2,000,000 is
///   rarely the last integer of its exponential bucket.
/// `+Inf` equals `_count`, and counts never decrease along `le`. `_sum` is the exact sum in
/// nanoseconds, rounded to a double and divided by 10^9.
///
/// O(groups × (attributes + buckets + boundaries)); the string overload builds the
/// whole output in memory, the sink overload about 1 MiB of it at a time.
struct to_red_prometheus_fn {
  /// The table as a string.
  [[nodiscard]] std::string operator()(const folds::red_table& table,
                                       const red_prometheus_options& options = {}) const;
  /// Writes the same text to `out` (in chunks of about 1 MiB); `out` must not be empty.
  void operator()(const folds::red_table& table, const red_prometheus_options& options,
                  const sink& out) const;
};

/// See `to_red_prometheus_fn`: `emit::to_red_prometheus(table)`, or `emit::to_red_prometheus(table,
/// options, out)`. A function object, so `map_result(emit::to_red_prometheus, folds::red_stats{})`
/// is a fold.
inline constexpr to_red_prometheus_fn to_red_prometheus{};

}  // namespace tracefold::emit
