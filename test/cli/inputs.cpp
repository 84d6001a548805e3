#include <doctest/doctest.h>

#include <fstream>

#include "cli/fixtures.hpp"

namespace fs = std::filesystem;

TEST_CASE("inputs: a directory without dumps, and stdin twice, are reported") {
  tft::scratch_dir d;
  fs::create_directories(d / "empty");
  std::ofstream(d / "empty/readme.txt") << "x";
  const auto r = tft::run_tracefold({"validate", (d / "empty").string()}, d.path);
  CHECK(r.status == 2);  // nothing at all to read
  CHECK(r.err.find("no .json, .jsonl or .ndjson files") != std::string::npos);
  const auto twice = tft::run_tracefold({"validate", "-", "-"}, d.path);
  CHECK(twice.err.find("more than once") != std::string::npos);
}

TEST_CASE("inputs: the real dumps of the shared corpus all validate") {
  const char* corpus = std::getenv("TRACEFOLD_CORPUS");
  if (corpus == nullptr || !fs::exists(fs::path(corpus) / "otlp")) {
    MESSAGE("skipped: the shared corpus (../shared/corpus) is absent");
    return;
  }
  tft::scratch_dir d;
  const auto r = tft::run_tracefold({"validate", (fs::path(corpus) / "otlp").string()}, d.path);
  INFO(r.err);
  CHECK(r.signal == 0);
  CHECK(r.err.find(": ok, ") != std::string::npos);
  const auto c = tft::run_tracefold({"convert", "--to", "svg,otlp", "-o", (d / "out").string(),
                                     (fs::path(corpus) / "otlp").string()},
                                    d.path);
  CHECK(c.signal == 0);
  CHECK(fs::exists(d / "out/index.html"));
}
