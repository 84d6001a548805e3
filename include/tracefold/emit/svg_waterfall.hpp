#pragma once
/// @file
/// `emit::svg_waterfall`: a trace drawn as an SVG waterfall (or Gantt lanes), a fold over traces.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <tracefold/folds/critical_path.hpp>
#include <tracefold/folds/lanes.hpp>
#include <tracefold/model/trace.hpp>
#include <tracefold/model/trace_id.hpp>
#include <vector>

namespace tracefold::emit {

/// How a waterfall is drawn.
struct svg_waterfall_options {
  std::uint32_t width = 1200;     ///< picture width in pixels (at least 400 is used)
  std::uint32_t row_height = 18;  ///< height of one row in pixels (at least 8 is used)
  std::uint32_t label_width = 0;  ///< left label column in pixels; 0 picks 30% of `width`
  /// Rows drawn at most; the rest are collapsed into one visible note saying how many spans
  /// (or lanes) are not drawn. 0 draws every row.
  std::uint64_t max_rows = 0;
  /// Zoom: draw only the time from `window_start_ns` to `window_end_ns`, both relative to the
  /// trace start. Spans outside are left out (and counted in a note), spans crossing an edge
  /// are clipped. `window_end_ns == 0` means the end of the trace.
  std::uint64_t window_start_ns = 0;
  std::uint64_t window_end_ns = 0;  ///< see `window_start_ns`
  /// Gantt mode: rows are lanes (`folds::lanes`), so concurrent work takes as few rows as it
  /// needs; span names are written inside bars wide enough to hold them.
  bool lanes = false;
  /// Mark the critical path (`folds::critical_path`): a dark strip under each bar on it, and
  /// its own time on the path in the tooltip.
  bool critical_path = false;
  /// Attributes listed in each bar's tooltip at most (the rest are counted).
  std::uint32_t title_attributes = 12;
  /// Code points of an attribute value or status message in a tooltip at most.
  std::uint32_t title_value_length = 120;
};

/// One rendered picture.
struct svg_picture {
  tracefold::trace_id trace_id{};  ///< the trace drawn
  std::string svg;                 ///< the SVG document
};

/// What the writer rendered.
struct svg_waterfall_result {
  std::vector<svg_picture> pictures;  ///< one per trace, in input order, when no sink was given
  std::uint64_t traces = 0;           ///< traces rendered
  std::uint64_t spans = 0;            ///< spans in those traces
  std::uint64_t rows_drawn = 0;       ///< rows drawn (spans, or lanes in lane mode)
  std::uint64_t bytes = 0;            ///< SVG bytes produced
};

/// Draws each trace as a standalone SVG 1.1 document: a waterfall, as trace viewers show one.
///
/// - One row per span in pre-order (parents above children, siblings by start time); the
///   label column shows service and span name, indented by depth; the bar's x is the span's
///   start relative to the trace start and its width the duration (at least one pixel); the
///   duration is written after the bar.
/// - A header (root service and name, trace id, span count, total duration, services, errors,
///   orphan roots), a legend with one stable colour per service, and a time axis with round
///   ticks in human units (0, 250ms, 500ms, ...).
/// - Error spans have a red outline and a red label ending in "error"; orphan roots (whose
///   parent is missing from the dump) have a dashed outline and are labelled "orphan".
/// - Each row has a `<title>` tooltip: name, service, kind, status, duration, self time, start
///   offset, ids, and the first `title_attributes` attributes, truncated.
/// - With `critical_path`, the spans the trace's end waited on are underlined.
///
/// Everything taken from the trace is escaped for XML; control characters, bidirectional
/// formatting characters and the non-characters XML forbids are dropped, invalid UTF-8
/// becomes U+FFFD. The output is well-formed XML whatever the input. A service's colour is
/// picked from a 20-colour palette by a hash of its name, so it is the same in every picture
/// unless two services of one trace collide (the later name, in sorted order, moves on).
///
/// A fold over `trace`: `run(emit::svg_waterfall{}, ts.traces())`. With `out` set, each
/// picture is handed to it as soon as it is drawn and the result keeps only counts; without,
/// the pictures are kept in the result and the fold is mergeable. O(n) per trace of n spans
/// (O(n log n) in lane mode), no recursion (a 100,000-deep chain draws), output linear in
/// spans; allocation per trace, not per span.
struct svg_waterfall {
  svg_waterfall_options options{};  ///< drawing options
  /// Receives each trace and its SVG; empty keeps the pictures in the result.
  std::function<void(const trace&, std::string_view svg)> out{};

  /// The writer's state: pictures (without `out`), counters and reusable buffers.
  struct state_type {
    svg_waterfall_result result;         ///< pictures and counters so far
    std::string buf;                     ///< scratch: the picture being drawn (with `out`)
    folds::lane_layout layout;           ///< scratch: lanes (lane mode)
    folds::lanes_fn::scratch lane_work;  ///< scratch: lane packing buffers
    std::vector<std::uint32_t> visible;  ///< scratch: pre-order positions drawn
  };

  /// No pictures yet.
  [[nodiscard]] state_type init() const;
  /// Draws one trace.
  [[nodiscard]] state_type step(state_type s, const trace& t) const;
  /// `a`'s pictures, then `b`'s (meaningful without `out`).
  [[nodiscard]] state_type merge(state_type a, state_type b) const;
  /// The pictures and counts.
  [[nodiscard]] svg_waterfall_result done(state_type s) const;
};

/// One trace as an SVG document.
[[nodiscard]] std::string to_svg_waterfall(const trace& t,
                                           const svg_waterfall_options& options = {});

}  // namespace tracefold::emit
