#include "common.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <tracefold/ingest/read_otlp_json.hpp>

#include "interrupt.hpp"

namespace tracefold::cli {

unsigned common_options::threads() const {
  return jobs != 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
}

ingest::read_options common_options::read_options(const input& in, unsigned threads) const {
  ingest::read_options r;
  r.mode = strict ? ingest::read_mode::strict : ingest::read_mode::lenient;
  r.source_name = in.name();
  r.threads = threads;
  return r;
}

progress_mode common_options::progress_when() const {
  if (quiet || progress == "never") return progress_mode::never;
  return progress == "always" ? progress_mode::always : progress_mode::automatic;
}

void add_common_options(CLI::App& app, common_options& o) {
  app.add_option("-j,--jobs", o.jobs, "Threads to use (default: all cores)")
      ->check(CLI::Range(0u, 1024u));
  app.add_flag("--strict", o.strict, "Stop at the first error in an input (default: lenient)");
  app.add_flag("-q,--quiet", o.quiet, "Print errors only");
  app.add_option("--progress", o.progress,
                 "Progress line on stderr: auto (when stderr is a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--from", o.from,
                 "Input format: auto (detect OTLP-JSON), otlp, or otlp-jsonl (JSON Lines; "
                 "lets `stats` stream standard input or a .json file in bounded memory)")
      ->check(CLI::IsMember({"auto", "otlp", "otlp-jsonl", "jaeger", "zipkin"}));
  app.add_option("--max-diagnostics", o.max_diagnostics,
                 "Diagnostics printed per input at most (0: all)");
}

void check_common_options(const common_options& o) {
  if (o.from == "jaeger" || o.from == "zipkin")
    throw usage_error("--from " + o.from +
                      ": not supported yet; this version reads OTLP-JSON (--from otlp)");
}

ingest::read_result read_input(const input& in, const common_options& o, unsigned threads) {
  const ingest::read_options r = o.read_options(in, threads);
  if (in.is_stdin) return ingest::read_stream(std::cin, r);
  return ingest::read_file(in.path, r);
}

input_list inputs_or_fail(const std::vector<std::string>& args, reporter& r) {
  input_list list = expand_inputs(args);
  for (const std::string& p : list.problems) r.error(p);
  if (list.files.empty()) throw usage_error("no input to read");
  return list;
}

void write_output(const std::string& path, const input_list& inputs,
                  const std::function<void(const emit::sink&)>& write) {
  if (path.empty() || path == "-") {
    write([](std::string_view chunk) {
      if (std::fwrite(chunk.data(), 1, chunk.size(), stdout) != chunk.size())
        throw std::runtime_error("cannot write to standard output");
    });
    if (std::fflush(stdout) != 0) throw std::runtime_error("cannot write to standard output");
    return;
  }
  if (is_an_input(path, inputs))
    throw usage_error("output " + path + " is one of the inputs; refusing to overwrite it");
  output_file f{std::filesystem::path(path)};
  write([&f](std::string_view chunk) { f.write(chunk); });
  f.commit();
}

}  // namespace tracefold::cli
