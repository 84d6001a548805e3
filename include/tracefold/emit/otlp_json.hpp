#pragma once
/// @file
/// `emit::otlp_json`: the OTLP-JSON writer, a fold over traces.

#include <cstddef>
#include <cstdint>
#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/model/trace.hpp>
#include <tracefold/model/trace_set.hpp>
#include <vector>

namespace tracefold::emit {

/// How the output is laid out.
enum class otlp_layout {
  document,  ///< one `{"resourceSpans": [...]}` request holding everything
  lines,     ///< JSON Lines: one request per trace, or per `spans_per_line` spans
};

/// Options of the OTLP-JSON writer.
struct otlp_json_options {
  otlp_layout layout = otlp_layout::document;  ///< one document or JSON Lines
  /// With `lines`: 0 writes one request per trace; N > 0 packs N spans per line (a large
  /// trace is split across lines; readers reassemble it by trace id).
  std::size_t spans_per_line = 0;
};

/// What a writer wrote.
struct otlp_json_result {
  std::string text;                    ///< the output, when no sink was given
  std::uint64_t bytes = 0;             ///< bytes produced (kept in `text` or sent to the sink)
  std::uint64_t traces = 0;            ///< traces written
  std::uint64_t spans = 0;             ///< spans written
  std::uint64_t requests = 0;          ///< requests written (1 for a document; lines otherwise)
  std::uint64_t repaired_strings = 0;  ///< strings whose invalid UTF-8 became U+FFFD
};

/// Writes traces as canonical OTLP-JSON: the protobuf JSON mapping that OTLP/HTTP uses.
///
/// lowerCamelCase keys; ids as lowercase hex; int64 fields as decimal strings; enums as
/// integers; bytes as base64; doubles shortest-exact (`std::to_chars`), NaN and infinities as
/// the strings "NaN", "Infinity", "-Infinity"; strings escaped per JSON, control characters as
/// `\u00XX`, invalid UTF-8 replaced by U+FFFD and counted in `repaired_strings` (never written
/// raw). Fields holding their default value are left out, as protobuf's JSON mapping does,
/// except that every span carries ids, name, kind, times and status. Within a trace, spans
/// are grouped by resource and then scope in order of first appearance, so a trace_set read
/// from OTLP-JSON and written back reads in equal, field for field.
///
/// A fold over `trace`: `run(emit::otlp_json{}, ts.traces())`. Its state is the output
/// buffer; with a `sink` the buffer is handed over in chunks of about 1 MiB and the result's
/// `text` stays empty. Without a sink it is mergeable (`run_parallel`), concatenating
/// requests in order. No allocation per span beyond buffer growth.
struct otlp_json {
  otlp_json_options options{};  ///< layout
  emit::sink out{};             ///< where output goes; empty keeps it in the result

  /// One open array or kvlist while writing a nested value without recursion (scratch).
  struct value_frame {
    const void* items = nullptr;  ///< the `any_value` or `key_value` elements
    std::uint32_t index = 0;      ///< next element
    std::uint32_t size = 0;       ///< element count
    bool kvlist = false;          ///< elements are `key_value`
    bool closes_entry = false;    ///< the frame's value sits in a kvlist entry to close after it
  };

  /// The writer's state: the buffer and counters.
  struct state_type {
    std::string buf;                   ///< pending output
    otlp_json_result stats;            ///< counters so far (text unused)
    bool opened = false;               ///< a request has been opened in `buf`
    bool opened_entry = false;         ///< the open request already holds a ResourceSpans
    std::size_t line_spans = 0;        ///< spans in the open line (lines layout, N per line)
    std::vector<std::uint32_t> order;  ///< scratch: span order grouped by resource and scope
    std::vector<std::uint32_t> rank;   ///< scratch: group rank per span
    std::vector<value_frame> frames;   ///< scratch: nested values being written
  };

  /// An empty buffer.
  [[nodiscard]] state_type init() const;
  /// Appends one trace.
  [[nodiscard]] state_type step(state_type s, const trace& t) const;
  /// Concatenates two states' requests, `a` first (only without a sink).
  [[nodiscard]] state_type merge(state_type a, state_type b) const;
  /// Closes the open request, flushes to the sink, returns what was written.
  [[nodiscard]] otlp_json_result done(state_type s) const;
};

/// The whole set as one OTLP-JSON string (`run(otlp_json{options}, ts.traces()).text`).
[[nodiscard]] std::string to_otlp_json(const trace_set& ts, otlp_json_options options = {});

}  // namespace tracefold::emit
