// Unit tests of ingest::read_otlp_json / read_file / read_stream: every OTLP field lands in
// the model, counts reconcile, strict and lenient modes, I/O errors, the corpus of real dumps.
#include <doctest/doctest.h>

#include <support/rich_traces.hpp>
#include <tracefold/emit/generate.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <support/tree_invariants.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>
#include "support/temp_file.hpp"

#include "ingest/render.hpp"

namespace fs = std::filesystem;
using namespace tracefold;
using ingest::read_mode;
using ingest::read_options;

namespace {

read_options named(std::string name, read_mode mode = read_mode::lenient) {
  read_options o;
  o.mode = mode;
  o.source_name = std::move(name);
  return o;
}

const span& only_span(const ingest::read_result& r) {
  REQUIRE(r.traces.span_count() == 1);
  return r.traces.traces()[0][0].span();
}

// One span with every OTLP field set, plus resource and scope with everything they carry.
constexpr std::string_view every_field = R"({"resourceSpans": [{
  "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}}],
               "droppedAttributesCount": 1},
  "schemaUrl": "https://opentelemetry.io/schemas/1.21.0",
  "scopeSpans": [{
    "scope": {"name": "io.lib", "version": "2.1", "droppedAttributesCount": 2,
              "attributes": [{"key": "scope.attr", "value": {"boolValue": true}}]},
    "schemaUrl": "https://opentelemetry.io/schemas/1.20.0",
    "spans": [{
      "traceId": "5B8EFFF798038103D269B633813FC60C",
      "spanId": "eee19b7ec3c1b174",
      "parentSpanId": "eee19b7ec3c1b173",
      "traceState": "vendor=value",
      "flags": 769,
      "name": "GET /cart",
      "kind": 3,
      "startTimeUnixNano": "1544712660000000000",
      "endTimeUnixNano": 1544712661000000000,
      "attributes": [
        {"key": "s", "value": {"stringValue": "text"}},
        {"key": "b", "value": {"boolValue": false}},
        {"key": "i", "value": {"intValue": "-9223372036854775808"}},
        {"key": "d", "value": {"doubleValue": 0.25}},
        {"key": "nan", "value": {"doubleValue": "NaN"}},
        {"key": "inf", "value": {"doubleValue": "-Infinity"}},
        {"key": "raw", "value": {"bytesValue": "AAEC/w=="}},
        {"key": "arr", "value": {"arrayValue": {"values": [{"intValue": 7}, {"arrayValue": {"values": []}}]}}},
        {"key": "kv", "value": {"kvlistValue": {"values": [{"key": "in", "value": {"stringValue": "side"}}]}}},
        {"key": "none", "value": {}}
      ],
      "droppedAttributesCount": 3,
      "events": [{"timeUnixNano": "1544712660500000000", "name": "exception", "droppedAttributesCount": 4,
                  "attributes": [{"key": "exception.type", "value": {"stringValue": "IOError"}}]}],
      "droppedEventsCount": 5,
      "links": [{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331",
                 "traceState": "l=1", "flags": 1, "droppedAttributesCount": 6,
                 "attributes": [{"key": "link.kind", "value": {"stringValue": "follows"}}]}],
      "droppedLinksCount": 7,
      "status": {"code": 2, "message": "connection refused"}
    }]
  }]
}]})";

}  // namespace

