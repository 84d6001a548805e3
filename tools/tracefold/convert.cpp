// tracefold convert: every requested output from one pass over each input.
#include <CLI/CLI.hpp>
#include <map>
#include <set>
#include <tracefold/emit/html_index.hpp>
#include <tracefold/emit/otlp_json.hpp>
#include <tracefold/emit/red_json.hpp>
#include <tracefold/emit/red_otlp_metrics.hpp>
#include <tracefold/emit/svg_waterfall.hpp>
#include <tracefold/emit/timeline_json.hpp>
#include <tracefold/fold/prefilter.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/folds/red_stats.hpp>

#include "commands.hpp"
#include "interrupt.hpp"

namespace tracefold::cli {

namespace {

namespace fs = std::filesystem;

/// The formats and the file each writes in the output directory.
const std::map<std::string, std::string, std::less<>> file_of = {
    {"otlp", "traces.otlp.json"},
    {"otlp-jsonl", "traces.otlp.jsonl"},
    {"timeline-json", "timeline.json"},
    {"stats-json", "stats.json"},
    {"otlp-metrics", "metrics.otlp.json"},
    {"svg", ""},
    {"gantt", ""},
    {"html", "index.html"}};

/// An output that is open while the inputs are read: a file, or standard output.
struct stream_out {
  std::optional<output_file> file;
  void write(std::string_view chunk) {
    if (file) {
      file->write(chunk);
    } else if (std::fwrite(chunk.data(), 1, chunk.size(), stdout) != chunk.size()) {
      throw std::runtime_error("cannot write to standard output");
    }
  }
  void commit() {
    if (file)
      file->commit();
    else if (std::fflush(stdout) != 0)
      throw std::runtime_error("cannot write to standard output");
  }
};

}  // namespace

CLI::App* convert_command::add(CLI::App& app) {
  CLI::App* c = app.add_subcommand(
      "convert", "Write several outputs in one pass over each input (the folds' product)");
  c->add_option("--to", to,
                "Formats, comma-separated: otlp, otlp-jsonl, svg, gantt, timeline-json, html, "
                "stats-json, otlp-metrics")
      ->required()
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember({"otlp", "otlp-jsonl", "svg", "gantt", "timeline-json", "html",
                             "stats-json", "otlp-metrics"}));
  c->add_option("-o,--output", output,
                "Output directory (created if needed), or a file when one single-file format is "
                "asked for; standard output when left out and only one such format is asked for");
  c->add_option("--width", width, "Width of SVG pictures in pixels")
      ->check(CLI::Range(400u, 100000u));
  c->add_option("--max-rows", max_rows,
                "Rows drawn per SVG picture at most; the rest are "
                "collapsed into a note (0: all)");
  c->add_flag("--critical-path", critical_path, "Mark the critical path in SVG pictures");
  c->add_option("INPUT", inputs,
                "Dump files, directories (searched for .json, .jsonl, "
                ".ndjson) or - for standard input")
      ->required();
  add_common_options(*c, common);
  c->footer(
      "Outputs in DIR: traces.otlp.json (otlp), traces.otlp.jsonl (otlp-jsonl), <trace id>.svg\n"
      "and index.html (svg, html), <trace id>.gantt.svg (gantt), timeline.json (timeline-json),\n"
      "stats.json (stats-json), metrics.otlp.json (otlp-metrics).\n\n"
      "Examples:\n"
      "  tracefold convert --to svg,otlp,stats-json -o out/ dump.jsonl\n"
      "  tracefold convert --to otlp-jsonl -o clean.jsonl collector-dumps/\n"
      "  cat dump.json | tracefold convert --to timeline-json -");
  return c;
}

