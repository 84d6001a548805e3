#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "cli/fixtures.hpp"

namespace fs = std::filesystem;

namespace {

/// Starts a long convert, waits until its outputs are being written, sends `sig`, and checks
/// that nothing partial or temporary is left.
void interrupt_convert(int sig) {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "big.jsonl", "40MB");
  const fs::path out = d / "out";
  tft::child c = tft::start(
      {"convert", "-j", "1", "--to", "svg,otlp,stats-json", "-o", out.string(), in.string()},
      d.path);
  REQUIRE(c.pid > 0);
  // The OTLP output's temporary file exists from the start of the run until its very end.
  bool running = false;
  for (int i = 0; i < 6000 && !running; ++i) {
    running = !tft::files_named(d / "out", ".tmp-").empty();
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(running);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ::kill(c.pid, sig);
  const tft::process_result r = c.wait();
  REQUIRE_MESSAGE(r.status != 0, "the run finished before the signal; use a larger input");
  CHECK(r.signal == sig);
  CHECK(r.err.find("interrupted") != std::string::npos);
  CHECK(tft::files_named(out, ".tmp-").empty());
  CHECK(!fs::exists(out / "traces.otlp.json"));
  CHECK(!fs::exists(out / "stats.json"));
  CHECK(!fs::exists(out / "index.html"));
  // Pictures finished before the signal are whole files.
  for (const fs::path& p : tft::files_named(out, ".svg")) {
    const std::string svg = tft::slurp(p);
    CHECK(svg.size() > 100);
    CHECK(svg.rfind("</svg>") != std::string::npos);
  }
  CHECK(tft::slurp(in).size() >= 40'000'000);  // the input is untouched
}

}  // namespace

TEST_CASE("interrupt: SIGINT mid-run leaves no partial output and no temporary file") {
  interrupt_convert(SIGINT);
}

TEST_CASE("interrupt: SIGTERM mid-run leaves no partial output and no temporary file") {
  interrupt_convert(SIGTERM);
}
