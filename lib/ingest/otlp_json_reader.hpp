#pragma once
// The OTLP-JSON reader behind ingest::read_otlp_json (private to lib/: simdjson stays out of
// the public headers).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tracefold/ingest/read_options.hpp>
#include <tracefold/ingest/read_stats.hpp>
#include <tracefold/model/trace_set_builder.hpp>

namespace tracefold::ingest::detail {

/// How the input is laid out.
enum class layout { sniff, json_lines };

/// `json_lines` when `how` says so, or when the input's first line is one whole JSON object
/// and more text follows; `sniff` otherwise (one document, or a top-level array).
layout sniff_layout(const char* data, std::size_t size, layout how);

/// What the reader calls, every few MiB, with input it has read and will not need again
/// unless it reads a document a second time (`mapped_file::release`: the pages are dropped,
/// and mapped again from the file if touched). Empty: nothing is called.
struct release_hook {
  void (*fn)(const void* context, const char* begin, const char* end) noexcept = nullptr;
  const void* context = nullptr;  ///< passed to `fn`
};

/// Reads the OTLP-JSON in `[data, data + size)` into `b`, adding to `stats`.
///
/// `data` must be readable up to `data + size + 64` (simdjson's padding). Returns false when
/// strict mode stopped at an error. Diagnostics go into the builder. `release` is told about
/// input read (JSON Lines: whole lines; a document read on the fast path: whole
/// `resourceSpans` elements).
bool read_otlp_buffer(const char* data, std::size_t size, layout how, const read_options& options,
                      trace_set_builder& b, read_stats& stats, release_hook release = {});

/// A generous guess at the number of spans in `bytes` of OTLP-JSON, to reserve the builder's
/// span array once instead of growing it (and copying it) while reading. Real dumps spend
/// 600 to 1,200 bytes per span (the corpus; the generator 767); an unused reservation costs
/// address space, not memory, and a dump denser than this grows the array as before.
constexpr std::size_t expected_spans(std::size_t bytes) noexcept { return bytes / 512 + 16; }

/// Whether readers created from now on read spans written the usual way straight from the
/// bytes (the default) or every value through simdjson's value API. Both read every input
/// the same; tests turn the fast path off to check that.
void set_fast_path(bool on) noexcept;

/// Offset of the first byte that is not JSON whitespace (`size` if there is none).
std::size_t first_non_space(const char* data, std::size_t size) noexcept;

/// What the reader says of an input without JSON (`empty_input`): one without a byte, or
/// one of whitespace only (after a byte order mark, if any).
constexpr std::string_view empty_input_message(bool no_bytes) noexcept {
  return no_bytes ? "the input is empty: no traces" : "the input holds only whitespace: no traces";
}

}  // namespace tracefold::ingest::detail
