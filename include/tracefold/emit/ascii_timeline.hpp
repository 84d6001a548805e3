#pragma once
/// @file
/// `emit::to_ascii_timeline`: one trace as a timeline for a terminal.

#include <cstddef>
#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/model/trace.hpp>

namespace tracefold::emit {

/// Options of the terminal timeline.
struct ascii_timeline_options {
  /// Width of every line in terminal cells (code points). Values below 40 are taken as 40.
  std::size_t columns = 80;
  /// Draw with Unicode: block elements for bars (█ and the eighth blocks ▏▎▍▌▋▊▉ for the end
  /// of a bar, so a bar ends to an eighth of a cell), '·' for empty cells, "…" for a cut name,
  /// "µs". Off: pure ASCII output ('#' and '.', "...", "us"), names included: every non-ASCII
  /// code point of a name becomes '?'.
  bool unicode = false;
  /// One line per lane (`folds::lanes`: spans that never overlap share a lane) instead of
  /// one line per span.
  bool lanes = false;
  /// Most lines below the axis; 0 shows all. When there are more spans (or lanes) than that,
  /// the first `max_rows - 1` are shown and a last line says how many are not.
  std::size_t max_rows = 0;
  /// Colour the lines of error spans (error cells in lanes mode) red with ANSI escapes.
  /// Errors are marked with '!' either way; escapes do not count in `columns`.
  bool color = false;

  /// Options for the terminal the process runs in: `columns` from `COLUMNS` (80 when unset,
  /// empty, not a positive decimal number, or too large to parse; else clamped to 40..1000);
  /// `unicode` when the locale's character set is UTF-8: the first non-empty of `LC_ALL`,
  /// `LC_CTYPE`, `LANG` contains "UTF-8" or "UTF8" (any case). The rest keep their defaults:
  /// whether to colour depends on the output being a terminal, which the caller knows.
  /// Reads the environment with `std::getenv` (not thread-safe against `setenv`).
  [[nodiscard]] static ascii_timeline_options from_environment();
};

/// Writes one trace as a timeline for people at a terminal.
///
/// ```
/// trace 00000000...  web: GET /cart  3 spans  2.00ms  1 error
///     start span                      0                 1ms               2ms
///      +0ns web: GET /cart           [####################################] 2.00ms
/// !  +100us   db: SELECT             [.##########.........................]  500us
///   +1.00ms   web: render            [..................##################] 1.00ms
/// ```
///
/// Line 1: the trace id, the first root as "service: span name", the span count, the time
/// the trace covers (earliest start to latest end, as `folds::summarize`), the error count,
/// and the numbers of roots (when more than one) and orphans (when any); the id is shortened
/// to 8 digits when the line is too narrow for all of it. Line 2: column heads and time
/// labels at round steps (1, 2, 2.5 or 5 × 10ⁿ; minutes, hours), each starting at the cell of
/// its instant. Then one line per span in pre-order (`trace::spans()`): a marker column
/// ('!' status ERROR; '^' a root whose parent is not in the trace, or was cut to break a
/// cycle), the start relative to the trace start ("+12.3ms", right-aligned), "service: name"
/// indented two cells per depth level, a bar, and the duration (`to_red_text_fn::
/// format_duration`; a span ending before it starts counts as 0). When the indent would
/// leave the name too little room it stops growing and shows the depth instead: "(37) ".
/// Text too long for its column is cut and ends in an ellipsis.
///
/// Bars: the bar column is the trace's time range, scaled to whole cells; a bar starts at the
/// cell holding the span's start (so a child never starts left of its parent) and ends at its
/// end rounded to the nearest cell (eighth of a cell with `unicode`), and is at least one full
/// cell long, so every span is visible. In `lanes` mode each line is a lane: "lane N (k
/// spans)", the first start in the lane, a bar holding all its spans (consecutive spans drawn
/// alternately '#' and '=' (█ and ▓), error spans '!' (▒)), and the time the lane is busy.
///
/// Every line is exactly `columns` cells wide, counting one cell per code point, and ends in
/// '\n'. (Wide CJK characters and combining marks in names can still misalign a line.)
/// Names and services come from untrusted services: control characters (C0, DEL, C1: no
/// ESC, CSI, CR, LF, NUL) and Unicode bidirectional formatting characters become '?';
/// invalid UTF-8 becomes U+FFFD ('?' without `unicode`). No byte of a name reaches the
/// terminal unchecked. An empty trace gives the header and the axis.
///
/// A function object: `premap(emit::to_ascii_timeline, folds::to_vector<std::string>)` is a
/// fold over traces whose result holds one timeline per trace (a lambda passes options). O(n) for n
/// spans (O(n log n) in `lanes` mode), no recursion (a 100,000-deep chain is fine), no allocation
/// per span beyond the output.
struct to_ascii_timeline_fn {
  /// The timeline of `t` as a string.
  [[nodiscard]] std::string operator()(const trace& t,
                                       const ascii_timeline_options& options = {}) const;
  /// Writes the timeline of `t` to `out` (in chunks of about 1 MiB), which must not be empty.
  void operator()(const trace& t, const ascii_timeline_options& options, const sink& out) const;
};

/// See `to_ascii_timeline_fn`: `emit::to_ascii_timeline(t)`,
/// `emit::to_ascii_timeline(t, ascii_timeline_options::from_environment())`.
inline constexpr to_ascii_timeline_fn to_ascii_timeline{};

}  // namespace tracefold::emit
