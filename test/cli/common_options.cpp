#include <doctest/doctest.h>

#include "cli/fixtures.hpp"

namespace fs = std::filesystem;

TEST_CASE("every reading command takes a directory and standard input") {
  tft::scratch_dir d;
  fs::create_directories(d / "dumps");
  const fs::path in = tft::generated(d, "dumps/a.jsonl");
  const std::vector<std::vector<std::string>> commands = {
      {"stats"}, {"convert", "--to", "otlp"}, {"validate"}, {"timeline"}};
  for (const auto& cmd : commands) {
    CAPTURE(cmd[0]);
    auto with_dir = cmd;
    with_dir.push_back((d / "dumps").string());
    const auto r = tft::run_tracefold(with_dir, d.path);
    CHECK(r.status == 0);
    auto with_stdin = cmd;
    with_stdin.push_back("-");
    const auto s = tft::run_tracefold(with_stdin, d.path, in);
    CHECK(s.status == 0);
    if (cmd[0] != "validate") CHECK(s.out == r.out);
  }
}

TEST_CASE("--progress always draws files, bytes and MB/s on stderr; never and -q draw nothing") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "a.jsonl", "2MB");
  const std::vector<std::string> env{"TRACEFOLD_PROGRESS_DELAY_MS=0"};
  const auto r = tft::run_tracefold({"validate", "--progress", "always", in.string()}, d.path,
                                    "/dev/null", env);
  CHECK(r.status == 0);
  // However soon the job ends, stderr is not a terminal, so the last line has the final counts
  // (regression: a job done before the drawing thread first ran printed nothing).
  CHECK(r.err.find("1/1 files, ") != std::string::npos);
  CHECK(r.err.find("MB/s") != std::string::npos);
  const auto never = tft::run_tracefold({"validate", "--progress", "never", in.string()}, d.path,
                                        "/dev/null", env);
  CHECK(never.err.find("MB/s") == std::string::npos);
  const auto quiet = tft::run_tracefold({"validate", "-q", "--progress", "always", in.string()},
                                        d.path, "/dev/null", env);
  CHECK(quiet.err.empty());
  // Standard error is a file here, not a terminal: auto draws nothing.
  const auto automatic = tft::run_tracefold({"validate", in.string()}, d.path, "/dev/null", env);
  CHECK(automatic.err.find("MB/s") == std::string::npos);
}

TEST_CASE("-j 1 and -j 2 give the same outputs on several inputs") {
  tft::scratch_dir d;
  const fs::path a = tft::generated(d, "a.jsonl", "200KB", true, "11");
  const fs::path b = tft::generated(d, "b.json", "200KB", false, "12");
  const fs::path c = tft::generated(d, "c.jsonl", "200KB", true, "13");
  const auto one = tft::run_tracefold(
      {"convert", "-j", "1", "--to", "otlp", a.string(), b.string(), c.string()}, d.path);
  const auto two = tft::run_tracefold(
      {"convert", "-j", "2", "--to", "otlp", a.string(), b.string(), c.string()}, d.path);
  CHECK(one.status == 0);
  CHECK(one.out == two.out);
  CHECK(one.out.size() > 500'000);
}
