#include "progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace tracefold::cli {

progress::progress(progress_mode mode, std::uint64_t files, std::uint64_t bytes)
    : files_(files), bytes_(bytes), tty_(::isatty(2) != 0) {
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
  const auto start = std::chrono::steady_clock::now();
  // TRACEFOLD_PROGRESS_DELAY_MS changes the one-second delay (the tests set it to 0).
  long delay_ms = 1000;
  if (const char* env = std::getenv("TRACEFOLD_PROGRESS_DELAY_MS")) delay_ms = std::atol(env);
  std::unique_lock lock(m_);
  if (cv_.wait_for(lock, std::chrono::milliseconds(delay_ms), [this] { return stop_; })) return;
  const auto period = tty_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(1000);
  do {
    draw(tty_, start);
  } while (!cv_.wait_for(lock, period, [this] { return stop_; }));
}

namespace {

std::string megabytes(std::uint64_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

}  // namespace

void progress::draw(bool tty, std::chrono::steady_clock::time_point start) {
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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
