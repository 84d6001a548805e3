#include "progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace tracefold::cli {

progress::progress(progress_mode mode, std::uint64_t files, std::uint64_t bytes)
    : files_(files),
      bytes_(bytes),
      tty_(::isatty(2) != 0),
      start_(std::chrono::steady_clock::now()) {
  if (mode == progress_mode::never || (mode == progress_mode::automatic && !tty_)) return;
  thread_ = std::thread([this] { draw_loop(); });
}

progress::~progress() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(m_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  if (drawn_ && tty_) std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
}

void progress::draw_loop() {
  // TRACEFOLD_PROGRESS_DELAY_MS changes the one-second delay (the tests set it to 0).
  long delay_ms = 1000;
  if (const char* env = std::getenv("TRACEFOLD_PROGRESS_DELAY_MS")) delay_ms = std::atol(env);
  // Counted from the construction, not from when this thread first runs: a loaded machine may
  // start it late, and whether a line is drawn must depend on how long the job ran.
  const auto first = start_ + std::chrono::milliseconds(delay_ms);
  std::unique_lock lock(m_);
  if (!cv_.wait_until(lock, first, [this] { return stop_; })) {
    const auto period = tty_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(1000);
    do {
      draw(tty_);
    } while (!cv_.wait_for(lock, period, [this] { return stop_; }));
  }
  // Off a terminal, a job that ran past the delay ends with its final counts (a log then says
  // how far the job got). On a terminal the line is cleared instead.
  if (!tty_ && std::chrono::steady_clock::now() >= first) draw(false);
}

namespace {

std::string megabytes(std::uint64_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

}  // namespace

void progress::draw(bool tty) {
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::uint64_t done = bytes_done_.load(std::memory_order_relaxed);
  const double rate = secs > 0 ? static_cast<double>(done) / secs : 0.0;
  std::string line =
      fmt::format("{}/{} files, {} of {}, {:.1f} MB/s", files_done_.load(std::memory_order_relaxed),
                  files_, megabytes(done), megabytes(bytes_), rate / 1e6);
  if (rate > 0 && bytes_ > done) {
    const auto left = static_cast<std::uint64_t>(static_cast<double>(bytes_ - done) / rate);
    line += fmt::format(", {}:{:02} left", left / 60, left % 60);
  }
  if (tty)
    fmt::print(stderr, "\r\x1b[K{}", line);
  else
    fmt::print(stderr, "{}\n", line);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace tracefold::cli
