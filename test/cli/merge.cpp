#include <doctest/doctest.h>

#include <fstream>

#include "cli/fixtures.hpp"

namespace fs = std::filesystem;

TEST_CASE("merge: partials of shards merge to the stats of the whole, in any format") {
  tft::scratch_dir d;
  const fs::path a = tft::generated(d, "a.jsonl", "120KB", true, "4");
  const fs::path b = tft::generated(d, "b.jsonl", "120KB", true, "5");
  CHECK(tft::run_tracefold(
            {"stats", "--format", "partial", "-o", (d / "pa.json").string(), a.string()}, d.path)
            .status == 0);
  CHECK(tft::run_tracefold(
            {"stats", "--format", "partial", "-o", (d / "pb.json").string(), b.string()}, d.path)
            .status == 0);
  for (const char* f : {"json", "partial", "text", "csv"}) {
    CAPTURE(f);
    const auto merged = tft::run_tracefold(
        {"merge", "--format", f, (d / "pa.json").string(), (d / "pb.json").string()}, d.path);
    const auto whole = tft::run_tracefold({"stats", "--format", f, a.string(), b.string()}, d.path);
    CHECK(merged.status == 0);
    CHECK(merged.out == whole.out);
  }
}

TEST_CASE("merge: a bad partial is an error and nothing is written") {
  tft::scratch_dir d;
  const fs::path a = tft::generated(d, "a.jsonl", "100KB");
  tft::run_tracefold({"stats", "--format", "partial", "-o", (d / "pa.json").string(), a.string()},
                     d.path);
  std::ofstream(d / "bad.json") << "{\"format\":\"tracefold.red_partial\",\"version\":1}";
  const auto r = tft::run_tracefold(
      {"merge", "-o", (d / "m.txt").string(), (d / "pa.json").string(), (d / "bad.json").string()},
      d.path);
  CHECK(r.status == 1);
  CHECK(r.err.find("bad.json:1:") != std::string::npos);
  CHECK(!fs::exists(d / "m.txt"));
  const auto by = tft::run_tracefold({"stats", "--by", "http.route", "--format", "partial", "-o",
                                      (d / "pr.json").string(), a.string()},
                                     d.path);
  CHECK(by.status == 0);
  const auto mixed =
      tft::run_tracefold({"merge", (d / "pa.json").string(), (d / "pr.json").string()}, d.path);
  CHECK(mixed.status == 1);
  CHECK(mixed.err.find("other attributes") != std::string::npos);
}
