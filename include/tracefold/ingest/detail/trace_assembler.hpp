#pragma once
/// @file
/// `ingest::detail::trace_assembler`: puts traces whose spans are spread over several
/// windows of a JSON Lines input back together (the engine of `fold_json_lines`).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <tracefold/ingest/read_result.hpp>
#include <tracefold/model/diagnostic.hpp>
#include <tracefold/model/trace.hpp>
#include <tracefold/model/trace_set.hpp>
#include <vector>

namespace tracefold::ingest::detail {

/// The traces one turn of the assembler releases for folding, and the diagnostics to report.
struct fold_batch {
  trace_set window;                     ///< an earlier window's traces (owned here)
  std::vector<std::uint32_t> fold;      ///< positions in `window` of the traces to fold, in order
  trace_set assembled;                  ///< traces put together from parts: fold them all
  std::vector<diagnostic> diagnostics;  ///< what this turn reports, in input order

  /// Calls `each(trace)` for every trace to fold: `window`'s chosen ones, then `assembled`.
  template <class G>
  void for_each(G&& each) const {
    const auto traces = window.traces();
    for (const std::uint32_t i : fold) each(traces[i]);
    for (const trace t : assembled.traces()) each(t);
  }
};

/// Decides, window by window, when each trace is whole and can be folded.
///
/// A trace of a window is *settled* when none of its roots is an orphan (every root has no
/// parent span id, or its parent is in the trace). Settled traces wait one window (a writer
/// that puts a trace's spans in pre-order may continue it on the next line) and are released
/// for folding from their window's own trace_set when the next window has none of their spans.
/// The others, and those that do continue, are deep-copied into a pending store keyed by
/// trace id (one built trace_set per turn holds the copies); later spans of the same trace id
/// join them, and a pending trace is released, assembled into one trace, one window after it
/// became settled. When the pending store holds more than `max_pending_bytes`, the oldest
/// pending traces are released as they are; at the end (`finish`) all of them are.
///
/// Spans that arrive for a trace already released start it again as a new part, and the trace
/// is counted once in `traces_split()`. Ids of released traces are remembered as 64-bit
/// fingerprints, at most 32 bytes each, for at least the last max(65,536, max_pending_bytes /
/// 1 KiB) traces: spans arriving later than that for a trace long gone are not noticed (they
/// are folded, as a trace of their own).
///
/// Memory: the last window's trace_set, the pending store (at most `max_pending_bytes` after
/// every `add`; more while one window's traces are being added) and the remembered ids.
///
/// Not thread-safe: call `add` once per window, in input order, then `finish`.
class trace_assembler {
 public:
  /// An assembler whose pending store is bounded by `max_pending_bytes`; `source_name` names
  /// the input in the diagnostic about split traces.
  explicit trace_assembler(std::size_t max_pending_bytes, std::string source_name = {});
  trace_assembler(const trace_assembler&) = delete;
  trace_assembler& operator=(const trace_assembler&) = delete;
  ~trace_assembler();

  /// Takes the next window's read: returns the traces that can be folded now (from earlier
  /// windows) and the diagnostics to report: the window's reader diagnostics (less the
  /// once-per-input notes an earlier window made, `detail::once_notes`), then the tree
  /// diagnostics (orphans, duplicate ids, cycles) of the traces released. Keeps the window's
  /// trace_set until the next call.
  [[nodiscard]] fold_batch add(read_result window);

  /// Releases everything still held or pending. Adds one warning when traces were split.
  [[nodiscard]] fold_batch finish();

  /// Traces folded in more than one part so far.
  [[nodiscard]] std::uint64_t traces_split() const noexcept;

  /// Bytes the pending store holds now (its trace_sets and bookkeeping).
  [[nodiscard]] std::size_t pending_bytes() const noexcept;

  /// Traces in the pending store now.
  [[nodiscard]] std::size_t pending_traces() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace tracefold::ingest::detail
