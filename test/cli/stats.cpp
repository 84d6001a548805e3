#include <doctest/doctest.h>

#include <fstream>

#include "cli/fixtures.hpp"
#include "support/strict_json.hpp"

namespace fs = std::filesystem;

TEST_CASE("stats: a good dump gives the table and exit status 0") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  const tft::process_result r = tft::run_tracefold({"stats", in.string()}, d.path);
  CHECK(r.status == 0);
  CHECK(r.out.find("service") != std::string::npos);
  CHECK(r.out.find("checkout") != std::string::npos);
  CHECK(r.out.find(" spans in ") != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("stats: every --format writes its format, and json is valid JSON") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  for (const char* f : {"json", "csv", "otlp-metrics", "prometheus", "partial"}) {
    CAPTURE(f);
    const tft::process_result r = tft::run_tracefold({"stats", "--format", f, in.string()}, d.path);
    CHECK(r.status == 0);
    CHECK(!r.out.empty());
    const std::string format = f;
    if (format == "json" || format == "partial") CHECK(tft::parse_json(r.out).has_value());
  }
  const tft::process_result csv =
      tft::run_tracefold({"stats", "--format", "csv", in.string()}, d.path);
  CHECK(csv.out.rfind("service,name,kind,status,", 0) == 0);
  const tft::process_result prom =
      tft::run_tracefold({"stats", "--format", "prometheus", in.string()}, d.path);
  CHECK(prom.out.find("# TYPE") != std::string::npos);
}

TEST_CASE("stats: --by adds a column; -o writes the file and nothing to stdout") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  const fs::path out = d / "routes.json";
  const tft::process_result r = tft::run_tracefold(
      {"stats", "--by", "http.route", "--format", "json", "-o", out.string(), in.string()}, d.path);
  CHECK(r.status == 0);
  CHECK(r.out.empty());
  const std::string text = tft::slurp(out);
  CHECK(text.find("\"attributes\":[\"http.route\"]") != std::string::npos);
  CHECK(tft::files_named(d.path, ".tmp-").empty());
}

TEST_CASE("stats: bad input gives exit status 1, file:line:column, and keeps the good spans") {
  tft::scratch_dir d;
  const fs::path bad = tft::golden_input("ids_invalid.json");
  const tft::process_result r =
      tft::run_tracefold({"stats", "--format", "json", bad.string()}, d.path);
  CHECK(r.status == 1);
  CHECK(r.err.find("ids_invalid.json:40:25: error: resourceSpans[0].scopeSpans[0].spans[2].spanId: "
                   "expected 16 hex digits, got \"xyz\"") != std::string::npos);
  CHECK(r.err.find("14 spans read, 3 kept, 11 rejected") != std::string::npos);
  CHECK(r.out.find("\"spans\":3,") != std::string::npos);  // the kept spans are counted
}

TEST_CASE("stats: a directory, several files and stdin give the same totals as one file") {
  tft::scratch_dir d;
  fs::create_directories(d / "dir/sub");
  const fs::path a = tft::generated(d, "dir/a.jsonl", "150KB", true, "1");
  const fs::path b = tft::generated(d, "dir/sub/b.json", "150KB", false, "2");
  std::ofstream(d / "dir/notes.txt") << "not a dump";
  const auto dir_run =
      tft::run_tracefold({"stats", "--format", "partial", (d / "dir").string()}, d.path);
  const auto files_run = tft::run_tracefold(
      {"stats", "-j", "1", "--format", "partial", a.string(), b.string()}, d.path);
  CHECK(dir_run.status == 0);
  CHECK(files_run.status == 0);
  CHECK(dir_run.out == files_run.out);
  const auto one = tft::run_tracefold({"stats", "--format", "partial", a.string()}, d.path);
  const auto from_stdin = tft::run_tracefold({"stats", "--format", "partial", "-"}, d.path, a);
  CHECK(from_stdin.status == 0);
  CHECK(from_stdin.out == one.out);
  CHECK(one.out != dir_run.out);
}