TEST_CASE("every OTLP span field lands in the model") {
  const auto r = ingest::read_otlp_json(every_field, named("every.json"));
  CHECK(r.ok());
  CHECK(r.stats.spans_read == 1);
  const span& s = only_span(r);
  CHECK(s.trace_id.to_hex() == "5b8efff798038103d269b633813fc60c");
  CHECK(s.span_id.to_hex() == "eee19b7ec3c1b174");
  CHECK(s.parent_span_id.to_hex() == "eee19b7ec3c1b173");
  CHECK(s.trace_state == "vendor=value");
  CHECK(s.flags == 769);
  CHECK(s.name == "GET /cart");
  CHECK(s.kind == span_kind::client);
  CHECK(s.start_time_unix_nano == 1544712660000000000ULL);
  CHECK(s.end_time_unix_nano == 1544712661000000000ULL);
  CHECK(s.dropped_attributes_count == 3);
  CHECK(s.dropped_events_count == 5);
  CHECK(s.dropped_links_count == 7);
  CHECK(s.status.code == status_code::error);
  CHECK(s.status.message == "connection refused");

  SUBCASE("attributes of every AnyValue kind") {
    REQUIRE(s.attributes.size() == 10);
    CHECK(s.attributes[0].key == "s");
    CHECK(s.attributes[0].value == any_value::of_string("text"));
    CHECK(s.attributes[1].value == any_value::of_bool(false));
    CHECK(s.attributes[2].value == any_value::of_int(INT64_MIN));
    CHECK(s.attributes[3].value == any_value::of_double(0.25));
    REQUIRE(s.attributes[4].value.kind() == value_kind::double_);
    CHECK(std::isnan(s.attributes[4].value.as_double()));
    CHECK(s.attributes[5].value.as_double() == -INFINITY);
    REQUIRE(s.attributes[6].value.kind() == value_kind::bytes);
    CHECK(s.attributes[6].value.as_bytes() == std::string_view("\x00\x01\x02\xff", 4));
    const any_value& arr = s.attributes[7].value;
    REQUIRE(arr.kind() == value_kind::array);
    REQUIRE(arr.as_array().size() == 2);
    CHECK(arr.as_array()[0] == any_value::of_int(7));
    CHECK(arr.as_array()[1].kind() == value_kind::array);
    CHECK(arr.as_array()[1].as_array().empty());
    const any_value& kv = s.attributes[8].value;
    REQUIRE(kv.kind() == value_kind::kvlist);
    REQUIRE(kv.as_kvlist().size() == 1);
    CHECK(kv.as_kvlist()[0].key == "in");
    CHECK(kv.as_kvlist()[0].value == any_value::of_string("side"));
    CHECK(s.attributes[9].value.empty());
  }
  SUBCASE("events") {
    REQUIRE(s.events.size() == 1);
    CHECK(s.events[0].time_unix_nano == 1544712660500000000ULL);
    CHECK(s.events[0].name == "exception");
    CHECK(s.events[0].dropped_attributes_count == 4);
    REQUIRE(s.events[0].attributes.size() == 1);
    CHECK(s.events[0].attributes[0].value == any_value::of_string("IOError"));
  }
  SUBCASE("links") {
    REQUIRE(s.links.size() == 1);
    const tracefold::link& l = s.links[0];
    CHECK(l.trace_id.to_hex() == "0af7651916cd43dd8448eb211c80319c");
    CHECK(l.span_id.to_hex() == "b7ad6b7169203331");
    CHECK(l.trace_state == "l=1");
    CHECK(l.flags == 1);
    CHECK(l.dropped_attributes_count == 6);
    REQUIRE(l.attributes.size() == 1);
    CHECK(l.attributes[0].key == "link.kind");
  }
  SUBCASE("resource and scope, with their schema URLs") {
    REQUIRE(s.resource != nullptr);
    CHECK(s.service_name() == "checkout");
    CHECK(s.resource->dropped_attributes_count == 1);
    CHECK(s.resource->schema_url == "https://opentelemetry.io/schemas/1.21.0");
    REQUIRE(s.scope != nullptr);
    CHECK(s.scope->name == "io.lib");
    CHECK(s.scope->version == "2.1");
    CHECK(s.scope->dropped_attributes_count == 2);
    CHECK(s.scope->schema_url == "https://opentelemetry.io/schemas/1.20.0");
    REQUIRE(s.scope->attributes.size() == 1);
    CHECK(s.scope->attributes[0].value == any_value::of_bool(true));
    CHECK(r.traces.resources().size() == 1);
    CHECK(r.traces.scopes().size() == 1);
  }
}

