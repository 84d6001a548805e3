// tracefold gen: the deterministic generator of realistic OTLP-JSON dumps.
#include <CLI/CLI.hpp>
#include <cctype>
#include <cmath>
#include <tracefold/emit/generate.hpp>

#include "commands.hpp"

namespace tracefold::cli {

std::uint64_t parse_size(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  std::string unit;
  for (std::size_t k = i; k < text.size(); ++k)
    unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[k]))));
  double number = 0;
  try {
    std::size_t used = 0;
    number = std::stod(text.substr(0, i), &used);
    if (used != i) throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw usage_error("--size " + text + ": expected a number with an optional unit (100MB)");
  }
  double scale = 0;
  if (unit.empty() || unit == "b")
    scale = 1;
  else if (unit == "kb" || unit == "k")
    scale = 1e3;
  else if (unit == "mb" || unit == "m")
    scale = 1e6;
  else if (unit == "gb" || unit == "g")
    scale = 1e9;
  else if (unit == "kib")
    scale = 1024.0;
  else if (unit == "mib")
    scale = 1024.0 * 1024;
  else if (unit == "gib")
    scale = 1024.0 * 1024 * 1024;
  else
    throw usage_error("--size " + text + ": unknown unit (use B, KB, MB, GB, KiB, MiB or GiB)");
  const double bytes = number * scale;
  if (!(bytes >= 1) || bytes > 1e15) throw usage_error("--size " + text + ": out of range");
  return static_cast<std::uint64_t>(std::llround(bytes));
}

CLI::App* gen_command::add(CLI::App& app) {
  CLI::App* c =
      app.add_subcommand("gen", "Generate a realistic OTLP-JSON dump (deterministic for a seed)");
  c->add_option("--size", size, "About this many bytes: 100MB, 1GiB, 4096 (default 10MB)");
  c->add_flag("--jsonl", jsonl, "JSON Lines, one request per trace (default: one document)");
  c->add_option("--seed", seed, "Same seed and size, same bytes (default 1)");
  c->add_flag("--extreme-shapes", extreme,
              "Add a few very deep (a chain of 300) and very wide (400 children) traces");
  c->add_option("-o,--output", output, "Write to FILE (atomically) instead of standard output");
  c->add_flag("-q,--quiet", quiet, "Print nothing but errors");
  c->footer(
      "Examples:\n"
      "  tracefold gen --size 100MB --jsonl -o dump.jsonl\n"
      "  tracefold gen --size 5MB --seed 7 --extreme-shapes --jsonl -o sample.jsonl");
  return c;
}

int gen_command::run() {
  emit::generate_options o;
  o.target_bytes = parse_size(size);
  o.seed = seed;
  o.format.layout = jsonl ? emit::otlp_layout::lines : emit::otlp_layout::document;
  o.extreme_shapes = extreme;
  emit::generate_result r;
  write_output(output, {}, [&](const emit::sink& out) { r = emit::generate_otlp(o, out); });
  if (!quiet && !output.empty() && output != "-")
    std::fprintf(stderr, "tracefold: wrote %s: %s bytes, %s traces, %s spans\n", output.c_str(),
                 grouped(r.bytes).c_str(), grouped(r.traces).c_str(), grouped(r.spans).c_str());
  return exit_ok;
}

}  // namespace tracefold::cli
