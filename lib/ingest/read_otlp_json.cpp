#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <tracefold/ingest/line_windows.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>
#include <vector>

#include "mapped_file.hpp"
#include "otlp_json_reader.hpp"
#include "window_reader.hpp"

namespace tracefold::ingest {

namespace {

read_result finish(trace_set_builder& b, read_stats& stats, bool complete, unsigned threads = 1) {
  read_result r;
  r.stats = stats;
  r.complete = complete;
  r.traces = std::move(b).build(threads);
  return r;
}

/// JSON Lines on several threads: cut at line starts, read each part into its own builder,
/// shift each part's diagnostics to whole-file positions, join the parts in order.
read_result read_lines_parallel(const char* data, std::size_t size, unsigned threads,
                                const read_options& options, detail::release_hook release) {
  std::vector<std::size_t> cut{0};
  for (unsigned t = 1; t < threads; ++t) {
    std::size_t at = std::max(cut.back(), size / threads * t);
    const void* nl = at < size ? std::memchr(data + at, '\n', size - at) : nullptr;
    at = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1 : size;
    cut.push_back(at);
  }
  cut.push_back(size);
  const std::size_t parts = cut.size() - 1;
  // What each thread writes for every span (its builder's array ends and arena pointer, its
  // counts) sits on cache lines of its own, so the threads never write to a shared line.
  struct alignas(128) part_state {
    trace_set_builder builder;
    read_stats stats;
    bool complete = true;
  };
  std::vector<part_state> part(parts);
  // The first builder receives the others' spans (append): room for all of them.
  part[0].builder.reserve(detail::expected_spans(size));
  for (std::size_t p = 1; p < parts; ++p)
    part[p].builder.reserve(detail::expected_spans(cut[p + 1] - cut[p]));
  {
    std::vector<std::jthread> workers;
    for (std::size_t p = 1; p < parts; ++p)
      workers.emplace_back([&, p] {
        part[p].complete =
            detail::read_otlp_buffer(data + cut[p], cut[p + 1] - cut[p], detail::layout::json_lines,
                                     options, part[p].builder, part[p].stats, release);
      });
    part[0].complete = detail::read_otlp_buffer(data, cut[1], detail::layout::json_lines, options,
                                                part[0].builder, part[0].stats, release);
  }
  read_stats total;
  // Line numbers found in part p count from the part's start: add the lines before it. The
  // newlines are counted only when a part has something to report.
  std::uint64_t lines_before = 0;
  std::size_t counted_to = 0;
  bool all = true;
  for (std::size_t p = 0; p < parts; ++p) {
    if (!part[p].builder.diagnostics().empty()) {
      lines_before +=
          static_cast<std::uint64_t>(std::count(data + counted_to, data + cut[p], '\n'));
      counted_to = cut[p];
      for (diagnostic& d : part[p].builder.diagnostics()) {
        d.byte_offset += cut[p];
        if (d.line != 0) d.line += lines_before;  // parts start at line starts: columns stay
      }
    }
    if (p > 0) part[0].builder.append(std::move(part[p].builder));
    total += part[p].stats;
    all = all && part[p].complete;
  }
  return finish(part[0].builder, total, all, threads);
}

read_result read_padded(const char* data, std::size_t size, detail::layout how,
                        const read_options& options, detail::release_hook release = {}) {
  unsigned threads =
      options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads;
  if (threads > 1 && options.mode == read_mode::lenient && size >= (std::size_t{4} << 20) &&
      // (A first line longer than 16 MiB is not looked for to its end: the one-thread read
      // takes such an input, whatever it is. A document on one line is not read through.)
      detail::sniff_layout(data, std::min(size, std::size_t{16} << 20), how) ==
          detail::layout::json_lines)
    return read_lines_parallel(data, size, threads, options, release);
  trace_set_builder b;
  b.reserve(detail::expected_spans(size));
  read_stats stats;
  const bool complete = detail::read_otlp_buffer(data, size, how, options, b, stats, release);
  return finish(b, stats, complete);
}

read_result io_failure(const read_options& options, std::string message) {
  trace_set_builder b;
  diagnostic d;
  d.severity = severity::error;
  d.code = diagnostic_code::io_error;
  d.file = options.source_name;
  d.message = std::move(message);
  b.add_diagnostic(std::move(d));
  read_stats stats;
  return finish(b, stats, false);
}

bool json_lines_name(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".jsonl" || ext == ".ndjson";
}

}  // namespace

read_result read_otlp_json(std::string_view json, const read_options& options) {
  const simdjson::padded_string padded(json);
  return read_padded(padded.data(), padded.size(), detail::layout::sniff, options);
}

/// A JSON Lines file read window by window (whole lines each, `line_windows`), so memory
/// holds the traces and one window, not the whole input. Diagnostics are at file positions.
read_result read_lines_streaming(line_windows& in, std::size_t file_size,
                                 const read_options& options) {
  trace_set_builder b;
  b.reserve(detail::expected_spans(file_size));
  read_stats stats;
  bool complete = true;
  while (complete) {
    const std::optional<line_window> w = in.next();
    if (!w) break;
    complete = detail::read_window_into(*w, options, b, stats);
  }
  if (in.error()) {
    b.add_diagnostic(*in.error());
    complete = false;
  }
  return finish(b, stats, complete);
}

read_result read_otlp_json_padded(std::string_view json, const read_options& options) {
  return read_padded(json.data(), json.size(), detail::layout::sniff, options);
}

read_result read_file(const std::filesystem::path& path, read_options options) {
  if (options.source_name.empty()) options.source_name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return io_failure(options, "is a directory, not a file");
  if (json_lines_name(path) && options.threads == 1) {
    // Windows of at least 4 KiB: smaller ones only add calls.
    line_windows in(path, std::max<std::size_t>(options.stream_window, 4096), options.source_name);
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!in.error())
      return read_lines_streaming(in, ec ? 0 : static_cast<std::size_t>(size), options);
    // Could not open it: the whole-file load below says why, as for any other file.
  }
  const detail::layout how =
      json_lines_name(path) ? detail::layout::json_lines : detail::layout::sniff;
  // A regular file is read where the kernel caches it, and the pages read are dropped as the
  // reader moves on: memory holds the traces, not the input.
  if (const detail::mapped_file file(path); file.mapped())
    return read_padded(file.data(), file.size(), how, options,
                       {&detail::mapped_file::release_hook_fn, &file});
  simdjson::padded_string padded;
  if (auto e = simdjson::padded_string::load(path.string()).get(padded)) {
    std::string why(std::filesystem::exists(path, ec) ? "cannot be read" : "no such file");
    why.append(" (").append(simdjson::error_message(e)).append(")");
    return io_failure(options, std::move(why));
  }
  return read_padded(padded.data(), padded.size(), how, options);
}

read_result read_stream(std::istream& in, read_options options) {
  if (options.source_name.empty())
    options.source_name.push_back('-');  // (not = "-": GCC 12 -Wrestrict false positive)
  // Read into a buffer that is its own padding (no second, padded copy of the input).
  std::string text;
  std::size_t n = 0;
  for (std::size_t chunk = std::size_t{1} << 16;;
       chunk = std::min<std::size_t>(chunk * 2, std::size_t{64} << 20)) {
    text.resize(n + chunk + simdjson::SIMDJSON_PADDING);
    in.read(text.data() + n, static_cast<std::streamsize>(chunk));
    n += static_cast<std::size_t>(in.gcount());
    if (!in) break;
  }
  if (in.bad()) return io_failure(options, "read error");
  text.resize(n + simdjson::SIMDJSON_PADDING);
  std::fill(text.begin() + static_cast<std::ptrdiff_t>(n), text.end(), '\0');
  return read_padded(text.data(), n, detail::layout::sniff, options);
}

}  // namespace tracefold::ingest
