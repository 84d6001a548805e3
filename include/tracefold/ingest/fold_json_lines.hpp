#pragma once
/// @file
/// `ingest::fold_json_lines`: a mergeable fold over the traces of a JSON Lines input of any
/// size, in bounded memory, on several threads.

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tracefold/fold/fold_over.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/ingest/detail/trace_assembler.hpp>
#include <tracefold/ingest/line_windows.hpp>
#include <tracefold/ingest/read_options.hpp>
#include <tracefold/ingest/read_result.hpp>
#include <tracefold/ingest/read_stats.hpp>
#include <tracefold/model/diagnostic.hpp>
#include <tracefold/model/trace.hpp>
#include <utility>
#include <vector>

namespace tracefold::ingest {

/// How `fold_json_lines` reads, how many threads it uses and how much it may hold back.
struct stream_options {
  /// Mode (lenient or strict), source name (defaults to the source's `name()`) and maximum
  /// value depth; its `threads` and `stream_window` are not used here.
  read_options read{};
  /// Threads parsing and folding windows (0 = all cores). The calling thread is one of them.
  unsigned threads = 1;
  /// Window size: `fold_json_lines` sets the source's `window_bytes` to this.
  std::size_t window_bytes = std::size_t{4} << 20;
  /// Bound on the pending store: traces held back waiting for more of their spans. Over it,
  /// the oldest pending traces are folded as they are.
  std::size_t max_pending_bytes = std::size_t{64} << 20;
  /// Called after each window with the input bytes done so far; from the worker threads,
  /// one call at a time, in input order. Optional.
  std::function<void(std::uint64_t bytes_done)> on_progress{};
  /// When set and it becomes true (say, from a signal handler), no further window is read:
  /// the windows already read are folded, and the result is not `complete`.
  const std::atomic<bool>* stop = nullptr;
};

/// What `fold_json_lines` produced: the fold's result, the counts, the diagnostics.
template <class R>
struct stream_result {
  R value;                              ///< the fold's result
  read_stats stats;                     ///< read = kept + rejected, over the whole input
  std::vector<diagnostic> diagnostics;  ///< in input order (see `fold_json_lines`)
  bool complete = true;                 ///< false after an I/O error, a strict-mode stop or `stop`
  std::uint64_t traces_split = 0;       ///< traces folded in more than one part

