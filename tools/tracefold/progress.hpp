#pragma once
/// @file
/// `cli::progress`: a progress line on standard error for long runs.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace tracefold::cli {

/// When to draw the progress line.
enum class progress_mode {
  automatic,  ///< when standard error is a terminal
  always,     ///< always (a terminal gets one updating line, anything else a line a second)
  never,      ///< never
};

/// Draws "files done of total, MB done, MB/s, time left" on standard error about four times
/// a second, starting once the job has run for a second (short jobs print nothing). Counters
/// are atomics: workers call `add_bytes` and `file_done` from any thread. When the object is
/// destroyed, the line is cleared on a terminal; anywhere else a job that ran past the delay
/// gets one last line with its final counts.
class progress {
 public:
  /// Starts the drawing thread unless `mode` says not to draw.
  progress(progress_mode mode, std::uint64_t files, std::uint64_t bytes);
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;
  /// Stops drawing: clears the line on a terminal, else draws the final counts (see above).
  ~progress();
  /// `n` more input bytes processed.
  void add_bytes(std::uint64_t n) noexcept { bytes_done_.fetch_add(n, std::memory_order_relaxed); }
  /// One more file finished.
  void file_done() noexcept { files_done_.fetch_add(1, std::memory_order_relaxed); }

 private:
  void draw_loop();
  void draw(bool tty);

  std::uint64_t files_ = 0;
  std::uint64_t bytes_ = 0;
  std::atomic<std::uint64_t> files_done_{0};
  std::atomic<std::uint64_t> bytes_done_{0};
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool drawn_ = false;
  bool tty_ = false;
  std::chrono::steady_clock::time_point start_;  ///< when the job started
  std::thread thread_;
};

}  // namespace tracefold::cli
