#pragma once
// Inputs the CLI tests share: small generated dumps and the golden bad files.

#include <filesystem>
#include <string>

#include "cli/run.hpp"

namespace tft {

/// test/golden/ingest/`name` in the source tree.
inline std::filesystem::path golden_input(const std::string& name) {
  return std::filesystem::path(TRACEFOLD_SOURCE_DIR) / "test" / "golden" / "ingest" / name;
}

/// Generates a JSON Lines dump of about `size` ("200KB") into `dir`/`name` with the binary.
inline std::filesystem::path generated(const scratch_dir& dir, const std::string& name,
                                       const std::string& size = "200KB", bool jsonl = true,
                                       const std::string& seed = "3") {
  const std::filesystem::path p = dir / name;
  std::vector<std::string> args{"gen", "--size", size, "--seed", seed, "-q", "-o", p.string()};
  if (jsonl) args.insert(args.begin() + 1, "--jsonl");
  run_tracefold(args, dir.path);
  return p;
}

}  // namespace tft
