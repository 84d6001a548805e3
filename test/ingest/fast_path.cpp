// The OTLP-JSON reader's fast path (spans read straight from the bytes) against its general
// path (every value through simdjson's value API): on every input both must give the same
// read: counts, traces (every field, deep), tree shapes and diagnostics, positions included.
#include <doctest/doctest.h>

#include <support/rich_traces.hpp>
#include <tracefold/emit/generate.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <tracefold/ingest/read_otlp_json.hpp>
#include <vector>

#include <support/text.hpp>
#include "../../lib/ingest/otlp_json_reader.hpp"
#include "ingest/render.hpp"

namespace fs = std::filesystem;
using namespace tracefold;

namespace {

/// Turns the fast path off for its lifetime.
struct general_path_only {
  general_path_only() { ingest::detail::set_fast_path(false); }
  ~general_path_only() { ingest::detail::set_fast_path(true); }
  general_path_only(const general_path_only&) = delete;
  general_path_only& operator=(const general_path_only&) = delete;
};

/// "" when both reads are the same, else what differs first.
std::string compare_reads(const ingest::read_result& a, const ingest::read_result& b) {
  if (!(a.stats == b.stats)) return "stats differ:\n" + tft::render(a) + "\nvs\n" + tft::render(b);
  if (a.complete != b.complete) return "complete differs";
  if (std::string d = tft::compare_sets(a.traces, b.traces); !d.empty()) return d;
  if (a.diagnostics().size() != b.diagnostics().size())
    return "diagnostic counts differ:\n" + tft::render(a) + "\nvs\n" + tft::render(b);
  for (std::size_t i = 0; i < a.diagnostics().size(); ++i) {
    const std::string x = to_string(a.diagnostics()[i]);
    const std::string y = to_string(b.diagnostics()[i]);
    if (x != y || a.diagnostics()[i].byte_offset != b.diagnostics()[i].byte_offset)
      return "diagnostic " + std::to_string(i) + " differs:\n" + x + "\n" + y;
  }
  return {};
}

/// Reads `text` with and without the fast path, in both modes; "" when all agree.
std::string both_paths(std::string_view text, std::string_view name) {
  for (ingest::read_mode mode : {ingest::read_mode::lenient, ingest::read_mode::strict}) {
    const ingest::read_options o{.mode = mode, .source_name = std::string(name)};
    const auto fast = ingest::read_otlp_json(text, o);
    ingest::read_result general;
    {
      const general_path_only off;
      general = ingest::read_otlp_json(text, o);
    }
    if (std::string d = compare_reads(fast, general); !d.empty())
      return std::string(mode == ingest::read_mode::strict ? "strict: " : "lenient: ") + d;
  }
  return {};
}

std::string generated(std::uint64_t bytes, emit::otlp_layout layout, std::uint64_t seed = 1) {
  emit::generate_options o;
  o.target_bytes = bytes;
  o.seed = seed;
  o.format.layout = layout;
  std::string text;
  emit::generate_otlp(o, [&](std::string_view c) { text += c; });
  return text;
}

using tft::slurp;

/// A small deterministic generator for the mutations below.
struct rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

}  // namespace

TEST_CASE("fast path: the golden inputs read the same on both paths") {
  std::size_t files = 0;
  for (const auto& path : tft::golden_inputs()) {
    CAPTURE(path.string());
    CHECK(both_paths(slurp(path), path.filename().string()) == "");
    ++files;
  }
  CHECK(files >= 40);
}

TEST_CASE("fast path: the corpus of real dumps reads the same on both paths") {
  const fs::path corpus = tft::corpus_dir();
  if (corpus.empty()) {
    MESSAGE("skipped: the shared corpus (../shared/corpus, env TRACEFOLD_CORPUS) is absent");
    return;
  }
  for (const auto& e : fs::directory_iterator(corpus / "otlp")) {
    CAPTURE(e.path().string());
    CHECK(both_paths(slurp(e.path()), e.path().filename().string()) == "");
  }
}

TEST_CASE("fast path: generated dumps read the same on both paths") {
  for (auto layout : {emit::otlp_layout::lines, emit::otlp_layout::document}) {
    const std::string text = generated(2'000'000, layout);
    CHECK(both_paths(text, "gen.json") == "");
  }
}

