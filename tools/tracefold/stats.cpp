// tracefold stats: per-operation calls, errors and latency over every input.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <tracefold/emit/ascii_timeline.hpp>
#include <tracefold/emit/red_csv.hpp>
#include <tracefold/emit/red_json.hpp>
#include <tracefold/emit/red_otlp_metrics.hpp>
#include <tracefold/emit/red_partial.hpp>
#include <tracefold/emit/red_prometheus.hpp>
#include <tracefold/emit/red_text.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/red_stats.hpp>
#include <tracefold/ingest/fold_json_lines.hpp>
#include <tracefold/ingest/line_windows.hpp>

#include "commands.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tracefold::cli {

void write_table(const folds::red_table& table, const std::string& format, const emit::sink& out,
                 std::size_t top) {
  if (format == "text") {
    emit::red_text_options o;
    o.max_groups = top;
    o.ascii = !emit::ascii_timeline_options::from_environment().unicode;
    emit::to_red_text(table, o, out);
  } else if (format == "json") {
    emit::to_red_json(table, out);
  } else if (format == "csv") {
    emit::to_red_csv(table, {}, out);
  } else if (format == "otlp-metrics") {
    emit::to_red_otlp_metrics(table, {}, out);
  } else if (format == "prometheus") {
    emit::to_red_prometheus(table, {}, out);
  } else {
    emit::write_red_partial(table, out);
  }
}

namespace {

/// Whether `stats` streams this input (JSON Lines by its name, or by --from otlp-jsonl).
bool streams(const input& f, const common_options& o) {
  if (o.from == "otlp-jsonl") return true;
  if (f.is_stdin) return false;
  const std::string ext = f.path.extension().string();
  return ext == ".jsonl" || ext == ".ndjson";
}

/// Keeps freed heap memory for reuse while JSON Lines stream. Each window builds and drops
/// a trace_set whose arrays are the same few sizes (under 2 MiB; larger ones are reused by
/// `detail::allocate_large`). glibc's defaults map such arrays fresh and unmap them, or hand
/// the top of the heap back, so each window would fault in and zero its memory again: on the
/// VMs measured (docs/performance.md) that was a fifth of the run. Only when every input
/// streams: a document's read keeps the whole trace_set, and fixing the mmap threshold there
/// would leave its growing arrays' old copies in the heap (peak memory up 20%).
void keep_freed_memory_for_windows() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

}  // namespace

CLI::App* stats_command::add(CLI::App& app) {
  CLI::App* c = app.add_subcommand(
      "stats", "Calls, errors and latency per operation (service, span name, kind, status)");
  c->add_option("--group", group,
                "Group by these of service, name, kind, status (comma-separated; default: all)")
      ->delimiter(',')
      ->check(CLI::IsMember({"service", "name", "kind", "status"}))
      ->allow_extra_args(false);
  c->add_flag("--exact", exact,
              "Keep every duration: exact nearest-rank quantiles (16 bytes per span; not with "
              "--format partial)");
  c->add_option("--by", by, "Also group by this attribute (span, then resource); repeatable")
      ->allow_extra_args(false);
  c->add_option("--format", format, "text, json, csv, otlp-metrics, prometheus or partial")
      ->check(CLI::IsMember(table_formats));
  c->add_option("-o,--output", output, "Write to FILE (atomically) instead of standard output");
  c->add_option("--top", top,
                "Text table: the N groups with the most total time, the rest summed up (0: all)");
  c->add_option("INPUT", inputs,
                "Dump files, directories (searched for .json, .jsonl, "
                ".ndjson) or - for standard input")
      ->required();
  add_common_options(*c, common);
  c->footer(
      "Examples:\n"
      "  tracefold stats --top 20 dump.jsonl\n"
      "  tracefold stats --by http.route --format csv -o routes.csv dumps/\n"
      "  tracefold stats --group name --exact --format json dump.jsonl\n"
      "  tracefold stats --format partial -o part-1.json shard-1.jsonl   (then: tracefold merge)");
  return c;
}

int stats_command::run() {
  check_common_options(common);
  reporter rep(common.quiet, common.max_diagnostics);
  const input_list in = inputs_or_fail(inputs, rep);
  if (!output.empty() && output != "-" && is_an_input(output, in))
    throw usage_error("output " + output + " is one of the inputs; refusing to overwrite it");
  folds::red_dimensions dims;
  if (!group.empty()) {
    dims = {false, false, false, false};
    for (const std::string& d : group) {
      if (d == "service") dims.service = true;
      if (d == "name") dims.name = true;
      if (d == "kind") dims.kind = true;
      if (d == "status") dims.status = true;
    }
  }
  if (format == "partial" && (exact || !dims.all()))
    throw usage_error(
        "--format partial keeps the four standard dimensions and histograms only: it cannot be "
        "combined with --exact or --group");
  const folds::red_stats fold{{.attributes = by, .dimensions = dims, .exact = exact}};
  const unsigned jobs = common.threads();
  const unsigned per_input = threads_per_input(jobs, in.files.size());
  const unsigned side_by_side = std::max(1u, jobs / per_input);
  if (std::all_of(in.files.begin(), in.files.end(),
                  [&](const input& f) { return streams(f, common); }))
    keep_freed_memory_for_windows();
  folds::red_table total;
  bool first = true;
  {
    progress bar(common.progress_when(), in.files.size(), in.total_bytes);
    for_each_input<folds::red_table>(
        in.files.size(), side_by_side,
        [&](std::size_t i) {
          const input& f = in.files[i];
          if (streams(f, common)) {
            // JSON Lines: folded window by window, so memory stays bounded at any size.
            std::optional<ingest::line_windows> source;
            if (f.is_stdin)
              source.emplace(stdin, "-");
            else
              source.emplace(f.path);
            ingest::stream_options so;
            so.read = common.read_options(f, per_input);
            so.threads = per_input;
            // Memory stays bounded however many cores: each thread holds about four windows'
            // worth (its window, its traces, the window before), and files read side by side
            // share the pending store's budget.
            so.window_bytes = std::clamp<std::size_t>((std::size_t{32} << 20) / (jobs + 1),
                                                      std::size_t{256} << 10, std::size_t{4} << 20);
            so.max_pending_bytes = (std::size_t{64} << 20) / side_by_side;
            std::uint64_t reported = 0;
            so.on_progress = [&](std::uint64_t done) {
              bar.add_bytes(done - reported);
              reported = done;
            };
            ingest::stream_result<folds::red_table> r = ingest::fold_json_lines(*source, fold, so);
            rep.input_done(f.name(), r.diagnostics, r.stats, r.complete);
            bar.file_done();
            return std::move(r.value);
          }
          ingest::read_result r = read_input(f, common, per_input);
          rep.input_done(f.name(), r.diagnostics(), r.stats, r.complete);
          folds::red_table t = run_parallel(fold, r.traces.traces(), per_input);
          bar.add_bytes(f.size);
          bar.file_done();
          return t;
        },
        [&](std::size_t, folds::red_table&& t) {
          if (first) {
            total = std::move(t);
            first = false;
          } else {
            total.merge(t);
          }
        });
  }
  if (first) total = tracefold::run(fold, std::vector<trace>{});
  if (common.strict && rep.errors() != 0) {
    rep.error("stopped at the first error (--strict); no output was written");
    return exit_input_error;
  }
  write_output(output, in, [&](const emit::sink& out) { write_table(total, format, out, top); });
  return rep.errors() == 0 ? exit_ok : exit_input_error;
}

}  // namespace tracefold::cli