TEST_CASE("stats: usage errors give exit status 2") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  CHECK(tft::run_tracefold({"stats", "--format", "xml", in.string()}, d.path).status == 2);
  CHECK(tft::run_tracefold({"stats", "--no-such-flag", in.string()}, d.path).status == 2);
  CHECK(tft::run_tracefold({"stats"}, d.path).status == 2);
  CHECK(tft::run_tracefold({}, d.path).status == 2);
  CHECK(tft::run_tracefold({"stats", "--from", "zipkin", in.string()}, d.path).status == 2);
  const auto same = tft::run_tracefold({"stats", "-o", in.string(), in.string()}, d.path);
  CHECK(same.status == 2);
  CHECK(same.err.find("is one of the inputs") != std::string::npos);
  CHECK(tft::slurp(in).size() > 1000);  // the input is untouched
}

TEST_CASE("stats: a missing input is an error, the others are still read") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  const auto r = tft::run_tracefold({"stats", (d / "nope.json").string(), in.string()}, d.path);
  CHECK(r.status == 1);
  CHECK(r.err.find("nope.json: no such file or directory") != std::string::npos);
  CHECK(r.out.find("checkout") != std::string::npos);
}

TEST_CASE("--help and --version exit 0 and --help shows examples") {
  tft::scratch_dir d;
  const auto h = tft::run_tracefold({"--help"}, d.path);
  CHECK(h.status == 0);
  CHECK(h.out.find("Examples:") != std::string::npos);
  const auto sh = tft::run_tracefold({"convert", "--help"}, d.path);
  CHECK(sh.status == 0);
  CHECK(sh.out.find("tracefold convert --to svg,otlp,stats-json") != std::string::npos);
  const auto v = tft::run_tracefold({"--version"}, d.path);
  CHECK(v.status == 0);
  CHECK(v.out.rfind("tracefold ", 0) == 0);
}

TEST_CASE("stats --group name --exact: one group per name, -j 1 and -j 2 give identical output") {
  tft::scratch_dir d;
  const fs::path lines = tft::generated(d, "dump.jsonl", "300KB", true, "3");
  const fs::path doc = tft::generated(d, "dump.json", "300KB", false, "3");
  for (const fs::path& in : {lines, doc}) {
    CAPTURE(in);
    const auto one = tft::run_tracefold(
        {"stats", "-j", "1", "--group", "name", "--exact", "--format", "json", in.string()},
        d.path);
    const auto two = tft::run_tracefold(
        {"stats", "-j", "2", "--group", "name", "--exact", "--format", "json", in.string()},
        d.path);
    CHECK(one.status == 0);
    CHECK(two.status == 0);
    CHECK(one.out == two.out);
    CHECK(tft::parse_json(one.out).has_value());
    CHECK(one.out.find("\"exact\":true,\"dimensions\":[\"name\"]") != std::string::npos);
    CHECK(one.out.find("\"service\":") == std::string::npos);  // left-out dimensions are omitted
    CHECK(one.out.find("\n{\"name\":") != std::string::npos);
  }
  // service,name: both fields, in that order.
  const auto two_dims = tft::run_tracefold(
      {"stats", "--group", "service,name", "--format", "json", lines.string()}, d.path);
  CHECK(two_dims.status == 0);
  CHECK(two_dims.out.find("\"dimensions\":[\"service\",\"name\"]") != std::string::npos);
  CHECK(two_dims.out.find("\n{\"service\":") != std::string::npos);
  CHECK(two_dims.out.find("\"kind\":") == std::string::npos);
}

TEST_CASE("stats: --format partial refuses --exact and --group with exit status 2") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--exact"}, std::vector<std::string>{"--group", "name"}}) {
    std::vector<std::string> args{"stats", "--format", "partial"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(in.string());
    const auto r = tft::run_tracefold(args, d.path);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("--format partial") != std::string::npos);
  }
  const auto bad = tft::run_tracefold({"stats", "--group", "route", in.string()}, d.path);
  CHECK(bad.status == 2);
}
