#pragma once
/// @file
/// The tracefold commands. Each adds its subcommand to the app and runs it when chosen.
#include <cstdint>
#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/folds/red_table.hpp>
#include <vector>

#include "common.hpp"

namespace CLI {
class App;
}

namespace tracefold::cli {

/// Stats formats shared by `stats` and `merge`.
inline const std::vector<std::string> table_formats = {"text",         "json",       "csv",
                                                       "otlp-metrics", "prometheus", "partial"};

/// Writes `table` in one of `table_formats` to `out`; the text table shows the `top` groups
/// with the most total time (0: all) and sums up the rest in a last line.
void write_table(const folds::red_table& table, const std::string& format, const emit::sink& out,
                 std::size_t top = 0);

/// `tracefold stats`: per-operation calls, errors and latency.
struct stats_command {
  common_options common;            ///< shared options
  std::vector<std::string> inputs;  ///< INPUT...
  std::vector<std::string> by;      ///< --by ATTR...
  std::string format = "text";      ///< --format
  std::string output;               ///< -o FILE
  std::size_t top = 0;              ///< --top N groups in the text table (0: all)
  std::vector<std::string> group;   ///< --group DIM,... (service, name, kind, status)
  bool exact = false;               ///< --exact: keep every value, exact quantiles
  /// Adds the subcommand.
  CLI::App* add(CLI::App& app);
  /// Runs it; returns the exit status.
  int run();
};

/// `tracefold convert`: several output formats in one pass over each input.
struct convert_command {
  common_options common;            ///< shared options
  std::vector<std::string> inputs;  ///< INPUT...
  std::vector<std::string> to;      ///< --to FORMAT[,FORMAT...]
  std::string output;               ///< -o DIR|FILE
  std::uint64_t max_rows = 0;       ///< --max-rows for pictures
  std::uint32_t width = 1200;       ///< --width of pictures
  bool critical_path = false;       ///< --critical-path
  /// Adds the subcommand.
  CLI::App* add(CLI::App& app);
  /// Runs it; returns the exit status.
  int run();
};

/// `tracefold timeline`: one trace as a terminal timeline.
struct timeline_command {
  common_options common;       ///< shared options
  std::string input;           ///< INPUT
  std::string trace;           ///< --trace ID
  bool longest = false;        ///< --longest (the default)
  bool first = false;          ///< --first
  bool lanes = false;          ///< --lanes
  std::size_t columns = 0;     ///< --width; 0: COLUMNS or 80
  std::size_t max_rows = 0;    ///< --max-rows; 0: all
  std::string color = "auto";  ///< --color auto|always|never
  /// Adds the subcommand.
  CLI::App* add(CLI::App& app);
  /// Runs it; returns the exit status.
  int run();
};

/// `tracefold validate`: diagnostics only.
struct validate_command {
  common_options common;            ///< shared options
  std::vector<std::string> inputs;  ///< INPUT...
  /// Adds the subcommand.
  CLI::App* add(CLI::App& app);
  /// Runs it; returns the exit status.
  int run();
};

/// `tracefold merge`: combine partial stats states.
struct merge_command {
  common_options common;              ///< shared options (-q)
  std::vector<std::string> partials;  ///< PARTIAL...
  std::string format = "text";        ///< --format
  std::string output;                 ///< -o FILE
  /// Adds the subcommand.
  CLI::App* add(CLI::App& app);
  /// Runs it; returns the exit status.
  int run();
};

/// `tracefold gen`: the deterministic dump generator.
struct gen_command {
  std::string size = "10MB";  ///< --size
  bool jsonl = false;         ///< --jsonl
  std::uint64_t seed = 1;     ///< --seed
  bool extreme = false;       ///< --extreme-shapes
  std::string output;         ///< -o FILE
  bool quiet = false;         ///< -q
  /// Adds the subcommand.
  CLI::App* add(CLI::App& app);
  /// Runs it; returns the exit status.
  int run();
};

/// Parses "100MB", "1.5GiB", "4096" into bytes (B, KB, MB, GB decimal; KiB, MiB, GiB
/// binary; case-insensitive). Throws `usage_error`.
[[nodiscard]] std::uint64_t parse_size(const std::string& text);

}  // namespace tracefold::cli
