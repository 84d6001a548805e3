// tracefold: the command-line tool over the tracefold library.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "commands.hpp"
#include "interrupt.hpp"

#ifndef TRACEFOLD_VERSION
#define TRACEFOLD_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace tracefold::cli;
  install_interrupt_handling();

  CLI::App app{"tracefold: process distributed-trace dumps (OTLP-JSON) with composable folds"};
  app.set_version_flag("--version", "tracefold " TRACEFOLD_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 all went well; 1 input had errors (lenient mode still writes what it "
      "could);\n2 usage error. Run `tracefold COMMAND --help` for a command's options.\n\n"
      "Examples:\n"
      "  tracefold stats dump.jsonl\n"
      "  tracefold convert --to svg,otlp,stats-json -o out/ dump.jsonl\n"
      "  tracefold timeline --longest dump.jsonl\n"
      "  tracefold validate dumps/\n"
      "  tracefold gen --size 100MB --jsonl -o dump.jsonl");
  stats_command stats;
  convert_command convert;
  timeline_command timeline;
  validate_command validate;
  merge_command merge;
  gen_command gen;
  CLI::App* s = stats.add(app);
  CLI::App* c = convert.add(app);
  CLI::App* t = timeline.add(app);
  CLI::App* v = validate.add(app);
  CLI::App* m = merge.add(app);
  CLI::App* g = gen.add(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }
  try {
    if (s->parsed()) return stats.run();
    if (c->parsed()) return convert.run();
    if (t->parsed()) return timeline.run();
    if (v->parsed()) return validate.run();
    if (m->parsed()) return merge.run();
    if (g->parsed()) return gen.run();
  } catch (const usage_error& e) {
    std::fprintf(stderr, "tracefold: %s\n", tracefold::cli::terminal_safe(e.what()).c_str());
    return exit_usage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tracefold: error: %s\n", tracefold::cli::terminal_safe(e.what()).c_str());
    return exit_input_error;
  }
  return exit_usage;
}
