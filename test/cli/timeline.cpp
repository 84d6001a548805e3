#include <doctest/doctest.h>

#include <fstream>

#include "cli/fixtures.hpp"

namespace fs = std::filesystem;

TEST_CASE("timeline: the longest trace by default, one line per span, COLUMNS wide") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  const auto r = tft::run_tracefold({"timeline", in.string()}, d.path, "/dev/null",
                                    {"COLUMNS=100", "LC_ALL=C", "LANG=C"});
  CHECK(r.status == 0);
  REQUIRE(!r.out.empty());
  std::size_t lines = 0, widest = 0;
  std::size_t start = 0;
  while (start < r.out.size()) {
    const std::size_t nl = r.out.find('\n', start);
    const std::size_t end = nl == std::string::npos ? r.out.size() : nl;
    widest = std::max(widest, end - start);
    ++lines;
    start = end + 1;
  }
  CHECK(lines > 5);
  CHECK(widest == 100);
  CHECK(r.out.find('#') != std::string::npos);
  CHECK(r.out.find("\x1b[") == std::string::npos);  // no colour into a file
}

TEST_CASE("timeline: --trace picks a trace by id; an unknown id is an error") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "dump.jsonl");
  const auto first = tft::run_tracefold({"timeline", "--first", in.string()}, d.path);
  CHECK(first.status == 0);
  const auto missing = tft::run_tracefold(
      {"timeline", "--trace", "0123456789abcdef0123456789abcdef", in.string()}, d.path);
  CHECK(missing.status == 1);
  CHECK(missing.err.find("no trace 0123456789abcdef0123456789abcdef") != std::string::npos);
  CHECK(tft::run_tracefold({"timeline", "--trace", "xyz", in.string()}, d.path).status == 2);
  CHECK(tft::run_tracefold({"timeline", "--first", "--longest", in.string()}, d.path).status == 2);
  const auto lanes = tft::run_tracefold({"timeline", "--lanes", in.string()}, d.path);
  CHECK(lanes.status == 0);
  const auto spans = tft::run_tracefold({"timeline", in.string()}, d.path);
  CHECK(tft::occurrences(lanes.out, "\n") < tft::occurrences(spans.out, "\n"));
}

TEST_CASE("timeline: hostile span names never reach the terminal raw") {
  tft::scratch_dir d;
  const fs::path in = d / "hostile.json";
  std::ofstream(in)
      << R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"evil\u001b[2J\u202ename","kind":1,"startTimeUnixNano":"1000","endTimeUnixNano":"2000"}]}]}]})";
  const auto r = tft::run_tracefold({"timeline", in.string()}, d.path);
  CHECK(r.status == 0);
  CHECK(r.out.find("evil") != std::string::npos);
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.out.find("\u202e") == std::string::npos);
}
