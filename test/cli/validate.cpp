#include <doctest/doctest.h>

#include "cli/fixtures.hpp"

namespace fs = std::filesystem;

TEST_CASE("validate: a good dump exits 0 and says so; a bad one exits 1 naming line and column") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  const auto good = tft::run_tracefold({"validate", in.string()}, d.path);
  CHECK(good.status == 0);
  CHECK(good.err.find(": ok, ") != std::string::npos);
  CHECK(good.out.empty());
  const auto quiet = tft::run_tracefold({"validate", "-q", in.string()}, d.path);
  CHECK(quiet.err.empty());
  const fs::path bad = tft::golden_input("jsonl_truncated_line.jsonl");
  const auto r = tft::run_tracefold({"validate", bad.string()}, d.path);
  CHECK(r.status == 1);
  CHECK(r.err.find("jsonl_truncated_line.jsonl:2:492: error: ") != std::string::npos);
  CHECK(r.err.find("4 spans read, 3 kept, 1 rejected") != std::string::npos);
}

TEST_CASE("validate: every golden bad input gives 1, never a crash; --max-diagnostics limits") {
  tft::scratch_dir d;
  for (const char* name : {"truncated.json", "empty.json", "whitespace_only.json", "not_json.json",
                           "wrong_shape_metrics.json", "kvlist_too_deep.json", "invalid_utf8.json",
                           "end_before_start.json", "int64_overflow_negative.json"}) {
    CAPTURE(name);
    const auto r = tft::run_tracefold({"validate", tft::golden_input(name).string()}, d.path);
    CHECK(r.signal == 0);
    CHECK((r.status == 0 || r.status == 1));
    if (r.status == 1) CHECK(r.err.find(name) != std::string::npos);
  }
  const auto one = tft::run_tracefold(
      {"validate", "--max-diagnostics", "1", tft::golden_input("ids_invalid.json").string()},
      d.path);
  CHECK(tft::occurrences(one.err, ": error: resourceSpans") == 1);
  CHECK(one.err.find("more diagnostics not shown") != std::string::npos);
}

TEST_CASE("validate: --strict stops at the first error") {
  tft::scratch_dir d;
  const auto r = tft::run_tracefold(
      {"validate", "--strict", tft::golden_input("ids_invalid.json").string()}, d.path);
  CHECK(r.status == 1);
  CHECK(tft::occurrences(r.err, ": error: resourceSpans") == 1);
  CHECK(r.err.find("the read stopped early") != std::string::npos);
}