TEST_CASE("fast path: spelling variants read the same on both paths") {
  // Whitespace everywhere, snake_case keys, numbers for int64, escapes, nulls, unknown and
  // repeated keys, other key orders: what the fast path reads must match; what it does not
  // read it must leave to the general path.
  const std::string base = generated(60'000, emit::otlp_layout::lines, 7);
  const std::pair<std::string_view, std::string_view> edits[] = {
      {"\":", "\" :  "},
      {",\"", ",\n  \""},
      {"{\"", "{ \""},
      {"\"startTimeUnixNano\"", "\"start_time_unix_nano\""},
      {"\"traceId\"", "\"trace_id\""},
      {"\"stringValue\"", "\"string_value\""},
      {"\"intValue\":\"", "\"intValue\":\"0"},
      {"\"kind\":", "\"kind\":-"},
      {"\"flags\":257", "\"flags\":\"257\""},
      {"\"flags\":257", "\"flags\":null"},
      {"\"flags\":257", "\"flags\":257,\"flags\":1"},
      {"\"flags\":257", "\"flags\":257,\"unknown\":{\"a\":[1,2]}"},
      {"\"name\":\"", "\"name\":\"\\u00e9\\n"},
      {"\"key\":\"", "\"key\":\"\\\"q\\\""},
      {"\"status\":{}", "\"status\":{\"code\":\"STATUS_CODE_ERROR\"}"},
      {"\"status\":{}", "\"status\":{\"code\":2,\"message\":\"x\\ty\"}"},
      {"\"parentSpanId\":\"", "\"parentSpanId\":\"\",\"x\":\""},
      {"\"value\":{\"stringValue\":", "\"value\":{\"doubleValue\":1e400,\"stringValue\":"},
      {"\"value\":{\"intValue\":", "\"value\":{\"doubleValue\":-0.0,\"intValue\":"},
      {"{\"key\":", "{\"value\":{},\"key\":"},
      {"\"endTimeUnixNano\":\"17", "\"endTimeUnixNano\":\"07"},
      {"\"endTimeUnixNano\":\"17", "\"endTimeUnixNano\":\"99999999999999999999"},
      {"\"spanId\":\"", "\"spanId\":\"AAAA"},
      {"\"arrayValue\":{\"values\":[", "\"arrayValue\":{\"values\":[{\"arrayValue\":{}},"},
      // Found by the fuzzer: a comma after the one field of a compactly written value
      // (`{"stringValue":"x",}`) was taken for its end.
      {"\"}}", "\",}}"},
      {"\"}}", "\",}"},
      {"\"}}", "\",\"intValue\":1}}"},
  };
  for (const auto& edit : edits) {
    const std::string_view from = edit.first;  // (no structured binding: CAPTURE, clang 14)
    const std::string_view to = edit.second;
    // Every occurrence, and (separately) only every third one.
    for (std::size_t every : {std::size_t{1}, std::size_t{3}}) {
      std::string text = base;
      std::size_t n = 0;
      for (std::size_t at = text.find(from); at != std::string::npos;
           at = text.find(from, at + 1)) {
        if (n++ % every != 0) continue;
        text.replace(at, from.size(), to);
        at += to.size() - 1;
      }
      CAPTURE(from);
      CAPTURE(to);
      CAPTURE(every);
      CHECK(both_paths(text, "variant.jsonl") == "");
    }
  }
}

TEST_CASE("fast path: request, resource and scope variants read the same on both paths") {
  // Whole documents (a line, or a whole input) are read on the fast path when written the
  // usual way: every spelling around the spans must read as the general path reads it, and
  // a resource or scope written like an earlier one must read like it.
  const std::pair<std::string_view, std::string_view> edits[] = {
      {"{\"resourceSpans\":", "{\"resource_spans\":"},
      {"{\"resourceSpans\":", "{ \"resourceSpans\" :\t"},
      {"{\"resourceSpans\":", "{\"x\":1,\"resourceSpans\":"},
      {"{\"resourceSpans\":", "{\"resourceSpans\":[],\"resourceSpans\":"},
      {"{\"resourceSpans\":", "{\"result\":{\"resourceSpans\":"},
      {"{\"resourceSpans\":[", "{\"resourceSpans\":[{},"},
      {"{\"resourceSpans\":[", "{\"resourceSpans\":[null,"},
      {"\"scopeSpans\":", "\"scope_spans\":"},
      {"\"scopeSpans\":", "\"instrumentationLibrarySpans\":"},
      {"\"scopeSpans\":[", "\"scopeSpans\":[{\"spans\":[]},"},
      {"\"scope\":{", "\"instrumentationLibrary\":{"},
      {"\"scope\":{",
       "\"scope\":{\"attributes\":[{\"key\":\"a\",\"value\":{\"intValue\":\"1\"}}],"},
      {"\"scope\":{", "\"scope\":{\"droppedAttributesCount\":3,"},
      {"\"scope\":{", "\"scope\":{\"name\":\"x\","},
      {"\"scope\":{\"name\":\"", "\"scope\":{\"name\":\"\\u0041"},
      {"\"resource\":{", "\"resource\": {"},
      {"\"resource\":{", "\"resource\":{\"dropped_attributes_count\":2,"},
      {"\"resource\":{", "\"resource\":{\"attributes\":[],"},
      {"\"resource\":{", "\"resource\":null,\"x\":{"},
      {"\"process.pid\"", "\"process.pi\""},
      {"\"process.pid\"", "\"process.PID\""},
      {"\"schemaUrl\":\"", "\"schema_url\":\""},
      {"\"schemaUrl\":\"", "\"schemaUrl\":null,\"y\":\""},
      {"\"spans\":[", "\"spans\":[],\"spans\":["},
      {"\"spans\":[", "\"spans\":null,\"z\":["},
      {"\"endTimeUnixNano\":\"17", "\"endTimeUnixNano\":\"16"},
      {"\"name\":\"", "\"name\":\"\xff"},
      {"\"name\":\"", "\"name\":\"\xc3\xa9"},
      {"\"}]}", "\"}]},"},
      {"\"}]}", "\"}]}]"},
      {"\"}]}", "\"}]} x"},
      {"\"}]}", "\"}],\"resourceSpans\":[]}"},
      {"\"}]}", "\"}]}\n\n  "},
      {"\"}]}", "\"}]} \t\r"},
      {"\"}]}", "\"}]\n}"},
      {"{\"resourceSpans\":", "{\n\"resourceSpans\":"},
      {"{\"resourceSpans\":", " \t{\"resourceSpans\":"},
      {"{\"resourceSpans\":", "\xEF\xBB\xBF{\"resourceSpans\":"},
      {"],\"schemaUrl\":", "],\n\"schemaUrl\":"},
  };
  for (auto layout : {emit::otlp_layout::lines, emit::otlp_layout::document}) {
    const std::string base = generated(60'000, layout, 11);
    const bool lines = layout == emit::otlp_layout::lines;
    for (const auto& edit : edits) {
      const std::string_view from = edit.first;  // (no structured binding: CAPTURE, clang 14)
      const std::string_view to = edit.second;
      // Every occurrence, every third one, and (JSON Lines) every third one after the first
      // line: an edited first line can make the input sniff as one document.
      for (std::size_t every : {std::size_t{1}, std::size_t{3}, std::size_t{0}}) {
        if (every == 0 && !lines) continue;
        std::string text = base;
        std::size_t n = 0;
        for (std::size_t at = text.find(from, every == 0 ? text.find('\n') : 0);
             at != std::string::npos; at = text.find(from, at + 1)) {
          if (n++ % (every == 0 ? 3 : every) != 0) continue;
          text.replace(at, from.size(), to);
          at += to.size() - 1;
        }
        CAPTURE(from);
        CAPTURE(to);
        CAPTURE(every);
        CAPTURE(lines);
        CHECK(both_paths(text, "variant.json") == "");
      }
    }
  }
}

TEST_CASE("fast path: random byte edits read the same on both paths") {
  const std::string base = generated(20'000, emit::otlp_layout::lines, 3);
  const std::string_view alphabet = "{}[]\":, \\0123456789-.eEatrufnlxu\n";
  rng r{0x9E3779B97F4A7C15ull};
  for (int round = 0; round < 400; ++round) {
    std::string text = base;
    const std::size_t edits = 1 + r.below(4);
    for (std::size_t e = 0; e < edits; ++e) {
      const std::size_t at = r.below(text.size());
      switch (r.below(3)) {
        case 0:
          text[at] = alphabet[r.below(alphabet.size())];
          break;
        case 1:
          text.erase(at, 1 + r.below(8));
          break;
        default:
          text.insert(at, 1, alphabet[r.below(alphabet.size())]);
          break;
      }
    }
    CAPTURE(round);
    CHECK(both_paths(text, "edited.jsonl") == "");
  }
}
