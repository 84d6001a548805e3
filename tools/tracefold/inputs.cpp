#include "inputs.hpp"

#include <algorithm>
#include <system_error>

namespace tracefold::cli {

namespace {

bool dump_extension(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".json" || ext == ".jsonl" || ext == ".ndjson";
}

}  // namespace

input_list expand_inputs(const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  input_list out;
  bool stdin_seen = false;
  for (const std::string& arg : args) {
    if (arg == "-") {
      if (stdin_seen) {
        out.problems.push_back("standard input ('-') named more than once");
        continue;
      }
      stdin_seen = true;
      out.files.push_back({"-", true, 0});
      continue;
    }
    std::error_code ec;
    const fs::path p(arg);
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      out.problems.push_back(arg + ": no such file or directory");
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<fs::path> found;
      fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code fe;
        if (it->is_regular_file(fe) && dump_extension(it->path())) found.push_back(it->path());
      }
      if (ec) {
        out.problems.push_back(arg + ": cannot list the directory (" + ec.message() + ")");
        continue;
      }
      if (found.empty()) {
        out.problems.push_back(arg + ": no .json, .jsonl or .ndjson files in this directory");
        continue;
      }
      std::sort(found.begin(), found.end());
      for (fs::path& f : found) {
        std::error_code se;
        const auto size = fs::file_size(f, se);
        out.files.push_back({std::move(f), false, se ? 0 : static_cast<std::uint64_t>(size)});
      }
      continue;
    }
    const auto size = fs::file_size(p, ec);
    out.files.push_back({p, false, ec ? 0 : static_cast<std::uint64_t>(size)});
  }
  for (const input& in : out.files) out.total_bytes += in.size;
  return out;
}

bool is_an_input(const std::filesystem::path& p, const input_list& inputs) {
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) return false;
  for (const input& in : inputs.files) {
    if (in.is_stdin) continue;
    std::error_code e2;
    if (std::filesystem::equivalent(p, in.path, e2)) return true;
  }
  return false;
}

}  // namespace tracefold::cli
