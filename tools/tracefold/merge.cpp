// tracefold merge: combine the partial states of `stats --format partial`.
#include <CLI/CLI.hpp>
#include <tracefold/ingest/read_red_partial.hpp>

#include "commands.hpp"

namespace tracefold::cli {

CLI::App* merge_command::add(CLI::App& app) {
  CLI::App* c = app.add_subcommand(
      "merge", "Combine partial states from `stats --format partial` into any stats format");
  c->add_option("--format", format, "text, json, csv, otlp-metrics, prometheus or partial")
      ->check(CLI::IsMember(table_formats));
  c->add_option("-o,--output", output, "Write to FILE (atomically) instead of standard output");
  c->add_option("PARTIAL", partials, "Partial state files")->required();
  add_common_options(*c, common);
  c->footer(
      "Examples:\n"
      "  tracefold stats --format partial -o a.json shard-a.jsonl\n"
      "  tracefold stats --format partial -o b.json shard-b.jsonl\n"
      "  tracefold merge --format json a.json b.json");
  return c;
}

int merge_command::run() {
  reporter rep(common.quiet, common.max_diagnostics);
  input_list in;
  for (const std::string& p : partials) {
    in.files.push_back({p, p == "-", 0});
    if (p == "-") throw usage_error("merge reads partial state files, not standard input");
  }
  std::optional<folds::red_table> total;
  for (const input& f : in.files) {
    ingest::red_partial_result r = ingest::read_red_partial_file(f.path);
    if (!r.ok()) {
      rep.diagnostics(r.diagnostics);
      continue;
    }
    if (!total) {
      total = std::move(*r.table);
    } else if (total->attribute_names != r.table->attribute_names) {
      rep.error(f.name() + ": grouped by other attributes than the first partial (" +
                "merge partials of the same `stats --by` only)");
    } else {
      total->merge(*r.table);
    }
  }
  // A partial is a shard's exact totals: merging only some would be silently wrong.
  if (rep.errors() != 0) {
    rep.error("nothing was written: every partial must be read to merge them");
    return exit_input_error;
  }
  write_output(output, in, [&](const emit::sink& out) { write_table(*total, format, out); });
  return exit_ok;
}

}  // namespace tracefold::cli
