// tracefold timeline: one trace drawn in the terminal.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <tracefold/emit/ascii_timeline.hpp>
#include <tracefold/folds/trace_summary.hpp>

#include "commands.hpp"

namespace tracefold::cli {

CLI::App* timeline_command::add(CLI::App& app) {
  CLI::App* c = app.add_subcommand("timeline", "Draw one trace as a timeline in the terminal");
  auto* by_id = c->add_option("--trace", trace, "The trace with this id (32 hex digits)");
  auto* l = c->add_flag("--longest", longest, "The trace that lasts longest (the default)");
  auto* f = c->add_flag("--first", first, "The first trace in the input");
  by_id->excludes(l)->excludes(f);
  l->excludes(f);
  c->add_flag("--lanes", lanes, "One line per lane: spans that never overlap share a line");
  c->add_option("--width", columns, "Line width in columns (default: $COLUMNS, else 80)");
  c->add_option("--max-rows", max_rows, "Lines below the axis at most (0: all)");
  c->add_option("--color", color,
                "Colour errors: auto (when standard output is a terminal), "
                "always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  c->add_option("INPUT", input, "A dump file, or - for standard input")->required();
  add_common_options(*c, common);
  c->footer(
      "Examples:\n"
      "  tracefold timeline dump.jsonl\n"
      "  tracefold timeline --trace 5b8efff798038103d269b633813fc60c --lanes dump.json");
  return c;
}

int timeline_command::run() {
  check_common_options(common);
  reporter rep(common.quiet, common.max_diagnostics);
  const input_list in = inputs_or_fail({input}, rep);
  if (in.files.size() != 1)
    throw usage_error("timeline reads one file; " + input + " holds " +
                      std::to_string(in.files.size()));
  std::optional<trace_id> wanted;
  if (!trace.empty()) {
    wanted = trace_id::from_hex(trace);
    if (!wanted) throw usage_error("--trace " + trace + ": expected 32 hex digits");
  }
  ingest::read_result r = read_input(in.files[0], common, common.threads());
  rep.input_done(in.files[0].name(), r.diagnostics(), r.stats, r.complete);
  if (common.strict && rep.errors() != 0) return exit_input_error;
  std::optional<tracefold::trace> pick;
  std::uint64_t longest_ns = 0;
  for (const tracefold::trace& t : r.traces.traces()) {
    if (wanted) {
      if (t.id() == *wanted) {
        pick = t;
        break;
      }
      continue;
    }
    if (first) {
      pick = t;
      break;
    }
    const std::uint64_t d = folds::summarize(t).duration_ns();
    if (!pick || d > longest_ns) {
      pick = t;
      longest_ns = d;
    }
  }
  if (!pick) {
    rep.error(wanted ? "no trace " + trace + " in " + in.files[0].name()
                     : "no traces in " + in.files[0].name());
    return exit_input_error;
  }
  emit::ascii_timeline_options o = emit::ascii_timeline_options::from_environment();
  if (columns != 0) o.columns = columns;
  o.lanes = lanes;
  o.max_rows = max_rows;
  o.color = color == "always" ||
            (color == "auto" && ::isatty(1) != 0 && std::getenv("NO_COLOR") == nullptr);
  write_output("", in, [&](const emit::sink& out) { emit::to_ascii_timeline(*pick, o, out); });
  return rep.errors() == 0 ? exit_ok : exit_input_error;
}

}  // namespace tracefold::cli