  /// Number of diagnostics of severity error.
  [[nodiscard]] std::size_t error_count() const noexcept {
    std::size_t n = 0;
    for (const diagnostic& d : diagnostics) n += d.severity == severity::error;
    return n;
  }
};

/// Runs a mergeable fold over every trace of a JSON Lines OTLP input, whatever its size:
/// `F × Windows → stream_result<R>`.
///
/// The source is read in windows of whole lines (`line_windows`); `options.threads` workers
/// each take a window, read it (`read_window`), and fold the traces that are whole into a
/// state of their own; the states are merged in window order, so the result does not depend
/// on the number of threads. Peak memory is about `threads + 1` windows with their
/// trace_sets, plus the pending store (`max_pending_bytes`), whatever the input's size.
///
/// Traces are assembled across lines (the OpenTelemetry Collector's file exporter writes
/// batches, so a trace's spans are spread over several lines, children first): a trace whose
/// roots all lack a parent span id (no orphan) is *settled*; it is folded once the next window
/// holds none of its spans. A trace with an orphan, and a settled one that continues in the
/// next window, waits in a pending store (deep copies, keyed by trace id) for the rest of its
/// spans, and is folded whole one window after it becomes settled. Over `max_pending_bytes`,
/// the oldest pending traces are folded as they are (orphans stay orphans); at the end of the
/// input all pending traces are folded as they are, just as a whole-file read would leave
/// them. Spans that come for a trace already folded are folded as a separate part, and the
/// trace is counted in `traces_split`; one warning at the end says how many and why.
/// Whenever `traces_split == 0` every trace was folded once with all its spans, so the result
/// equals `run(fold, read_file(path).traces.traces())` for a fold whose result does not depend
/// on the order of the traces (`folds::red_stats`, counts, histograms): traces are folded in
/// the order they become whole, not in input order.
///
/// `diagnostics`: each window's reader diagnostics in input order, exactly as `read_file`
/// reports them (file, line, column, byte offset), then the tree diagnostics (orphans,
/// duplicate span ids, cycles) of the traces folded at that point, then an `io_error` if the
/// source failed, then the warning about split traces. Strict mode stops at the first error
/// (the windows before it, and what the failing window kept, are still folded). `stats`
/// reconcile over the whole input: `spans_read == spans_kept + spans_rejected`.
///
/// Lines are numbered from the source's `next_line()`. The workers count each window's
/// newlines themselves, so the source's line counting is off while this runs (and its
/// `next_line()` does not move).
///
/// An exception from the fold (or `std::bad_alloc`) stops every worker and is rethrown here.
///
/// @code
/// ingest::line_windows in("dump.jsonl");
/// auto r = ingest::fold_json_lines(in, folds::red_stats{}, {.threads = 0});
/// for (const diagnostic& d : r.diagnostics) std::cerr << to_string(d) << '\n';
/// const folds::red_table& table = r.value;
/// @endcode
template <class F>
  requires mergeable_fold<F, trace>
[[nodiscard]] stream_result<result_t<F>> fold_json_lines(line_windows& source, const F& fold,
                                                         const stream_options& options = {}) {
  using S = state_t<F>;
  read_options read = options.read;
  if (read.source_name.empty()) read.source_name = source.name();
  source.set_window_bytes(options.window_bytes);
  // Each worker counts its window's newlines after reading it (in parallel, while the text is
  // in cache); the counts are added up in window order to number the lines of diagnostics.
  const bool counted = source.counts_lines();
  std::uint64_t lines_before = source.next_line() - 1;
  source.set_count_lines(false);
  const unsigned threads =
      options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads;
  detail::trace_assembler assembler(options.max_pending_bytes, read.source_name);

  read_stats stats;
  std::vector<diagnostic> diagnostics;
  std::atomic<bool> halt{false};     // strict-mode stop: read no more, drop later windows
  std::atomic<bool> stopped{false};  // options.stop was seen
  std::atomic<bool> aborted{false};  // a worker threw
  std::exception_ptr failure;
  std::mutex failure_mu;

  std::mutex read_mu;  // serializes source.next()
  std::uint64_t next_seq = 0;
  bool no_more = false;

  std::mutex turn_mu;  // the assembler, in window order
  std::condition_variable turn_cv;
  std::uint64_t turn = 0;
  std::uint64_t bytes_done = 0;

  std::mutex commit_mu;  // merges the windows' states, in window order
  std::condition_variable commit_cv;
  std::uint64_t next_commit = 0;
  std::map<std::uint64_t, std::optional<S>> ready;
  S acc = fold.init();
  const std::uint64_t lookahead = 2 * static_cast<std::uint64_t>(threads) + 1;

  auto fold_traces = [&](S s, const detail::fold_batch& b) {
    b.for_each([&](const trace& t) { s = fold.step(std::move(s), t); });
    return s;
  };

  auto commit = [&](std::uint64_t seq, std::optional<S> s) {
    std::unique_lock lock(commit_mu);
    // A worker far ahead waits (every earlier window is past its turn: no deadlock).
    commit_cv.wait(lock, [&] { return seq < next_commit + lookahead || aborted.load(); });
    if (aborted.load()) return;
    ready.emplace(seq, std::move(s));
    while (!ready.empty() && ready.begin()->first == next_commit) {
      auto node = ready.extract(ready.begin());
      if (node.mapped()) acc = fold.merge(std::move(acc), std::move(*node.mapped()));
      ++next_commit;
    }
    commit_cv.notify_all();
  };

  auto worker = [&] {
    try {
      for (;;) {
        std::optional<line_window> w;
        std::uint64_t seq = 0;
        {
          const std::lock_guard lock(read_mu);
          if (no_more || halt.load() || aborted.load()) return;
          if (options.stop != nullptr && options.stop->load(std::memory_order_relaxed)) {
            stopped = true;
            return;
          }
          w = source.next();
          if (!w) {
            no_more = true;
            return;
          }
          seq = next_seq++;
        }
        std::uint64_t newlines = 0;
        read_result r = read_window(*w, read, &newlines);
        w.reset();
        detail::fold_batch batch;
        bool have = false;
        {
          std::unique_lock lock(turn_mu);
          turn_cv.wait(lock, [&] { return turn == seq || aborted.load(); });
          if (aborted.load()) return;
          if (!halt.load()) {
            const bool read_all = r.complete;
            stats += r.stats;
            bytes_done += r.stats.bytes;
            batch = assembler.add(std::move(r));
            // Only the reader's diagnostics have lines (tree diagnostics have none): they
            // count from the window's first line.
            for (diagnostic& d : batch.diagnostics) {
              if (d.line != 0) d.line += lines_before;
              diagnostics.push_back(std::move(d));
            }
            lines_before += newlines;
            batch.diagnostics.clear();
            have = true;
            if (!read_all) halt = true;
            if (options.on_progress) options.on_progress(bytes_done);
          }
          ++turn;
          turn_cv.notify_all();
        }
        if (threads == 1) {
          // One worker: fold straight into the total (the same result, by the merge law).
          if (have) acc = fold_traces(std::move(acc), batch);
          continue;
        }
        std::optional<S> s;
        if (have) s.emplace(fold_traces(fold.init(), batch));
        batch = {};
        commit(seq, std::move(s));
      }
    } catch (...) {
      {
        const std::lock_guard lock(failure_mu);
        if (!failure) failure = std::current_exception();
      }
      aborted = true;
      { const std::lock_guard lock(turn_mu); }
      turn_cv.notify_all();
      { const std::lock_guard lock(commit_mu); }
      commit_cv.notify_all();
    }
  };

  {
    std::vector<std::jthread> helpers;
    helpers.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(worker);
    worker();
  }
  source.set_count_lines(counted);
  if (failure) std::rethrow_exception(failure);

  bool complete = !halt.load() && !stopped.load();
  if (source.error()) {
    diagnostics.push_back(*source.error());
    complete = false;
  }
  detail::fold_batch last = assembler.finish();
  for (diagnostic& d : last.diagnostics) diagnostics.push_back(std::move(d));
  acc = fold_traces(std::move(acc), last);
  return stream_result<result_t<F>>{fold.done(std::move(acc)), stats, std::move(diagnostics),
                                    complete, assembler.traces_split()};
}

}  // namespace tracefold::ingest