int convert_command::run() {
  check_common_options(common);
  reporter rep(common.quiet, common.max_diagnostics);
  const input_list in = inputs_or_fail(inputs, rep);
  std::set<std::string> want(to.begin(), to.end());
  if (want.count("html")) want.insert("svg");  // the index links pictures
  const bool pictures = want.count("svg") || want.count("gantt");
  std::size_t single_files = 0;
  for (const std::string& f : want) single_files += !file_of.at(f).empty() && f != "html";
  const bool to_dir = pictures || single_files > 1 ||
                      (!output.empty() && output != "-" && fs::is_directory(output));
  if (to_dir && (output.empty() || output == "-"))
    throw usage_error(pictures ? "svg, gantt and html write one file per trace: give -o DIR"
                               : "several formats: give -o DIR");
  const fs::path dir = to_dir ? fs::path(output) : fs::path();
  if (to_dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
  }
  auto target = [&](const std::string& format) {
    return to_dir ? dir / file_of.at(format) : fs::path(output);
  };
  auto refuse_inputs = [&](const fs::path& p) {
    if (is_an_input(p, in))
      throw usage_error("output " + p.string() + " is one of the inputs; refusing to overwrite it");
  };

  // Open every single-file output now: all of them appear at the end, or none.
  std::map<std::string, stream_out> outs;
  for (const std::string& f : want) {
    if (file_of.at(f).empty() || f == "html" || f == "stats-json" || f == "otlp-metrics") continue;
    stream_out& o = outs[f];
    if (to_dir || (!output.empty() && output != "-")) {  // else: standard output
      refuse_inputs(target(f));
      o.file.emplace(target(f));
    }
  }
  auto sink_of = [&](const std::string& f) -> emit::sink {
    if (!outs.count(f)) return {};
    stream_out* o = &outs.at(f);
    return [o](std::string_view chunk) { o->write(chunk); };
  };
  auto on = [&](const std::string& f) {
    return [enabled = want.count(f) != 0](const trace&) { return enabled; };
  };

  // Pictures are written one file per trace as they are drawn.
  std::vector<fs::path> pictures_written;
  std::set<trace_id> drawn;
  std::uint64_t repeated_ids = 0;
  auto picture_writer = [&](std::string suffix) {
    return [&, suffix](const trace& t, std::string_view svg) {
      std::string name = t.id().to_hex();
      if (suffix == ".svg" && !drawn.insert(t.id()).second) {
        ++repeated_ids;
        name += "-" + std::to_string(repeated_ids + 1);
      }
      const fs::path p = dir / (name + suffix);
      refuse_inputs(p);
      // Not fsynced: a run draws thousands of pictures, and a sync each would cost more
      // than drawing them. The rename is still atomic, so no picture is ever partial.
      output_file f(p, false);
      f.write(svg);
      f.commit();
      pictures_written.push_back(p);
    };
  };
  emit::svg_waterfall_options svg_options;
  svg_options.width = width;
  svg_options.max_rows = max_rows;
  svg_options.critical_path = critical_path;
  emit::svg_waterfall_options gantt_options = svg_options;
  gantt_options.lanes = true;
  emit::html_index_options index_options;
  index_options.title = "Traces";
  index_options.link_suffix = want.count("svg") ? ".svg" : ".gantt.svg";

  const auto fold = product(
      prefilter(on("otlp"), emit::otlp_json{{emit::otlp_layout::document, 0}, sink_of("otlp")}),
      prefilter(on("otlp-jsonl"),
                emit::otlp_json{{emit::otlp_layout::lines, 0}, sink_of("otlp-jsonl")}),
      prefilter(on("svg"), emit::svg_waterfall{svg_options, picture_writer(".svg")}),
      prefilter(on("gantt"), emit::svg_waterfall{gantt_options, picture_writer(".gantt.svg")}),
      prefilter(on("timeline-json"), emit::timeline_json{{emit::timeline_layout::document, true},
                                                         sink_of("timeline-json")}),
      prefilter([pictures](const trace&) { return pictures; }, emit::html_index{index_options}),
      prefilter(
          [&](const trace&) { return want.count("stats-json") || want.count("otlp-metrics"); },
          folds::red_stats{}));

  const unsigned jobs = common.threads();
  const unsigned per_input = threads_per_input(jobs, in.files.size());
  auto state = fold.init();
  bool stopped = false;
  {
    progress bar(common.progress_when(), in.files.size(), in.total_bytes);
    for_each_input<ingest::read_result>(
        in.files.size(), jobs / per_input,
        [&](std::size_t i) { return read_input(in.files[i], common, per_input); },
        [&](std::size_t i, ingest::read_result&& r) {
          const bool good =
              rep.input_done(in.files[i].name(), r.diagnostics(), r.stats, r.complete);
          if (stopped || (!good && common.strict)) {
            stopped = true;
            return;
          }
          for (const trace& t : r.traces.traces()) state = fold.step(std::move(state), t);
          bar.add_bytes(in.files[i].size);
          bar.file_done();
        });
  }
  if (stopped) {
    // Strict mode: nothing is written. Remove the pictures drawn before the error.
    for (const fs::path& p : pictures_written) {
      std::error_code ec;
      fs::remove(p, ec);
    }
    rep.error("stopped at the first error (--strict); no output was written");
    return exit_input_error;
  }
  const auto results = fold.done(std::move(state));
  for (auto& [f, o] : outs) o.commit();
  if (pictures) {
    const fs::path p = dir / "index.html";
    refuse_inputs(p);
    output_file f(p);
    f.write(std::get<5>(results));
    f.commit();
  }
  const folds::red_table& table = std::get<6>(results);
  if (want.count("stats-json"))
    write_output(target("stats-json").string(), in,
                 [&](const emit::sink& out) { emit::to_red_json(table, out); });
  if (want.count("otlp-metrics"))
    write_output(target("otlp-metrics").string(), in,
                 [&](const emit::sink& out) { emit::to_red_otlp_metrics(table, {}, out); });
  if (repeated_ids != 0)
    rep.warning(std::to_string(repeated_ids) +
                " traces appeared in more than one input and were drawn separately (<id>-2.svg)");
  if (to_dir) {
    const std::uint64_t drawn_traces =
        std::max(std::get<2>(results).traces, std::get<3>(results).traces);
    rep.note("wrote " + (pictures ? grouped(drawn_traces) + " pictures and " : std::string()) +
             "the outputs to " + dir.string());
  }
  return rep.errors() == 0 ? exit_ok : exit_input_error;
}

}  // namespace tracefold::cli
