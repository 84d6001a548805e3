#pragma once
// Reading a line window into a builder the caller keeps (private to lib/): read_window builds
// one trace_set per window; read_file streams every window of a file into one builder.

#include <tracefold/ingest/line_windows.hpp>
#include <tracefold/ingest/read_options.hpp>
#include <tracefold/ingest/read_stats.hpp>
#include <tracefold/model/trace_set_builder.hpp>

namespace tracefold::ingest::detail {

/// Reads `w` as JSON Lines into `b`, adding to `stats`, and moves the diagnostics it adds to
/// whole-input positions (byte offset and line; columns need no change, windows start at line
/// starts). A window without JSON (whitespace, after a byte order mark at the start of the
/// input) adds its bytes and nothing else, unless it is `blank_input`. A window with
/// `line == 0` keeps line numbers counted from its first line.
/// When `newlines` is not null, sets it to the newlines in the window's text (counted before
/// a mapped window's pages are dropped). Returns false when strict mode stopped at an error.
bool read_window_into(const line_window& w, const read_options& options, trace_set_builder& b,
                      read_stats& stats, std::uint64_t* newlines = nullptr);

}  // namespace tracefold::ingest::detail
