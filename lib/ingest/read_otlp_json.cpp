#include <simdjson.h>

#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <tracefold/ingest/read_otlp_json.hpp>

#include "otlp_json_reader.hpp"

namespace tracefold::ingest {

namespace {

read_result finish(trace_set_builder& b, read_stats& stats, bool complete) {
  read_result r;
  r.stats = stats;
  r.complete = complete;
  r.traces = std::move(b).build();
  return r;
}

read_result read_padded(const char* data, std::size_t size, detail::layout how, const read_options& options) {
  trace_set_builder b;
  read_stats stats;
  const bool complete = detail::read_otlp_buffer(data, size, how, options, b, stats);
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

read_result read_file(const std::filesystem::path& path, read_options options) {
  if (options.source_name.empty()) options.source_name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return io_failure(options, "is a directory, not a file");
  simdjson::padded_string padded;
  if (auto e = simdjson::padded_string::load(path.string()).get(padded)) {
    std::string why(std::filesystem::exists(path, ec) ? "cannot be read" : "no such file");
    why.append(" (").append(simdjson::error_message(e)).append(")");
    return io_failure(options, std::move(why));
  }
  return read_padded(padded.data(), padded.size(),
                     json_lines_name(path) ? detail::layout::json_lines : detail::layout::sniff, options);
}

read_result read_stream(std::istream& in, read_options options) {
  if (options.source_name.empty()) options.source_name.push_back('-');  // (not = "-": GCC 12 -Wrestrict false positive)
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return io_failure(options, "read error");
  return read_otlp_json(text, options);
}

}  // namespace tracefold::ingest
