#pragma once
/// @file
/// `diagnostic`: a problem found in input data, located as precisely as the reader knows.

#include <cstdint>
#include <string>
#include <string_view>

namespace tracefold {

/// How bad a diagnostic is.
enum class severity : std::uint8_t {
  info,     ///< worth knowing, nothing was changed (e.g. a lenient-mode spelling accepted)
  warning,  ///< data was repaired deterministically and kept (e.g. a parent cycle broken)
  error,    ///< data was rejected (a span skipped in lenient mode; the read stops in strict mode)
};

/// Lowercase name: "info", "warning", "error".
[[nodiscard]] constexpr std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::info:
      return "info";
    case severity::warning:
      return "warning";
    case severity::error:
      return "error";
  }
  return "unknown";
}

/// What kind of problem a diagnostic reports. Each code is documented where it is declared;
/// `describe(code)` gives a one-line explanation for people.
enum class diagnostic_code : std::uint16_t {
  /// Spans name a parent span id that is not in the input; they are kept as orphan roots.
  orphan_spans,
  /// Two or more spans of one trace share a span id; all are kept, children attach to the
  /// earliest-starting one.
  duplicate_span_id,
  /// A span is its own parent, or parent links form a cycle; the cycle is broken by making
  /// its smallest span id a root.
  parent_cycle,
  /// The input could not be opened or read (the message carries the system's reason).
  io_error,
  /// The input holds no JSON at all (empty, or only whitespace).
  empty_input,
  /// The text is not valid JSON here (truncated, a stray character, an unclosed string);
  /// the rest of the document, or of the JSON Lines line, is skipped.
  syntax_error,
  /// Valid JSON that is not an OTLP trace request (an array of numbers, a metrics request).
  wrong_shape,
  /// A field holds the wrong JSON type (e.g. a number where a string is required); the
  /// span is rejected in lenient mode.
  wrong_type,
  /// A trace or span id is not 32 / 16 hex digits, or is all zero where an id is required.
  bad_id,
  /// An integer field is negative, fractional, or out of range for its type.
  bad_number,
  /// An enum field holds a name that is not one of its values.
  bad_enum,
  /// A required field is missing (a span without traceId or spanId).
  missing_field,
  /// A string was not valid UTF-8; lenient mode replaced the bad bytes with U+FFFD.
  invalid_utf8,
  /// Values or arrays are nested deeper than the reader allows.
  too_deep,
  /// A span ends before it starts; it is kept as written.
  end_before_start,
  /// Lenient mode accepted a non-canonical form (base64 ids, enum names); noted once per input.
  non_canonical,
  /// Values of one document contradict each other (a histogram whose buckets do not add up
  /// to its count, a group listed twice, totals that do not reconcile); the document is
  /// rejected.
  inconsistent,
};

/// One-line explanation of a code, for people.
[[nodiscard]] constexpr std::string_view describe(diagnostic_code c) noexcept {
  switch (c) {
    case diagnostic_code::orphan_spans:
      return "parent span not in input; kept as orphan root";
    case diagnostic_code::duplicate_span_id:
      return "duplicate span id within a trace; all kept";
    case diagnostic_code::parent_cycle:
      return "parent links form a cycle; broken at a root";
    case diagnostic_code::io_error:
      return "input could not be read";
    case diagnostic_code::empty_input:
      return "input holds no JSON";
    case diagnostic_code::syntax_error:
      return "not valid JSON";
    case diagnostic_code::wrong_shape:
      return "JSON is not an OTLP trace request";
    case diagnostic_code::wrong_type:
      return "field has the wrong JSON type";
    case diagnostic_code::bad_id:
      return "invalid trace or span id";
    case diagnostic_code::bad_number:
      return "integer out of range";
    case diagnostic_code::bad_enum:
      return "unknown enum value";
    case diagnostic_code::missing_field:
      return "required field missing";
    case diagnostic_code::invalid_utf8:
      return "invalid UTF-8 replaced by U+FFFD";
    case diagnostic_code::too_deep:
      return "nesting too deep";
    case diagnostic_code::end_before_start:
      return "span ends before it starts";
    case diagnostic_code::non_canonical:
      return "non-canonical OTLP-JSON accepted";
    case diagnostic_code::inconsistent:
      return "values contradict each other";
  }
  return "unknown diagnostic";
}

/// A located problem in input data. Fields the producer of the diagnostic does not know
/// are empty or zero (structural problems found while building trees have no file position;
/// they name the trace and span ids in `path`).
struct diagnostic {
  tracefold::severity severity = severity::error;  ///< how bad
  diagnostic_code code{};                          ///< what kind of problem
  std::string file{};             ///< input file, or "-" for stdin; empty when unknown
  std::uint64_t line = 0;         ///< 1-based line, 0 when unknown
  std::uint64_t column = 0;       ///< 1-based column in bytes, 0 when unknown
  std::uint64_t byte_offset = 0;  ///< 0-based offset into the input
  std::string path{};     ///< JSON path, e.g. `resourceSpans[0].scopeSpans[2].spans[17].spanId`
  std::string message{};  ///< what is wrong, in words a person can act on

  /// Field-by-field equality.
  friend bool operator==(const diagnostic&, const diagnostic&) = default;
};

/// `file:line:column: severity: path: message`, leaving out the parts that are unknown.
[[nodiscard]] std::string to_string(const diagnostic& d);

}  // namespace tracefold
