#pragma once
/// @file
/// `emit::to_red_json`: a `folds::red_table` as JSON (schema in docs/red-json.md).

#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/folds/red_table.hpp>

namespace tracefold::emit {

/// Writes a `red_table` as one JSON object, documented field by field in docs/red-json.md:
///
/// ```
/// {"spans":3,"traces":2,"attributes":["http.route"],"groups":[
/// {"service":"web","name":"GET /cart","kind":"server","status":"error",
///  "attributes":{"http.route":"/cart"},"count":1,"errors":1,
///  "duration_ns":{"min":2000,"max":2000,"sum":2000,"p50":2000,"p90":2000,"p95":2000,"p99":2000},
///  "self_time_ns":{...same keys...}}
/// ]}
/// ```
///
/// (without the line breaks inside a group: each group is one line). Groups come in the
/// table's order (total duration, largest first). A group's `"attributes"` object is there
/// only when the table was grouped by attributes; an attribute the group does not have is
/// `null`. Kind and status are the lowercase names of `to_string` ("server", "error").
/// Numbers are JSON integers: counts, min and max exact; quantiles the histogram's estimates
/// rounded to the nanosecond; sums exact (128-bit). Strings are escaped as JSON requires,
/// control characters as `\u00XX`, invalid UTF-8 replaced by U+FFFD, so the output is always
/// valid UTF-8 and valid JSON (RFC 8259). The output ends with a newline.
///
/// A function object (`map_result(emit::to_red_json, folds::red_stats{})` is a fold over
/// traces). O(groups × attributes); the sink overload hands the output over in chunks of
/// about 1 MiB.
struct to_red_json_fn {
  /// The table as a JSON string.
  [[nodiscard]] std::string operator()(const folds::red_table& table) const;
  /// Writes the table to `out`, which must not be empty.
  void operator()(const folds::red_table& table, const sink& out) const;
};

/// See `to_red_json_fn`: `emit::to_red_json(table)`, or `emit::to_red_json(table, out)`.
inline constexpr to_red_json_fn to_red_json{};

}  // namespace tracefold::emit
