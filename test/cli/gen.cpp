#include <doctest/doctest.h>

#include "cli/fixtures.hpp"

namespace fs = std::filesystem;

TEST_CASE("gen: deterministic for a seed, about the size asked for, readable") {
  tft::scratch_dir d;
  const fs::path a = tft::generated(d, "a.jsonl", "300KB", true, "9");
  const fs::path b = tft::generated(d, "b.jsonl", "300KB", true, "9");
  const fs::path c = tft::generated(d, "c.jsonl", "300KB", true, "10");
  CHECK(tft::slurp(a) == tft::slurp(b));
  CHECK(tft::slurp(a) != tft::slurp(c));
  const auto size = fs::file_size(a);
  CHECK(size >= 300'000);
  CHECK(size < 400'000);
  CHECK(tft::run_tracefold({"validate", "-q", a.string()}, d.path).status == 0);
  const fs::path doc = tft::generated(d, "doc.json", "100KB", false);
  CHECK(tft::slurp(doc).find('\n') >= tft::slurp(doc).size() - 1);  // one document, one line
  const auto out = tft::run_tracefold({"gen", "--size", "50KB"}, d.path);
  CHECK(out.status == 0);
  CHECK(out.out.size() >= 50'000);
}

TEST_CASE("gen: sizes with units; bad sizes are usage errors") {
  tft::scratch_dir d;
  const auto kib = tft::run_tracefold({"gen", "--size", "64KiB"}, d.path);
  CHECK(kib.out.size() >= 65'536);
  for (const char* bad : {"ten", "10XB", "-5MB", "0"})
    CHECK_MESSAGE(tft::run_tracefold({"gen", "--size", bad}, d.path).status == 2, bad);
}
