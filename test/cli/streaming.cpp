#include <doctest/doctest.h>

#include "cli/fixtures.hpp"

namespace fs = std::filesystem;

#if defined(__SANITIZE_ADDRESS__)
#define TRACEFOLD_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TRACEFOLD_TEST_ASAN 1
#endif
#endif

TEST_CASE("streaming: stats on a large JSON Lines file holds far less than the input in memory") {
#ifdef TRACEFOLD_TEST_ASAN
  MESSAGE("skipped under AddressSanitizer: its shadow memory and quarantine make RSS meaningless");
#else
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "big.jsonl", "150MB");
  REQUIRE(fs::file_size(in) >= 150'000'000);
  for (const std::string jobs : {"1", "2"}) {
    CAPTURE(jobs);
    const tft::process_result s =
        tft::run_tracefold({"stats", "-j", jobs, "--format", "partial", in.string()}, d.path);
    CHECK(s.status == 0);
    MESSAGE("stats -j " << jobs << ": peak RSS " << s.max_rss_kb / 1024
                        << " MiB for a 150 MB input");
    CHECK(s.max_rss_kb < 64 * 1024);
  }
  const tft::process_result piped =
      tft::run_tracefold({"stats", "--from", "otlp-jsonl", "--format", "partial", "-"}, d.path, in);
  CHECK(piped.status == 0);
  MESSAGE("stats --from otlp-jsonl - (stdin): peak RSS " << piped.max_rss_kb / 1024 << " MiB");
  CHECK(piped.max_rss_kb < 64 * 1024);
  // Reading the whole set (validate keeps every trace) needs about the input's size: so the
  // bound above is a real one.
  const tft::process_result v = tft::run_tracefold({"validate", "-j", "1", in.string()}, d.path);
  CHECK(v.status == 0);
  MESSAGE("validate: peak RSS " << v.max_rss_kb / 1024 << " MiB");
  CHECK(v.max_rss_kb > 80 * 1024);
#endif
}

TEST_CASE("reading whole: a document, or JSON Lines on two threads, holds less than the input") {
#ifdef TRACEFOLD_TEST_ASAN
  MESSAGE("skipped under AddressSanitizer: its shadow memory and quarantine make RSS meaningless");
#else
  // validate keeps every trace. The file is mapped and the pages already read are dropped,
  // so the input is never all in memory next to the traces (read into a buffer, it was:
  // 1.84x the input for a document).
  tft::scratch_dir d;
  for (const std::string name : {"whole.json", "whole.jsonl"}) {
    CAPTURE(name);
    const fs::path in = tft::generated(d, name, "150MB", name.ends_with(".jsonl"));
    const auto size = fs::file_size(in);
    REQUIRE(size >= 150'000'000);
    for (const std::string jobs : {"1", "2"}) {
      CAPTURE(jobs);
      const tft::process_result v =
          tft::run_tracefold({"validate", "-q", "-j", jobs, in.string()}, d.path);
      CHECK(v.status == 0);
      MESSAGE("validate -j " << jobs << " " << name << ": peak RSS " << v.max_rss_kb / 1024
                             << " MiB for " << size / 1'000'000 << " MB");
      CHECK(v.max_rss_kb * 1024 < size);
    }
    fs::remove(in);
  }
#endif
}

TEST_CASE("streaming: stats streamed from a file, from stdin and on 1 or 2 threads agree") {
  tft::scratch_dir d;
  const fs::path in = tft::generated(d, "mid.jsonl", "6MB");
  const auto one =
      tft::run_tracefold({"stats", "-j", "1", "--format", "partial", in.string()}, d.path);
  const auto two =
      tft::run_tracefold({"stats", "-j", "2", "--format", "partial", in.string()}, d.path);
  const auto piped = tft::run_tracefold(
      {"stats", "-j", "2", "--from", "otlp-jsonl", "--format", "partial", "-"}, d.path, in);
  const auto whole_stdin =
      tft::run_tracefold({"stats", "-j", "2", "--format", "partial", "-"}, d.path, in);
  CHECK(one.status == 0);
  CHECK(one.out == two.out);
  CHECK(one.out == piped.out);
  CHECK(one.out == whole_stdin.out);
  // The same traces as one document give the same table.
  const auto doc = tft::run_tracefold(
      {"convert", "--to", "otlp", "-o", (d / "mid.json").string(), in.string()}, d.path);
  CHECK(doc.status == 0);
  const auto from_doc =
      tft::run_tracefold({"stats", "--format", "partial", (d / "mid.json").string()}, d.path);
  CHECK(from_doc.out == one.out);
}