TEST_CASE("snake_case keys, numbers for int64 and enum names read the same as canonical JSON") {
  std::string snake(every_field);
  for (auto [from, to] :
       {std::pair<std::string_view, std::string_view>{"resourceSpans", "resource_spans"},
        {"scopeSpans", "scope_spans"},
        {"traceId", "trace_id"},
        {"spanId", "span_id"},
        {"parentSpanId", "parent_span_id"},
        {"traceState", "trace_state"},
        {"startTimeUnixNano", "start_time_unix_nano"},
        {"timeUnixNano", "time_unix_nano"},
        {"droppedAttributesCount", "dropped_attributes_count"},
        {"schemaUrl", "schema_url"},
        {"stringValue", "string_value"},
        {"kvlistValue", "kvlist_value"},
        {"\"kind\": 3", "\"kind\": \"SPAN_KIND_CLIENT\""}}) {
    for (std::size_t at = snake.find(from); at != std::string::npos;
         at = snake.find(from, at + to.size()))
      snake.replace(at, from.size(), to);
  }
  const auto canonical = ingest::read_otlp_json(every_field);
  const auto other = ingest::read_otlp_json(snake);
  CHECK(other.ok());
  CHECK(only_span(other) == only_span(canonical));
  // The enum name was noted once, as an info; the rest (the orphan note) is as canonical.
  REQUIRE(other.diagnostics().size() == canonical.diagnostics().size() + 1);
  CHECK(other.diagnostics()[0].severity == severity::info);
  CHECK(other.diagnostics()[0].code == diagnostic_code::non_canonical);
  CHECK(other.diagnostics()[0].path ==
        "resource_spans[0].scope_spans[0].spans[0].kind");  // keys as written
}

TEST_CASE("base64 ids are the same ids as their hex (lenient only)") {
  const std::string hex =
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"x"}]}]}]})";
  const std::string b64 =
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ=","name":"x"}]}]}]})";
  const auto a = ingest::read_otlp_json(hex);
  const auto b = ingest::read_otlp_json(b64);
  CHECK(only_span(a) == only_span(b));
  const auto strict = ingest::read_otlp_json(b64, named("b64.json", read_mode::strict));
  CHECK_FALSE(strict.complete);
  CHECK(strict.stats.spans_rejected == 1);
}

TEST_CASE("counts reconcile on every golden case, in both modes") {
  for (const fs::path& input : tft::golden_inputs()) {
    for (read_mode mode : {read_mode::lenient, read_mode::strict}) {
      CAPTURE(input.filename().string());
      CAPTURE(mode == read_mode::strict);
      const auto r = ingest::read_file(input, named(input.filename().string(), mode));
      CHECK(r.stats.spans_read == r.stats.spans_kept + r.stats.spans_rejected);
      CHECK(r.stats.spans_kept == r.traces.span_count());
      CHECK(r.stats.bytes == fs::file_size(input));
      CHECK(tft::check_tree_invariants(r.traces, r.traces.span_count()) == "");
      std::size_t errors = 0;
      for (const diagnostic& d : r.diagnostics()) {
        if (d.severity != severity::error) continue;
        ++errors;
        CHECK(!d.message.empty());
        CHECK(d.file == input.filename().string());
        CHECK(d.line > 0);
        CHECK(d.column > 0);
      }
      if (r.stats.spans_rejected > 0 || r.stats.documents_failed > 0) CHECK(errors > 0);
      if (mode == read_mode::lenient) CHECK(r.complete);
      if (mode == read_mode::strict) {
        CHECK(errors <= 1);  // strict stops at the first error
        CHECK(r.complete == (errors == 0));
      }
    }
  }
}

TEST_CASE("strict mode stops at the first error; lenient skips only the bad span") {
  const std::string json = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
    {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000001","name":"a"},
    {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"xyz","name":"b"},
    {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"0000000000000003","name":"c"},
    {"traceId":"5b8efff798038103d269b633813fc60c","spanId":12,"name":"d"}]}]}]})";
  const auto lenient = ingest::read_otlp_json(json, named("dump.json"));
  CHECK(lenient.complete);
  CHECK_FALSE(lenient.ok());
  CHECK(lenient.error_count() == 2);
  CHECK(lenient.stats == ingest::read_stats{json.size(), 1, 0, 4, 2, 2});

  const auto strict = ingest::read_otlp_json(json, named("dump.json", read_mode::strict));
  CHECK_FALSE(strict.complete);
  CHECK(strict.error_count() == 1);
  CHECK(strict.stats.spans_read == 2);
  CHECK(strict.stats.spans_kept == 1);
  REQUIRE(strict.diagnostics().size() == 1);
  const diagnostic& d = strict.diagnostics()[0];
  CHECK(d.code == diagnostic_code::bad_id);
  CHECK(d.line == 3);
  CHECK(d.path == "resourceSpans[0].scopeSpans[0].spans[1].spanId");
  CHECK(to_string(d) ==
        "dump.json:3:60: error: resourceSpans[0].scopeSpans[0].spans[1].spanId: "
        "expected 16 hex digits, got \"xyz\"");
  CHECK(json.substr(d.byte_offset, 5) == "\"xyz\"");
}

