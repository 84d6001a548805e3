#pragma once
/// @file
/// `cli::reporter`: what the CLI tells people on standard error.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <tracefold/ingest/read_stats.hpp>
#include <tracefold/model/diagnostic.hpp>

namespace tracefold::cli {

/// Prints diagnostics and summaries on standard error, one whole line at a time (safe from
/// several threads). Text from the input passes through `terminal_safe`, so a span name can
/// never send escape sequences to the terminal.
class reporter {
 public:
  /// `quiet`: errors only (no warnings, infos or notes). `max_diagnostics`: at most this many
  /// diagnostics printed per input (0: all); the rest are counted.
  reporter(bool quiet, std::size_t max_diagnostics) : quiet_(quiet), max_(max_diagnostics) {}

  /// Reports one input: its diagnostics, and when spans were rejected or the read stopped, a
  /// summary line saying how many and where the first error is. Returns true when the input
  /// had no error (and was read to its end).
  bool input_done(std::string_view name, std::span<const diagnostic> diagnostics,
                  const ingest::read_stats& stats, bool complete);
  /// Prints `diagnostics` (within the limits) without a summary; counts the input as having
  /// errors if one of them is an error.
  void diagnostics(std::span<const diagnostic> diagnostics);
  /// "tracefold: error: `message`"; counts as an error.
  void error(std::string_view message);
  /// "tracefold: warning: `message`" (not when quiet).
  void warning(std::string_view message);
  /// "tracefold: `message`" (not when quiet).
  void note(std::string_view message);
  /// Errors reported so far (input errors and `error` calls).
  [[nodiscard]] std::size_t errors() const;
  /// Whether notes are printed.
  [[nodiscard]] bool quiet() const noexcept { return quiet_; }

 private:
  /// What `print` saw: errors, diagnostics over the limit, and the first error.
  struct printed {
    std::size_t errors = 0;
    std::size_t hidden = 0;
    const diagnostic* first_error = nullptr;
  };
  /// Prints `diagnostics` within the limits (the caller holds the lock).
  printed print(std::span<const diagnostic> diagnostics);
  void line(std::string_view text);
  bool quiet_;
  std::size_t max_;
  mutable std::mutex m_;
  std::size_t errors_ = 0;
};

/// `text` with every control character (C0 but tab, DEL, C1) and bidirectional formatting
/// character replaced by '?' and invalid UTF-8 by U+FFFD: safe to print on a terminal.
[[nodiscard]] std::string terminal_safe(std::string_view text);

/// `n` with thousands separators: 1234567 → "1,234,567".
[[nodiscard]] std::string grouped(std::uint64_t n);

}  // namespace tracefold::cli
