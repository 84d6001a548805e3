#include <doctest/doctest.h>

#include <fstream>

#include "cli/fixtures.hpp"
#include "support/strict_json.hpp"

namespace fs = std::filesystem;

namespace {
std::size_t count_files(const fs::path& dir, const std::string& suffix) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    n += name.size() >= suffix.size() &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  return n;
}
}  // namespace

TEST_CASE("convert: svg, otlp and stats-json in one run write every output into DIR") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  const fs::path out = d / "out";
  const auto r = tft::run_tracefold(
      {"convert", "--to", "svg,otlp,stats-json,otlp-metrics,timeline-json,otlp-jsonl,gantt", "-o",
       out.string(), in.string()},
      d.path);
  CHECK(r.status == 0);
  INFO(r.err);
  for (const char* f : {"traces.otlp.json", "traces.otlp.jsonl", "stats.json", "metrics.otlp.json",
                        "timeline.json", "index.html"})
    CHECK_MESSAGE(fs::exists(out / f), f);
  // As many pictures as traces, each linked from the index.
  const auto json = tft::parse_json(tft::slurp(out / "stats.json"));
  REQUIRE(json.has_value());
  const std::uint64_t traces = json->find("traces")->n;
  CHECK(traces > 3);
  CHECK(count_files(out, ".gantt.svg") == traces);
  CHECK(count_files(out, ".svg") == 2 * traces);
  const std::string index = tft::slurp(out / "index.html");
  CHECK(tft::occurrences(index, ".svg\"") == traces);
  CHECK(tft::files_named(out, ".tmp-").empty());
  // The OTLP written reads back cleanly and gives the same stats as the input.
  const auto again = tft::run_tracefold(
      {"stats", "--format", "partial", (out / "traces.otlp.json").string()}, d.path);
  const auto direct = tft::run_tracefold({"stats", "--format", "partial", in.string()}, d.path);
  CHECK(again.status == 0);
  CHECK(again.out == direct.out);
  const auto lines = tft::run_tracefold(
      {"stats", "--format", "partial", (out / "traces.otlp.jsonl").string()}, d.path);
  CHECK(lines.out == direct.out);
}

TEST_CASE("convert: the one-pass outputs equal separate runs") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  tft::run_tracefold(
      {"convert", "--to", "otlp,stats-json", "-o", (d / "both").string(), in.string()}, d.path);
  const auto otlp = tft::run_tracefold({"convert", "--to", "otlp", in.string()}, d.path);
  CHECK(otlp.status == 0);
  CHECK(otlp.out == tft::slurp(d / "both/traces.otlp.json"));
  const auto stats = tft::run_tracefold({"stats", "--format", "json", in.string()}, d.path);
  CHECK(stats.out == tft::slurp(d / "both/stats.json"));
}

TEST_CASE("convert: one single-file format goes to -o FILE or standard output") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  const auto r = tft::run_tracefold(
      {"convert", "--to", "otlp-jsonl", "-o", (d / "clean.jsonl").string(), in.string()}, d.path);
  CHECK(r.status == 0);
  CHECK(fs::file_size(d / "clean.jsonl") > 1000);
  const auto s = tft::run_tracefold({"convert", "--to", "timeline-json", in.string()}, d.path);
  CHECK(s.status == 0);
  CHECK(tft::parse_json(s.out).has_value());
}

TEST_CASE("convert: usage errors") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  const auto no_dir = tft::run_tracefold({"convert", "--to", "svg", in.string()}, d.path);
  CHECK(no_dir.status == 2);
  CHECK(no_dir.err.find("-o DIR") != std::string::npos);
  CHECK(tft::run_tracefold({"convert", "--to", "otlp,stats-json", in.string()}, d.path).status ==
        2);
  CHECK(tft::run_tracefold({"convert", "--to", "pdf", "-o", "x", in.string()}, d.path).status == 2);
  CHECK(tft::run_tracefold({"convert", in.string()}, d.path).status == 2);
  const std::string before = tft::slurp(in);
  const auto same =
      tft::run_tracefold({"convert", "--to", "otlp-jsonl", "-o", in.string(), in.string()}, d.path);
  CHECK(same.status == 2);
  CHECK(tft::slurp(in) == before);
}

TEST_CASE("convert: lenient mode writes what it could and exits 1; strict writes nothing") {
  tft::scratch_dir d;
  const fs::path bad = tft::golden_input("ids_invalid.json");
  const auto lenient = tft::run_tracefold(
      {"convert", "--to", "svg,otlp", "-o", (d / "l").string(), bad.string()}, d.path);
  CHECK(lenient.status == 1);
  CHECK(lenient.err.find("11 rejected") != std::string::npos);
  CHECK(fs::exists(d / "l/traces.otlp.json"));
  CHECK(fs::exists(d / "l/index.html"));
  const fs::path good = tft::generated(d, "a.jsonl");
  const auto strict = tft::run_tracefold({"convert", "--strict", "-j", "1", "--to", "svg,otlp",
                                          "-o", (d / "s").string(), good.string(), bad.string()},
                                         d.path);
  CHECK(strict.status == 1);
  CHECK(strict.err.find("no output was written") != std::string::npos);
  CHECK(count_files(d / "s", "") == 0);
}