TEST_CASE("value() throws only when the read did not finish") {
  const std::string bad_span =
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"xyz"}]}]}]})";
  SUBCASE("lenient with errors still finishes") {
    auto r = ingest::read_otlp_json(bad_span);
    CHECK_FALSE(r.ok());
    trace_set ts;
    CHECK_NOTHROW(ts = std::move(r).value());
    CHECK(ts.span_count() == 0);
  }
  SUBCASE("strict stopped: throws, naming the first error") {
    auto r = ingest::read_otlp_json(bad_span, named("x.json", read_mode::strict));
    CHECK_THROWS_WITH_AS(static_cast<void>(std::move(r).value()), doctest::Contains("x.json:1:"),
                         ingest::read_error);
  }
  SUBCASE("a clean read") {
    auto r = ingest::read_otlp_json(every_field);
    CHECK(std::move(r).value().span_count() == 1);
  }
}

TEST_CASE("read_stream reads a whole stream, named \"-\"") {
  std::istringstream in(std::string(every_field) + "\n");
  const auto r = ingest::read_stream(in);
  CHECK(r.ok());
  CHECK(r.traces.span_count() == 1);
  std::istringstream bad("{\"resourceSpans\": 5}");
  const auto rb = ingest::read_stream(bad);
  REQUIRE(rb.diagnostics().size() == 1);
  CHECK(rb.diagnostics()[0].file == "-");
}

TEST_CASE("read_file: a missing file or a directory is an io_error, and incomplete") {
  const fs::path dir = fs::temp_directory_path();
  for (const fs::path& p : {dir / "tracefold-no-such-file.json", dir}) {
    CAPTURE(p.string());
    auto r = ingest::read_file(p);
    CHECK_FALSE(r.complete);
    REQUIRE(r.diagnostics().size() == 1);
    CHECK(r.diagnostics()[0].code == diagnostic_code::io_error);
    CHECK(r.diagnostics()[0].file == p.string());
    CHECK(!r.diagnostics()[0].message.empty());
    CHECK_THROWS_AS(static_cast<void>(std::move(r).value()), ingest::read_error);
  }
}

