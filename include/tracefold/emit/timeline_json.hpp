#pragma once
/// @file
/// `emit::timeline_json`: traces as JSON for drawing timelines, a fold over traces.

#include <cstdint>
#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/folds/lanes.hpp>
#include <tracefold/model/trace.hpp>
#include <tracefold/model/trace_set.hpp>

namespace tracefold::emit {

/// How the timeline JSON is laid out.
enum class timeline_layout {
  document,  ///< one `{"traces":[...]}` object, one trace per line inside it
  lines,     ///< JSON Lines: one trace object per line, nothing around them
};

/// Options of the timeline JSON writer.
struct timeline_json_options {
  timeline_layout layout = timeline_layout::document;  ///< one document or JSON Lines
  /// Pack spans into lanes (`folds::lanes`) and write `lane_count` per trace and `lane` per
  /// span. Off: both fields are left out and no packing is done (O(n) instead of
  /// O(n log n) per trace).
  bool lanes = true;
};

/// What the timeline JSON writer wrote.
struct timeline_json_result {
  std::string text;                    ///< the output, when no sink was given
  std::uint64_t bytes = 0;             ///< bytes produced (kept in `text` or sent to the sink)
  std::uint64_t traces = 0;            ///< traces written
  std::uint64_t spans = 0;             ///< spans written
  std::uint64_t repaired_strings = 0;  ///< strings whose invalid UTF-8 became U+FFFD
};

/// Writes traces as JSON a dashboard can draw its own timeline from: per trace its id, start,
/// duration, root and services, and per span (in pre-order) ids, name, service, kind, status,
/// start offset from the trace start, duration, self time, depth, lane and orphan flag. The
/// schema is in docs/timeline-json.md.
///
/// ```
/// {"traces":[
/// {"trace_id":"…","start_time_unix_nano":"1000000","duration_ns":2000000,"span_count":2,
///  "lane_count":2,"root_name":"GET /cart","root_service":"web","error_count":0,
///  "services":["web","db"],"spans":[{"span_id":"…","parent_span_id":"","name":"GET /cart",
///  "service":"web","kind":"server","status":"unset","start_offset_ns":0,
///  "duration_ns":2000000,"self_time_ns":1500000,"depth":0,"lane":0,"orphan":false},…]}
/// ]}
/// ```
/// (one line per trace; wrapped here).
///
/// A fold over `trace`: `run(emit::timeline_json{}, ts.traces())`. Its state is the output
/// buffer; with a `sink` the buffer is handed over in chunks of about 1 MiB (also within a
/// large trace) and the result's `text` stays empty. Without a sink it is mergeable
/// (`run_parallel`), concatenating traces in order. O(n) per trace of n spans, O(n log n)
/// with lanes; allocates per trace (the summary, the lane buffers, reused across traces),
/// never per span beyond buffer growth; no recursion.
struct timeline_json {
  timeline_json_options options{};  ///< layout, lanes
  emit::sink out{};                 ///< where output goes; empty keeps it in the result

  /// The writer's state: the buffer, counters and reusable lane buffers.
  struct state_type {
    std::string buf;                        ///< pending output
    timeline_json_result stats;             ///< counters so far (text unused)
    bool opened = false;                    ///< the document's `{"traces":[` is in the output
    folds::lane_layout lanes;               ///< scratch: lanes of the current trace
    folds::lanes_fn::scratch lane_scratch;  ///< scratch: buffers of the packing
  };

  /// An empty buffer.
  [[nodiscard]] state_type init() const;
  /// Appends one trace.
  [[nodiscard]] state_type step(state_type s, const trace& t) const;
  /// Concatenates two states' traces, `a` first (only without a sink).
  [[nodiscard]] state_type merge(state_type a, state_type b) const;
  /// Closes the document, flushes to the sink, returns what was written.
  [[nodiscard]] timeline_json_result done(state_type s) const;
};

/// The whole set as one string (`run(timeline_json{options}, ts.traces()).text`).
[[nodiscard]] std::string to_timeline_json(const trace_set& ts, timeline_json_options options = {});

}  // namespace tracefold::emit
