#pragma once
/// @file
/// What every tracefold command shares: common options, reading inputs, writing outputs, and
/// spreading inputs over threads.
#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tracefold/emit/sink.hpp>
#include <tracefold/ingest/read_options.hpp>
#include <tracefold/ingest/read_result.hpp>
#include <vector>

#include "inputs.hpp"
#include "progress.hpp"
#include "report.hpp"

namespace CLI {
class App;
}

namespace tracefold::cli {

/// Exit statuses.
enum exit_status : int {
  exit_ok = 0,           ///< everything went well
  exit_input_error = 1,  ///< input had errors (lenient mode still wrote what it could)
  exit_usage = 2,        ///< the command line was wrong
};

/// Thrown for a usage error found after parsing (e.g. an output path equal to an input path):
/// main prints it and exits with `exit_usage`.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Options every command takes.
struct common_options {
  unsigned jobs = 0;                 ///< threads; 0 = all cores
  bool strict = false;               ///< stop at the first error
  bool quiet = false;                ///< errors only
  std::string progress = "auto";     ///< auto, always, never
  std::string from = "auto";         ///< input format: auto, otlp or otlp-jsonl
  std::size_t max_diagnostics = 20;  ///< per input; 0 = all

  /// `jobs`, with 0 resolved to the number of cores.
  [[nodiscard]] unsigned threads() const;
  /// Reader options for one input read on `threads` threads.
  [[nodiscard]] ingest::read_options read_options(const input& in, unsigned threads) const;
  /// The progress mode (`never` when quiet).
  [[nodiscard]] progress_mode progress_when() const;
};

/// Adds -j, --strict, --quiet, --progress, --from and --max-diagnostics to a (sub)command.
void add_common_options(CLI::App& app, common_options& o);

/// Checks what `add_common_options` could not (e.g. an unknown --from); throws `usage_error`.
void check_common_options(const common_options& o);

/// Reads one whole input on `threads` threads (standard input when `in.is_stdin`).
[[nodiscard]] ingest::read_result read_input(const input& in, const common_options& o,
                                             unsigned threads);

/// Expands the INPUT arguments; reports each bad argument as an error (the run goes on with
/// the rest, and ends with status 1). Throws `usage_error` when nothing is left to read.
[[nodiscard]] input_list inputs_or_fail(const std::vector<std::string>& args, reporter& r);

/// Writes an output: to `path` atomically (refusing a path that is one of the inputs), or to
/// standard output when `path` is empty or "-". `write` receives the sink.
void write_output(const std::string& path, const input_list& inputs,
                  const std::function<void(const emit::sink&)>& write);

/// Threads to give each input's read when `jobs` threads share `files` inputs.
[[nodiscard]] inline unsigned threads_per_input(unsigned jobs, std::size_t files) {
  const auto side_by_side =
      static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(files, 1)));
  return std::max(1u, jobs / side_by_side);
}

/// Runs `produce(i)` for every input index on up to `workers` threads, and `consume(i, value)`
/// on the calling thread in input order, so outputs come out in a fixed order while inputs are
/// read side by side. At most `2 * workers` produced values wait at a time (memory stays
/// bounded). An exception from `produce` is rethrown from here, in order.
template <class T, class Produce, class Consume>
void for_each_input(std::size_t n, unsigned workers, Produce produce, Consume consume) {
  if (workers <= 1 || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) consume(i, produce(i));
    return;
  }
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::optional<T>> ready(n);
  std::vector<std::exception_ptr> failed(n);
  std::size_t next = 0, consumed = 0;
  bool abandon = false;
  const std::size_t window = 2 * static_cast<std::size_t>(workers);
  auto work = [&] {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return abandon || next >= n || next < consumed + window; });
        if (abandon || next >= n) return;
        i = next++;
      }
      std::optional<T> v;
      std::exception_ptr e;
      try {
        v.emplace(produce(i));
      } catch (...) {
        e = std::current_exception();
      }
      {
        const std::lock_guard lock(m);
        ready[i] = std::move(v);
        failed[i] = e;
      }
      cv.notify_all();
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned w = 0; w < std::min<std::size_t>(workers, n); ++w) pool.emplace_back(work);
  try {
    for (std::size_t i = 0; i < n; ++i) {
      std::optional<T> v;
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return ready[i].has_value() || failed[i]; });
        if (failed[i]) std::rethrow_exception(failed[i]);
        v = std::move(ready[i]);
        ready[i].reset();
        consumed = i + 1;
      }
      cv.notify_all();
      consume(i, std::move(*v));
    }
  } catch (...) {
    {
      const std::lock_guard lock(m);
      abandon = true;
    }
    cv.notify_all();
    throw;
  }
}

}  // namespace tracefold::cli
