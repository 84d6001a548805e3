#pragma once
/// @file
/// `emit::to_red_text`: a `folds::red_table` as an aligned text table for people.

#include <cstddef>
#include <cstdint>
#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/folds/red_table.hpp>

namespace tracefold::emit {

/// Options of the text table writer.
struct red_text_options {
  /// Groups shown, from the top of the table (the most total time); 0 shows all. Groups left
  /// out are summed up in a last line.
  std::size_t max_groups = 0;
  /// Only ASCII in what the writer adds itself: "us" for microseconds instead of "µs", and
  /// "..." for a cut-off name instead of "…". Names are still written as UTF-8.
  bool ascii = false;
  /// Text cells (service, name, attribute values) longer than this many code points are cut
  /// and end in an ellipsis; 0 never cuts.
  std::size_t max_width = 60;
};

/// Writes a `red_table` as a text table for a terminal: a summary line, a header row and one
/// row per group, in the table's order (total duration, largest first).
///
/// ```
/// 3 spans in 2 traces, 3 groups
/// service  name       kind    status  count  errors  error %     p50  (...)   total  self p50
/// web      GET /cart  server  unset       1       0     0.0%  2.00ms  (...)  2.00ms    1.50ms
/// db       SELECT     client  error       1       1   100.0%  1.40ms  (...)  1.40ms    1.40ms
/// db       SELECT     client  unset       1       0     0.0%   500µs  (...)   500µs     500µs
/// ```
///
/// Columns: service, name, kind, status, one per grouping attribute (headed by its name, "-"
/// where a span had none), count, errors, error % (never rounded to 0.0% or 100.0% unless
/// exact), the p50, p90 and p99 of the duration, its max, its total (sum), and the p50 of the
/// self time. Durations use `format_duration`. Text is left-aligned and numbers right-aligned,
/// columns two spaces apart, padded by display width counted in code points (so wide CJK
/// characters and combining marks can still misalign a row). Lines end in '\n'. Text cells
/// longer than `max_width` are cut; with `max_groups`, a last line counts the groups and
/// spans left out. An empty table is the summary line alone.
///
/// Names come from untrusted services, so no byte of them reaches the terminal unchecked:
/// control characters (C0, DEL and C1, so no ESC, CSI, CR or newline), and Unicode
/// bidirectional formatting characters, become '?'; invalid UTF-8 becomes U+FFFD.
///
/// A function object (so `map_result(emit::to_red_text, folds::red_stats{})` is a fold over
/// traces whose result is the table's text). O(groups × columns); the sink overload hands the
/// output over in chunks of about 1 MiB.
struct to_red_text_fn {
  /// The table as a string.
  [[nodiscard]] std::string operator()(const folds::red_table& table,
                                       const red_text_options& options = {}) const;
  /// Writes the table to `out`, which must not be empty.
  void operator()(const folds::red_table& table, const red_text_options& options,
                  const sink& out) const;

  /// A duration in nanoseconds for people: "0ns", "950ns"; three significant digits below a
  /// minute ("1.00µs", "950µs", "12.3ms", "1.24s", "59.9s"); then minutes and seconds
  /// ("2m03s") and hours and minutes ("1h02m", "26h40m"), rounded to the nearest unit shown.
  /// A value that rounds up to the next unit is written in it (999,999 ns is "1.00ms").
  /// `ascii` writes "us" instead of "µs".
  [[nodiscard]] static std::string format_duration(std::uint64_t ns, bool ascii = false);
};

/// See `to_red_text_fn`: `emit::to_red_text(table)`, or `emit::to_red_text(table, options, out)`.
inline constexpr to_red_text_fn to_red_text{};

}  // namespace tracefold::emit
