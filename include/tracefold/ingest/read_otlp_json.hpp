#pragma once
/// @file
/// `ingest::read_otlp_json`: OTLP-JSON trace dumps from memory, a file or a stream.

#include <filesystem>
#include <istream>
#include <string_view>
#include <tracefold/ingest/read_options.hpp>
#include <tracefold/ingest/read_result.hpp>

namespace tracefold::ingest {

/// Reads OTLP-JSON trace data held in memory.
///
/// Accepts what real producers write: one `ExportTraceServiceRequest` / `TracesData`
/// document; JSON Lines, one request per line (the OpenTelemetry Collector file exporter);
/// a top-level array of requests; Jaeger's `{"result": {...}}` wrapper; an optional UTF-8
/// BOM. Keys in lowerCamelCase or snake_case (and the old `instrumentationLibrarySpans`);
/// int64 fields as strings or numbers; hex ids in either case; unknown fields ignored.
/// Lenient mode also takes base64 ids and enum names (`SPAN_KIND_SERVER`), noting each once
/// as an info diagnostic, and replaces invalid UTF-8 with U+FFFD, with a warning.
///
/// Every problem is a diagnostic with file, line, column, byte offset and JSON path, e.g.
/// `dump.jsonl:3:1187: error: resourceSpans[0].scopeSpans[0].spans[4].spanId: expected 16
/// hex digits, got "xyz"`. Lenient mode (default) rejects only the offending span (or the
/// rest of a document that is not valid JSON) and keeps everything else; strict mode stops.
/// Either way `stats.spans_read == stats.spans_kept + stats.spans_rejected`.
///
/// JSON Lines input is read on `options.threads` threads (lenient mode, inputs of 4 MiB or
/// more): the input is cut at line boundaries, each part is read into its own builder, and
/// the parts are joined in order, so the result is the same as on one thread.
///
/// Copies `json` once into a padded buffer (simdjson needs padding); strings are copied
/// into the result's storage, so `json` may be freed after the call.
[[nodiscard]] read_result read_otlp_json(std::string_view json, const read_options& options = {});

/// Reads OTLP-JSON from a buffer the caller has padded, without the copy `read_otlp_json`
/// makes: `json.data()` must stay readable for 64 bytes past `json.size()` (simdjson reads
/// ahead), e.g. a `std::string` whose capacity exceeds its size by 64. Otherwise the same.
[[nodiscard]] read_result read_otlp_json_padded(std::string_view json,
                                                const read_options& options = {});

/// Reads an OTLP-JSON file (see `read_otlp_json`). A file that cannot be read gives an
/// incomplete result with an `io_error` diagnostic. `.jsonl` / `.ndjson` files are always
/// read as JSON Lines; other names are sniffed. With one thread, a JSON Lines file is read in
/// windows of `options.stream_window` bytes (whole lines), so peak memory is the traces plus
/// one window. Other regular files (a document, JSON Lines on several threads) are mapped
/// read-only and the pages already read are dropped every few MiB, so memory holds the
/// traces and a few MiB of input, not the whole file; as with any mapped file, a file cut
/// shorter by another process while it is read ends the process with SIGBUS. Anything else
/// (a pipe, a device) is read into memory whole.
[[nodiscard]] read_result read_file(const std::filesystem::path& path, read_options options = {});

/// Reads OTLP-JSON from a stream to its end (stdin: `read_stream(std::cin)`, named "-"). The
/// stream is held in memory whole, once (no second, padded copy).
[[nodiscard]] read_result read_stream(std::istream& in, read_options options = {});

}  // namespace tracefold::ingest
