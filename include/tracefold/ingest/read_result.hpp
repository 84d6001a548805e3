#pragma once
/// @file
/// `ingest::read_result`: the traces a read produced, its counts and whether it finished.

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <tracefold/ingest/read_stats.hpp>
#include <tracefold/model/diagnostic.hpp>
#include <tracefold/model/trace_set.hpp>
#include <utility>

namespace tracefold::ingest {

/// Thrown by `read_result::value()` when a read did not finish.
class read_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What a read produced: the traces (with every diagnostic inside them), the counts, and
/// whether the whole input was read.
///
/// In lenient mode a read with errors still `complete`s: the bad spans are rejected and
/// reported, the rest is in `traces`. A read is incomplete when the input could not be
/// opened, or strict mode stopped at its first error.
struct read_result {
  trace_set traces;      ///< everything kept
  read_stats stats;      ///< read = kept + rejected
  bool complete = true;  ///< false after an I/O failure or a strict-mode stop

  /// Every diagnostic, reader's first, then the tree builder's.
  [[nodiscard]] std::span<const diagnostic> diagnostics() const noexcept {
    return traces.diagnostics();
  }

  /// Number of diagnostics of severity error.
  [[nodiscard]] std::size_t error_count() const noexcept {
    std::size_t n = 0;
    for (const diagnostic& d : diagnostics()) n += d.severity == severity::error;
    return n;
  }

  /// True when the read finished and reported no error (warnings and infos allowed).
  [[nodiscard]] bool ok() const noexcept { return complete && error_count() == 0; }

  /// The traces; throws `read_error` naming the first error if the read did not finish.
  [[nodiscard]] trace_set value() && {
    if (!complete) {
      std::string what = "read did not finish";
      for (const diagnostic& d : diagnostics())
        if (d.severity == severity::error) {
          what = to_string(d);
          break;
        }
      throw read_error(what);
    }
    return std::move(traces);
  }
};

}  // namespace tracefold::ingest
