#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <support/rich_traces.hpp>
#include <tracefold/emit/otlp_json.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>

namespace emit = tracefold::emit;
namespace ingest = tracefold::ingest;

namespace {

tracefold::trace_set reread(std::string_view json) {
  auto r = ingest::read_otlp_json(json, {.mode = ingest::read_mode::strict});
  INFO(json.substr(0, 2000));
  REQUIRE(r.ok());
  return std::move(r).value();
}

}  // namespace

TEST_CASE("1,000 seeded random trace_sets survive write then read, field for field") {
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    tft::rich_generator gen(seed);
    const tracefold::trace_set ts = gen.make(seed % 10 == 0 ? 200 : 30);
    const std::string json = emit::to_otlp_json(ts);
    const tracefold::trace_set back = reread(json);
    CAPTURE(seed);
    CHECK(tft::compare_sets(ts, back) == "");
    // And the writer is a fixed point: writing what was read gives the same bytes.
    CHECK(emit::to_otlp_json(back) == json);
  }
}

TEST_CASE("JSON Lines layouts round-trip: per trace and per N spans") {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    tft::rich_generator gen(seed * 7919);
    const tracefold::trace_set ts = gen.make(60);
    for (std::size_t per_line : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
      auto r =
          tracefold::run(emit::otlp_json{{emit::otlp_layout::lines, per_line}, {}}, ts.traces());
      CAPTURE(seed);
      CAPTURE(per_line);
      std::size_t lines = 0;
      for (char c : r.text) lines += c == '\n';
      CHECK(lines == r.requests);
      if (per_line == 0) CHECK(r.requests == ts.trace_count());
      if (per_line == 1) CHECK(r.requests == ts.span_count());
      CHECK(r.spans == ts.span_count());
      CHECK(tft::compare_sets(ts, reread(r.text)) == "");
    }
  }
}

TEST_CASE("the writer output is canonical OTLP-JSON") {
  tft::rich_generator gen(42);
  const auto ts = gen.make(5);
  const std::string json = emit::to_otlp_json(ts);
  CHECK(json.rfind("{\"resourceSpans\":[", 0) == 0);
  CHECK(json.find("\"startTimeUnixNano\":\"") != std::string::npos);  // int64 as strings
  CHECK(json.find("\"kind\":") != std::string::npos);
  CHECK(json.find("trace_id") == std::string::npos);  // lowerCamelCase only
  // Control characters only as \u00XX; no raw bytes below 0x20 except the final newline.
  for (std::size_t i = 0; i + 1 < json.size(); ++i)
    CHECK(static_cast<unsigned char>(json[i]) >= 0x20);
}

TEST_CASE("an empty set writes an empty request") {
  tracefold::trace_set_builder b;
  const auto ts = std::move(b).build();
  CHECK(emit::to_otlp_json(ts) == "{\"resourceSpans\":[]}\n");
  auto lines = tracefold::run(emit::otlp_json{{emit::otlp_layout::lines, 0}, {}}, ts.traces());
  CHECK(lines.text.empty());
  CHECK(lines.requests == 0);
}

TEST_CASE("invalid UTF-8 is written as U+FFFD and counted, never raw") {
  tracefold::trace_set_builder b;
  auto s = b.add_scope(b.add_resource({}), {});
  tracefold::span sp;
  sp.trace_id = *tracefold::trace_id::from_hex("0102030405060708090a0b0c0d0e0f10");
  sp.span_id = *tracefold::span_id::from_hex("0102030405060708");
  sp.name = "bad \xff\xfe bytes and a lone \xc3";
  b.add_span(s, sp);
  const auto ts = std::move(b).build();
  auto r = tracefold::run(emit::otlp_json{}, ts.traces());
  CHECK(r.repaired_strings == 1);
  CHECK(r.text.find("bad \xEF\xBF\xBD\xEF\xBF\xBD bytes and a lone \xEF\xBF\xBD\"") !=
        std::string::npos);
  CHECK(r.text.find('\xff') == std::string::npos);
  CHECK(reread(r.text).traces()[0][0]->name ==
        "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes and a lone \xEF\xBF\xBD");
}

TEST_CASE("values nested 10,000 deep are written without recursion") {
  const std::size_t depth = 10000;
  std::vector<tracefold::any_value> chain(depth);
  chain[depth - 1] = tracefold::any_value::of_int(1);
  for (std::size_t i = depth - 1; i-- > 0;)
    chain[i] = tracefold::any_value::of_array({&chain[i + 1], 1});
  tracefold::key_value kv{"deep", chain[0]};
  tracefold::trace_set_builder b;
  auto s = b.add_scope(b.add_resource({}), {});
  tracefold::span sp;
  sp.trace_id = *tracefold::trace_id::from_hex("0102030405060708090a0b0c0d0e0f10");
  sp.span_id = *tracefold::span_id::from_hex("0102030405060708");
  sp.attributes = {&kv, 1};
  b.add_span(s, sp);
  const auto ts = std::move(b).build();
  const std::string json = emit::to_otlp_json(ts);
  std::size_t opens = 0;
  for (char c : json) opens += c == '[';
  CHECK(opens ==
        (depth - 1) + 4);  // one per array, plus resourceSpans, scopeSpans, spans, attributes
}

TEST_CASE("a sink receives the output in chunks; merge concatenates in order") {
  tft::rich_generator gen(9);
  const auto ts = gen.make(100);
  std::string streamed;
  std::size_t calls = 0;
  auto r = tracefold::run(emit::otlp_json{{},
                                          [&](std::string_view c) {
                                            streamed += c;
                                            ++calls;
                                          }},
                          ts.traces());
  CHECK(r.text.empty());
  CHECK(calls >= 1);
  CHECK(r.bytes == streamed.size());
  CHECK(streamed == emit::to_otlp_json(ts));
  for (auto layout : {emit::otlp_layout::document, emit::otlp_layout::lines}) {
    for (std::size_t per_line : {std::size_t{0}, std::size_t{5}}) {
      emit::otlp_json w{{layout, per_line}, {}};
      auto whole = tracefold::run(w, ts.traces());
      auto par = tracefold::run_parallel(w, ts.traces(), 3);
      CHECK(tft::compare_sets(reread(par.text), reread(whole.text)) == "");
      CHECK(par.spans == whole.spans);
    }
  }
}

TEST_CASE("the writer fuses with other folds in one pass") {
  tft::rich_generator gen(3);
  const auto ts = gen.make(20);
  auto [out, spans] = tracefold::run(
      tracefold::product(emit::otlp_json{}, tracefold::each_span(tracefold::folds::count)),
      ts.traces());
  CHECK(spans == ts.span_count());
  CHECK(out.spans == ts.span_count());
}

TEST_CASE("every corpus dump: read(write(read(x))) equals read(x)") {
  const char* dir = std::getenv("TRACEFOLD_CORPUS");
  if (!dir || !std::filesystem::is_directory(std::filesystem::path(dir) / "otlp")) {
    MESSAGE("skipped: the shared corpus (../shared/corpus) is not present");
    return;
  }
  std::size_t files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(dir) / "otlp")) {
    if (entry.path().filename().string().find("metrics") != std::string::npos)
      continue;  // not traces
    auto first = ingest::read_file(entry.path());
    CAPTURE(entry.path().string());
    REQUIRE(first.ok());
    const std::string json = emit::to_otlp_json(first.traces);
    CHECK(tft::compare_sets(first.traces, reread(json)) == "");
    ++files;
  }
  CHECK(files >= 5);
}
