// tracefold validate: read every input and report what is wrong, write nothing.
#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace tracefold::cli {

CLI::App* validate_command::add(CLI::App& app) {
  CLI::App* c = app.add_subcommand(
      "validate", "Check dumps and print their diagnostics; exit 0 when there are no errors");
  c->add_option("INPUT", inputs,
                "Dump files, directories (searched for .json, .jsonl, "
                ".ndjson) or - for standard input")
      ->required();
  add_common_options(*c, common);
  c->footer(
      "Examples:\n"
      "  tracefold validate dump.jsonl\n"
      "  tracefold validate --strict --max-diagnostics 0 dumps/");
  return c;
}

int validate_command::run() {
  check_common_options(common);
  reporter rep(common.quiet, common.max_diagnostics);
  const input_list in = inputs_or_fail(inputs, rep);
  const unsigned jobs = common.threads();
  const unsigned per_input = threads_per_input(jobs, in.files.size());
  progress bar(common.progress_when(), in.files.size(), in.total_bytes);
  for_each_input<ingest::read_result>(
      in.files.size(), jobs / per_input,
      [&](std::size_t i) {
        ingest::read_result r = read_input(in.files[i], common, per_input);
        bar.add_bytes(in.files[i].size);
        bar.file_done();
        return r;
      },
      [&](std::size_t i, ingest::read_result&& r) {
        const bool good = rep.input_done(in.files[i].name(), r.diagnostics(), r.stats, r.complete);
        if (good)
          rep.note(in.files[i].name() + ": ok, " + grouped(r.stats.spans_kept) + " spans in " +
                   grouped(r.traces.trace_count()) + " traces");
      });
  return rep.errors() == 0 ? exit_ok : exit_input_error;
}

}  // namespace tracefold::cli
