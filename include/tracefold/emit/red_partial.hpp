#pragma once
/// @file
/// `emit::to_red_partial`, `emit::write_red_partial`: a `folds::red_table` as a partial state
/// that `ingest::read_red_partial` reads back exactly (format in docs/red-partial.md).

#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/folds/red_table.hpp>

namespace tracefold::emit {

/// Serializes a `red_table` losslessly, so that tables computed on different processes or
/// machines can be merged later: `ingest::read_red_partial(to_red_partial(t)).table == t`, and
/// reading the partials of shards and merging them gives the table of the whole input.
///
/// One JSON document, versioned (docs/red-partial.md describes every field):
///
/// ```
/// {"format":"tracefold.red_partial","version":1,"spans":"3","traces":"2",
///  "attributes":["http.route"],"groups":[
/// {"service":"web","name":"GET /cart","kind":2,"status":2,"attributes":["/cart"],
///  "count":"1","errors":"1","duration":H,"self_time":H}
/// ]}
/// ```
///
/// (each group on one line), where `H` is a histogram's `parts`:
/// `{"max_size":2048,"max_scale":20,"scale":20,"count":"1","zero_count":"0",
/// "rejected_count":"0","sum":"2000","min":"2000","max":"2000","offset":11498458,
/// "bucket_counts":["1"]}`. 64-bit counts and the 128-bit sum are decimal strings, as
/// protobuf's JSON mapping writes int64, so no JSON reader rounds them; kind and status are
/// the OTLP enum numbers. Strings are escaped as JSON requires (control characters as
/// `\u00XX`); a string that is not valid UTF-8 (possible only in traces built in code, since
/// every reader validates its input) is written as `{"hex":"..."}`, its bytes in hex, so the
/// output is always valid UTF-8 and the bytes still come back exactly. Groups are written in
/// the table's order. The output ends with a newline.
///
/// A function object: `map_result(emit::to_red_partial, folds::red_stats{})` is a fold over
/// traces whose result is the partial. O(groups × (attributes + buckets)).
struct to_red_partial_fn {
  /// The table's partial state as a JSON string.
  [[nodiscard]] std::string operator()(const folds::red_table& table) const;
};

/// See `to_red_partial_fn`: `emit::to_red_partial(table)`.
inline constexpr to_red_partial_fn to_red_partial{};

/// Writes what `to_red_partial` returns to a sink, in chunks of about 1 MiB, so a table with
/// many groups is not held twice in memory.
struct write_red_partial_fn {
  /// Writes `table`'s partial state to `out`, which must not be empty.
  void operator()(const folds::red_table& table, const sink& out) const;
};

/// See `write_red_partial_fn`: `emit::write_red_partial(table, out)`.
inline constexpr write_red_partial_fn write_red_partial{};

}  // namespace tracefold::emit
