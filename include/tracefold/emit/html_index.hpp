#pragma once
/// @file
/// `emit::html_index`: an index.html listing a batch of traces, linking each one's SVG.

#include <span>
#include <string>
#include <tracefold/folds/trace_summary.hpp>
#include <tracefold/model/trace.hpp>
#include <utility>
#include <vector>

namespace tracefold::emit {

/// What the index says and where its links point.
struct html_index_options {
  std::string title = "Traces";  ///< page title and heading (escaped)
  /// Each trace links to `link_prefix + <32 hex digits of the trace id> + link_suffix`,
  /// relative to the page: the file names `tracefold convert --to svg` writes.
  std::string link_prefix{};
  std::string link_suffix = ".svg";  ///< see `link_prefix`
  bool links = true;                 ///< false lists the traces without links
};

/// Writes a self-contained HTML5 page listing traces: trace id (linking to its picture), root
/// service and name, services, span count, duration, errors and start time (UTC), one row per
/// trace in input order, with totals above. Clicking a column heading sorts by it (a few lines
/// of inline script; the page needs no server, network or other file and reads fine without
/// script). Everything taken from traces is escaped; control and bidirectional formatting
/// characters are dropped and invalid UTF-8 becomes U+FFFD.
///
/// As a fold over `trace` it keeps one `folds::trace_summary` per trace (owned strings, no
/// views of the input, so it can follow a streamed batch) and is mergeable:
/// `run(product(emit::svg_waterfall{...}, emit::html_index{}), ts.traces())`. O(spans) to
/// collect, O(traces) to write.
struct html_index {
  html_index_options options{};  ///< title and links

  /// The summaries so far.
  using state_type = std::vector<folds::trace_summary>;

  /// No traces.
  [[nodiscard]] state_type init() const { return {}; }
  /// Adds `t`'s summary.
  [[nodiscard]] state_type step(state_type s, const trace& t) const {
    s.push_back(folds::summarize(t));
    return s;
  }
  /// `a`'s traces, then `b`'s.
  [[nodiscard]] state_type merge(state_type a, state_type b) const {
    a.insert(a.end(), std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()));
    return a;
  }
  /// The page.
  [[nodiscard]] std::string done(const state_type& s) const;
};

/// The index page for summaries collected elsewhere (`folds::summarize`).
[[nodiscard]] std::string to_html_index(std::span<const folds::trace_summary> traces,
                                        const html_index_options& options = {});

}  // namespace tracefold::emit