TEST_CASE("a 20 MB single line is read whole") {
  // One request with 100,000 spans on one line, about 20 MB, and one bad span near its end.
  constexpr int spans = 100'000;
  std::string line =
      R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"big"}}]},"scopeSpans":[{"spans":[)";
  char buf[512];
  for (int i = 0; i < spans; ++i) {
    const int n = std::snprintf(
        buf, sizeof buf,
        R"(%s{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"%016x","parentSpanId":"%016x","name":"operation number %d with padding to make it long","kind":2,"startTimeUnixNano":"%d","endTimeUnixNano":"%d","attributes":[{"key":"i","value":{"intValue":"%d"}}]})",
        i ? "," : "", i == spans - 10 ? 0 : i + 1, i == 0 ? 0 : (i + 1) / 2, i, 1000 + i, 2000 + i,
        i);
    line.append(buf, static_cast<std::size_t>(n));
  }
  line += "]}]}]}\n";
  REQUIRE(line.size() > 20'000'000);
  const auto r = ingest::read_otlp_json(line, named("big.jsonl"));
  CHECK(r.complete);
  CHECK(r.stats.documents == 1);
  CHECK(r.stats.spans_read == spans);
  CHECK(r.stats.spans_kept == spans - 1);
  CHECK(r.stats.spans_rejected == 1);
  CHECK(r.traces.trace_count() == 1);
  REQUIRE(r.error_count() == 1);
  const diagnostic& d = r.diagnostics()[0];
  CHECK(d.code == diagnostic_code::bad_id);
  CHECK(d.line == 1);
  CHECK(d.path ==
        "resourceSpans[0].scopeSpans[0].spans[" + std::to_string(spans - 10) + "].spanId");
  CHECK(d.column == d.byte_offset + 1);
  CHECK(line.substr(d.byte_offset, 18) == "\"0000000000000000\"");
}

TEST_CASE("the corpus of real dumps reads without errors") {
  const fs::path corpus = tft::corpus_dir();
  if (corpus.empty()) {
    MESSAGE("skipped: the shared corpus (../shared/corpus, env TRACEFOLD_CORPUS) is absent");
    return;
  }
  const std::pair<const char*, std::uint64_t> files[] = {
      {"otel-js-sdk-sample.json", 196},
      {"otel-js-sdk-sample.jsonl", 106},
      {"otel-proto-example-trace.json", 1},
      {"jaeger-ui-otlp2jaeger-in.json", 2},
      {"jaeger-ui-otlp2jaeger-multi-in.jsonl", 4},
  };
  for (const auto& file : files) {
    const char* name = file.first;  // (no structured binding: CAPTURE lambdas, clang 14)
    const std::uint64_t count = file.second;
    for (read_mode mode : {read_mode::lenient, read_mode::strict}) {
      CAPTURE(name);
      const auto r = ingest::read_file(corpus / "otlp" / name, named(name, mode));
      for (const diagnostic& d : r.diagnostics())
        if (d.severity == severity::error) FAIL_CHECK(to_string(d));
      CHECK(r.ok());
      CHECK(r.stats.spans_read == count);
      CHECK(r.stats.spans_kept == count);
      CHECK(r.traces.span_count() == count);
      CHECK(tft::check_tree_invariants(r.traces, count) == "");
    }
  }
  const auto metrics = ingest::read_file(corpus / "otlp" / "otel-proto-example-metrics.json");
  REQUIRE(metrics.error_count() == 1);
  CHECK(metrics.diagnostics()[0].code == diagnostic_code::wrong_shape);
  CHECK(metrics.traces.span_count() == 0);
}

TEST_CASE("JSON Lines read on 2 and 3 threads equals the read on one, diagnostics included") {
  tracefold::emit::generate_options o;
  o.target_bytes = 6'000'000;
  o.format.layout = tracefold::emit::otlp_layout::lines;
  std::string text;
  tracefold::emit::generate_otlp(o, [&](std::string_view c) { text += c; });
  // Break a few lines in the second half so diagnostics come from a later part.
  for (std::size_t at : {text.size() / 2, text.size() * 3 / 4, text.size() - 1000}) {
    const std::size_t id = text.find("\"spanId\":\"", at);
    REQUIRE(id != std::string::npos);
    text.replace(id + 10, 3, "xyz");
  }
  const auto one =
      tracefold::ingest::read_otlp_json(text, {.source_name = "gen.jsonl", .threads = 1});
  REQUIRE(one.error_count() == 3);
  for (unsigned threads : {2u, 3u}) {
    const auto many =
        tracefold::ingest::read_otlp_json(text, {.source_name = "gen.jsonl", .threads = threads});
    CAPTURE(threads);
    CHECK(many.stats == one.stats);
    CHECK(tft::compare_sets(one.traces, many.traces) == "");
    REQUIRE(many.diagnostics().size() == one.diagnostics().size());
    for (std::size_t i = 0; i < one.diagnostics().size(); ++i)
      CHECK(tracefold::to_string(many.diagnostics()[i]) ==
            tracefold::to_string(one.diagnostics()[i]));
  }
}

TEST_CASE("JSON Lines files read in small windows equal the whole-buffer read") {
  // Every golden JSON Lines case, windows far smaller than the file: same traces, counts and
  // diagnostics (positions included) as one window holding the whole file.
  std::size_t files = 0;
  for (const auto& path : tft::golden_inputs()) {
    if (path.extension() != ".jsonl") continue;
    const auto whole = ingest::read_file(path, {.source_name = "x.jsonl"});
    for (std::size_t window : {std::size_t{1}, std::size_t{64}, std::size_t{5000}}) {
      ingest::read_options o{.source_name = "x.jsonl", .stream_window = window};
      const auto streamed = ingest::read_file(path, o);
      CAPTURE(path.string());
      CAPTURE(window);
      CHECK(streamed.stats == whole.stats);
      CHECK(streamed.complete == whole.complete);
      CHECK(tft::compare_sets(streamed.traces, whole.traces) == "");
      REQUIRE(streamed.diagnostics().size() == whole.diagnostics().size());
      for (std::size_t i = 0; i < whole.diagnostics().size(); ++i)
        CHECK(to_string(streamed.diagnostics()[i]) == to_string(whole.diagnostics()[i]));
    }
    ++files;
  }
  CHECK(files >= 5);
}

namespace {

/// Reads `text` from a file named `name` with `options`, and from memory, and requires the
/// same counts, traces and diagnostics.
void same_as_in_memory(const std::string& text, const std::string& name,
                       ingest::read_options options) {
  const tft::temp_file file(text, name.substr(name.find('.')));
  options.source_name = name;
  const auto from_file = ingest::read_file(file.path(), options);
  const auto in_memory = ingest::read_otlp_json(text, options);
  const auto from_stream = [&] {
    std::istringstream in(text);
    return ingest::read_stream(in, options);
  }();
  for (const ingest::read_result* r : {&from_file, &from_stream}) {
    CHECK(r->stats == in_memory.stats);
    CHECK(r->complete == in_memory.complete);
    CHECK(tft::compare_sets(r->traces, in_memory.traces) == "");
    REQUIRE(r->diagnostics().size() == in_memory.diagnostics().size());
    for (std::size_t i = 0; i < in_memory.diagnostics().size(); ++i)
      CHECK(to_string(r->diagnostics()[i]) == to_string(in_memory.diagnostics()[i]));
  }
}

std::string generated(std::uint64_t bytes, tracefold::emit::otlp_layout layout) {
  tracefold::emit::generate_options o;
  o.target_bytes = bytes;
  o.format.layout = layout;
  std::string text;
  tracefold::emit::generate_otlp(o, [&](std::string_view c) { text += c; });
  return text;
}

}  // namespace

TEST_CASE("read_file maps the file: ends on and around page boundaries read as in memory") {
  // The padding simdjson reads past the end comes from the mapping's zero page after the
  // file (or from the rest of the file's last page).
  for (const std::size_t size : {std::size_t{4095}, std::size_t{4096}, std::size_t{4097},
                                 std::size_t{8192 - 64}, std::size_t{8192}}) {
    CAPTURE(size);
    std::string text(every_field);
    REQUIRE(text.size() < size);
    text.append(size - text.size(), ' ');
    same_as_in_memory(text, "edge.json", {});
    text.back() = 'x';  // a document followed by text: an error at the very last byte
    same_as_in_memory(text, "edge.json", {});
  }
}

TEST_CASE("read_file drops pages behind the reader and reads them again when it must") {
  // 12 MB: pages are released every 4 MiB. Near the end, an escaped key makes the fast path
  // give up on the document, so the general path reads it all again from the start, through
  // released pages, and a bad id there must still be reported at its place.
  std::string doc = generated(12'000'000, tracefold::emit::otlp_layout::document);
  {
    const std::size_t key = doc.rfind("\"name\":");
    REQUIRE(key != std::string::npos);
    REQUIRE(key > 10'000'000);
    doc.replace(key, 7, "\"na\\u006de\":");
    const std::size_t id = doc.find("\"spanId\":\"", 9'000'000);
    REQUIRE(id != std::string::npos);
    doc.replace(id + 10, 3, "xyz");
  }
  SUBCASE("one document, strict and lenient") {
    same_as_in_memory(doc, "big.json", {});
    same_as_in_memory(doc, "big.json", {.mode = ingest::read_mode::strict});
  }
  SUBCASE("the same document with the fast path taking all of it") {
    same_as_in_memory(generated(12'000'000, tracefold::emit::otlp_layout::document), "big.json",
                      {.threads = 2});
  }
  SUBCASE("JSON Lines on two and three threads, with bad lines late in each part") {
    std::string lines = generated(12'000'000, tracefold::emit::otlp_layout::lines);
    for (std::size_t at : {lines.size() * 2 / 5, lines.size() * 4 / 5, lines.size() - 2000}) {
      const std::size_t id = lines.find("\"spanId\":\"", at);
      REQUIRE(id != std::string::npos);
      lines.replace(id + 10, 3, "xyz");
    }
    for (unsigned threads : {1u, 2u, 3u}) {
      CAPTURE(threads);
      same_as_in_memory(lines, "big.jsonl", {.threads = threads});
    }
  }
}
