#pragma once
/// @file
/// `ingest::read_options`: how a reader treats bad input and where it says it came from.

#include <cstddef>
#include <string>

namespace tracefold::ingest {

/// What a reader does on bad input.
enum class read_mode {
  lenient,  ///< skip only the offending span (or JSON Lines line), keep the rest, say why
  strict,   ///< stop at the first error
};

/// Options for the OTLP-JSON readers.
struct read_options {
  read_mode mode = read_mode::lenient;  ///< lenient (default) or strict
  /// Name used in diagnostics (`file:line:column`); readers of files default it to the path,
  /// stdin to "-".
  std::string source_name{};
  /// Threads for JSON Lines input (0 = all cores). A single document is read on one thread.
  unsigned threads = 1;
  /// Deepest nesting of AnyValue arrays/kvlists accepted; deeper values reject their span.
  std::size_t max_value_depth = 64;
  /// `read_file` reads a one-thread JSON Lines file in windows of about this many bytes
  /// (whole lines; a longer line gets a larger window), so the input is never all in memory.
  std::size_t stream_window = std::size_t{1} << 20;
};

}  // namespace tracefold::ingest
