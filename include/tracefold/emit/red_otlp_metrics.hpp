#pragma once
/// @file
/// `emit::to_red_otlp_metrics`: a `folds::red_table` as OTLP metrics JSON, named as the
/// OpenTelemetry Collector's spanmetrics connector names its metrics.

#include <cstdint>
#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/folds/red_table.hpp>

namespace tracefold::emit {

/// Options of the OTLP metrics writer.
struct red_otlp_metrics_options {
  /// `timeUnixNano` of every data point: when the metrics were taken. 0 means now
  /// (`std::chrono::system_clock`); pass a fixed value for reproducible output.
  std::uint64_t time_unix_nano = 0;
  /// `startTimeUnixNano` of every data point: when accumulation began (for a dump, the
  /// earliest span start is a good choice). 0, the default, means unknown, which OTLP allows,
  /// and leaves the field out; a `red_table` does not record its input's time range, and
  /// inventing one (say, equal to `time_unix_nano`) would claim the counts piled up in an
  /// instant.
  std::uint64_t start_time_unix_nano = 0;
  /// Coarsen each duration histogram, before writing it, to at most this many positive
  /// buckets (as `exponential_histogram::merge` does: halving the resolution as often as
  /// needed). 0, the default, writes the histogram as recorded. The spanmetrics connector's
  /// default is 160.
  std::uint32_t max_size = 0;
  /// Coarsen each duration histogram to at most this scale: 8 suits Prometheus native
  /// histograms, which go no finer. The default, 20, is OpenTelemetry's finest and keeps the
  /// histogram as recorded.
  std::int32_t max_scale = folds::exponential_histogram::finest_scale;
};

/// Writes `table` as one OTLP `ExportMetricsServiceRequest` in the canonical protobuf JSON
/// mapping (lowerCamelCase keys, 64-bit integers as decimal strings, enums as integers),
/// followed by a newline.
///
/// Shaped as the spanmetrics connector's output (connector/spanmetricsconnector in
/// opentelemetry-collector-contrib, with its default namespace `traces.span.metrics`), so
/// dashboards built for the connector read it:
/// - one `resourceMetrics` entry per service, its resource holding `service.name`; inside,
///   one `scopeMetrics` entry with scope `tracefold` (version 0.1.0) and two metrics:
/// - `traces.span.metrics.calls`: a monotonic cumulative Sum (`aggregationTemporality` 2,
///   `isMonotonic` true) whose data points hold the group's span count as `asInt`. No unit,
///   as the connector sets none;
/// - `traces.span.metrics.duration`: a cumulative ExponentialHistogram of span durations,
///   unit `ns`, one data point per group with `count`, `sum`, `min`, `max`, `scale`,
///   `zeroCount` and `positive` {`offset`, `bucketCounts`} copied from the group's histogram
///   (`sum`, `min` and `max` are whole nanoseconds, written in plain digits).
///
/// Data point attributes are the connector's (`service.name` is on the resource and, as the
/// connector has it, on each data point too): `service.name`, `span.name`, `span.kind`
/// (`SPAN_KIND_SERVER`, ...), `status.code` (`STATUS_CODE_ERROR`, ...), then each of the
/// table's `attribute_names` the group has a value for, as a string (an absent one is left
/// out). A kind or code outside the OTLP enums is written `SPAN_KIND_<n>` / `STATUS_CODE_<n>`.
/// An attribute name repeating a built-in or an earlier name is left out, since OTLP wants
/// unique keys.
///
/// **Why nanoseconds.** The connector records milliseconds by default, but an exponential
/// histogram's bucket boundaries are powers of `2^(2^-scale)`: dividing every value by
/// 10^6 moves a value across boundaries differently depending on where it sits, so the
/// buckets of values in ns cannot be relabelled as buckets of values in ms, and re-bucketing
/// would lose the exactness `red_stats` keeps. The histogram is written as recorded, in `ns`
/// (a UCUM unit; a Prometheus exporter turns it into a `_nanoseconds` suffix).
///
/// Strings are escaped per JSON; invalid UTF-8 becomes U+FFFD. Groups that become
/// indistinguishable in the output (two names that differ only in invalid bytes, or that
/// differ only in a dropped duplicate attribute) are merged into one data point: counts add
/// and histograms merge exactly, so no two points of a metric share their attributes.
/// Services and data points come in `red_key` order (service, name, kind, status,
/// attributes), so the output depends only on the table's contents.
///
/// O(groups × (attributes + buckets)) time; the string overload builds the
/// whole output in memory, the sink overload about 1 MiB of it at a time.
///
/// ```
/// const folds::red_table t = run(folds::red_stats{{.attributes = {"http.route"}}}, ts.traces());
/// const std::string json = emit::to_red_otlp_metrics(t);
/// ```
struct to_red_otlp_metrics_fn {
  /// The table as a string.
  [[nodiscard]] std::string operator()(const folds::red_table& table,
                                       const red_otlp_metrics_options& options = {}) const;
  /// Writes the same text to `out` (in chunks of about 1 MiB); `out` must not be empty.
  void operator()(const folds::red_table& table, const red_otlp_metrics_options& options,
                  const sink& out) const;
};

/// See `to_red_otlp_metrics_fn`: `emit::to_red_otlp_metrics(table)`, or
/// `emit::to_red_otlp_metrics(table, options, out)`. A function object, so
/// `map_result(emit::to_red_otlp_metrics, folds::red_stats{})` is a fold.
inline constexpr to_red_otlp_metrics_fn to_red_otlp_metrics{};

}  // namespace tracefold::emit
