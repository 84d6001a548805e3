#pragma once
/// @file
/// `cli::input` and `cli::expand_inputs`: what the INPUT arguments name.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tracefold::cli {

/// One input: a file, or standard input.
struct input {
  std::filesystem::path path;  ///< the file ("-" for standard input)
  bool is_stdin = false;       ///< read standard input
  std::uint64_t size = 0;      ///< bytes, 0 for standard input or when unknown
  /// The name diagnostics use: the path as given (or found under a directory), "-" for stdin.
  [[nodiscard]] std::string name() const { return is_stdin ? std::string("-") : path.string(); }
};

/// The inputs named by INPUT arguments, and what was wrong with the arguments.
struct input_list {
  std::vector<input> files;           ///< in argument order; a directory's files sorted by path
  std::vector<std::string> problems;  ///< "no such file: x", one per bad argument
  std::uint64_t total_bytes = 0;      ///< sum of the files' sizes
};

/// Expands INPUT arguments: a file is taken as it is (whatever its name), a directory is
/// searched recursively for `.json`, `.jsonl` and `.ndjson` files (sorted by path, symbolic
/// links to directories not followed), and `-` is standard input (at most once).
[[nodiscard]] input_list expand_inputs(const std::vector<std::string>& args);

/// True when `p` names the same file as one of `inputs` (after resolving links), so an output
/// would overwrite an input.
[[nodiscard]] bool is_an_input(const std::filesystem::path& p, const input_list& inputs);

}  // namespace tracefold::cli
