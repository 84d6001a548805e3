#include <doctest/doctest.h>

#include <unistd.h>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_partial.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/red_stats.hpp>
#include <tracefold/ingest/read_red_partial.hpp>
#include <utility>
#include <vector>

#include "support/make_traces.hpp"

namespace tf = tracefold;
namespace emit = tracefold::emit;
namespace folds = tracefold::folds;
namespace ingest = tracefold::ingest;
using tf::diagnostic_code;

namespace {

folds::red_group make_group(folds::red_key key, const std::vector<std::uint64_t>& durations,
                            const std::vector<std::uint64_t>& self_times, std::uint64_t errors) {
  folds::red_group g;
  g.key = std::move(key);
  g.count = durations.size();
  g.errors = errors;
  for (const std::uint64_t v : durations) g.duration.record(v);
  for (const std::uint64_t v : self_times) g.self_time.record(v);
  return g;
}

/// Two groups over three spans, grouped by http.route. Its partial has the header on line 1,
/// the web group on line 2, the db group (one span of 0 ns) on line 3.
folds::red_table base_table() {
  folds::red_table t;
  t.spans = 3;
  t.traces = 2;
  t.attribute_names = {"http.route"};
  t.groups.push_back(
      make_group({"web", "GET /cart", tf::span_kind::server, tf::status_code::unset, {"/cart"}},
                 {1000, 3000}, {500, 3000}, 0));
  t.groups.push_back(
      make_group({"db", "SELECT", tf::span_kind::client, tf::status_code::error, {std::nullopt}},
                 {0}, {0}, 1));
  t.sort();
  return t;
}

const std::string& base_text() {
  static const std::string text = emit::to_red_partial(base_table());
  return text;
}

/// `s` with its `nth` occurrence of `from` replaced by `to` (which must exist).
std::string with(std::string s, std::string_view from, std::string_view to, std::size_t nth = 0) {
  std::size_t at = s.find(from);
  for (std::size_t k = 0; k < nth && at != std::string::npos; ++k) at = s.find(from, at + 1);
  REQUIRE_MESSAGE(at != std::string::npos, "no occurrence " << nth << " of " << from);
  s.replace(at, from.size(), to);
  return s;
}

/// Where `needle` starts in `s`, plus `skip` (which must exist).
std::size_t at_of(std::string_view s, std::string_view needle, std::size_t skip = 0) {
  const std::size_t at = s.find(needle);
  REQUIRE_MESSAGE(at != std::string_view::npos, "no " << needle);
  return at + skip;
}

/// Checks that `input` is rejected with one error diagnostic of `code` at `path` and byte
/// `at`, with line and column matching the offset and the message holding `part`.
void expect_rejected(const std::string& input, diagnostic_code code, std::string_view path,
                     std::size_t at, std::string_view part = {}) {
  const ingest::red_partial_result r = ingest::read_red_partial(input, "p.json");
  CHECK_FALSE(r.ok());
  CHECK_FALSE(r.table.has_value());
  REQUIRE(r.diagnostics.size() == 1);
  const tf::diagnostic& d = r.diagnostics[0];
  INFO(tf::to_string(d));
  CHECK(d.severity == tf::severity::error);
  CHECK(d.code == code);
  CHECK(d.file == "p.json");
  CHECK(d.path == path);
  CHECK(d.byte_offset == at);
  std::uint64_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at && i < input.size(); ++i)
    if (input[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  CHECK(d.line == line);
  CHECK(d.column == at - line_start + 1);
  CHECK_FALSE(d.message.empty());
  if (!part.empty()) CHECK(d.message.find(part) != std::string::npos);
}

}  // namespace

TEST_CASE("read_red_partial: the base document reads back as its table") {
  const ingest::red_partial_result r = ingest::read_red_partial(base_text(), "p.json");
  REQUIRE(r.ok());
  CHECK(r.diagnostics.empty());
  CHECK(*r.table == base_table());
  CHECK(r.table->groups[0].key.service == "web");  // the larger total duration first
  CHECK(r.table->groups[1].key.attributes[0] == std::nullopt);
}

TEST_CASE("read_red_partial: field order, whitespace, a BOM and escaped keys do not matter") {
  CHECK(ingest::read_red_partial("\xEF\xBB\xBF \n" + base_text() + " \n\n").table == base_table());
  CHECK(ingest::read_red_partial(with(base_text(), "\"spans\"", "\"sp\\u0061ns\"")).table ==
        base_table());
  const auto empty = ingest::read_red_partial(
      R"( { "groups" : [ ] , "traces":"0", "attributes":[],"spans":"0","version":1,)"
      "\n\t"
      R"("format":"tracefold.red_partial" } )");
  REQUIRE(empty.ok());
  CHECK(*empty.table == folds::red_table{});
  // Groups in another order come back in red_table::sort() order.
  const std::string& b = base_text();
  const std::size_t g1 = b.find("\n{\"service\":\"web\"");
  const std::size_t g2 = b.find("\n{\"service\":\"db\"");
  const std::size_t end = b.find("\n]}");
  const std::string swapped =
      b.substr(0, g1) + b.substr(g2, end - g2) + "," + b.substr(g1, g2 - 1 - g1) + b.substr(end);
  REQUIRE(swapped.size() == b.size());
  CHECK(ingest::read_red_partial(swapped).table == base_table());
  // A valid UTF-8 string may also be given as hex.
  CHECK(ingest::read_red_partial(with(b, "\"web\"", R"({"hex":"776562"})")).table == base_table());
}

TEST_CASE("read_red_partial: value() returns the table or throws read_error") {
  CHECK(ingest::read_red_partial(base_text()).value() == base_table());
  CHECK_THROWS_AS((void)ingest::read_red_partial("{}").value(), ingest::read_error);
}

TEST_CASE("read_red_partial: not JSON, or not a partial state") {
  expect_rejected("", diagnostic_code::empty_input, "", 0);
  expect_rejected("  \n ", diagnostic_code::empty_input, "", 4);
  expect_rejected("not JSON", diagnostic_code::syntax_error, "", 0);
  expect_rejected("[1, 2]", diagnostic_code::wrong_shape, "", 0);
  expect_rejected(" 42", diagnostic_code::wrong_shape, "", 1);
  expect_rejected(R"("a string")", diagnostic_code::wrong_shape, "", 0);
  expect_rejected("{\"format\": nul}", diagnostic_code::syntax_error, "", 11);
  const std::string& b = base_text();
  expect_rejected(b + "x", diagnostic_code::syntax_error, "", b.size(), "after the JSON document");
  expect_rejected(b + "{}", diagnostic_code::syntax_error, "", b.size());
  // Invalid UTF-8 and raw control characters, where they are.
  const std::string bad_utf8 = with(b, "\"web\"",
                                    "\"w\xff"
                                    "b\"");
  expect_rejected(bad_utf8, diagnostic_code::invalid_utf8, "", at_of(bad_utf8, "\xff"));
  const std::string control = with(b, "\"web\"",
                                   "\"w\x01"
                                   "b\"");
  expect_rejected(control, diagnostic_code::syntax_error, "", at_of(control, "\x01"));
  const std::string escape = with(b, "\"web\"", R"("w\ud800b")");
  expect_rejected(escape, diagnostic_code::syntax_error, "groups[0].service",
                  at_of(escape, R"("w\ud800b")"), "escape");
  expect_rejected("\t{]\n", diagnostic_code::syntax_error, "", 2, "does not close the `{`");
  const std::string glued = with(b, R"(["/cart"])", R"([12"x"])");
  expect_rejected(glued, diagnostic_code::syntax_error, "groups[0].attributes[0]",
                  at_of(glued, R"(12"x")"), "not valid JSON");
  const std::string unclosed = b.substr(0, at_of(b, "GET /cart"));
  expect_rejected(unclosed, diagnostic_code::syntax_error, "", unclosed.size() - 1, "never closed");
}

TEST_CASE("read_red_partial: format and version are checked first") {
  const std::string& b = base_text();
  expect_rejected(with(b, R"("format":"tracefold.red_partial",)", ""), diagnostic_code::wrong_shape,
                  "format", 0, "no field format");
  const std::string other = with(b, "tracefold.red_partial", "tracefold.red_json");
  expect_rejected(other, diagnostic_code::wrong_shape, "format",
                  at_of(other, "\"tracefold.red_json"));
  const std::string number = with(b, R"("format":"tracefold.red_partial")", R"("format":7)");
  expect_rejected(number, diagnostic_code::wrong_type, "format", at_of(number, "7,"));
  const std::string v2 = with(b, R"("version":1)", R"("version":2)");
  expect_rejected(v2, diagnostic_code::wrong_shape, "version", at_of(v2, "2,\"spans\""),
                  "version 2 is not supported");
  // A newer version with other fields is reported by its version, not by those fields.
  const std::string v2_shape =
      with(with(v2, R"("spans":"3")", R"("spans":3,"new":{})"), R"("count":"2")", R"("count":[2])");
  expect_rejected(v2_shape, diagnostic_code::wrong_shape, "version",
                  at_of(v2_shape, "2,\"spans\""));
  const std::string text_version = with(b, R"("version":1)", R"("version":"1")");
  expect_rejected(text_version, diagnostic_code::wrong_type, "version",
                  at_of(text_version, "\"1\",\"spans\""));
  expect_rejected(with(b, R"("version":1,)", ""), diagnostic_code::missing_field, "version", 0);
  expect_rejected(with(b, R"("version":1,)", R"("version":1,"version":1,)"),
                  diagnostic_code::wrong_shape, "version", 0, "more than once");
}

TEST_CASE("read_red_partial: unknown, repeated, missing and mistyped fields") {
  const std::string& b = base_text();
  const std::string extra = with(b, R"("version":1,)", R"("version":1,"extra":{"deep":[1,2]},)");
  expect_rejected(extra, diagnostic_code::wrong_shape, "extra", at_of(extra, "{\"deep\""),
                  "unknown field \"extra\"");
  const std::string twice = with(b, R"("traces":"2")", R"("spans":"3","traces":"2")");
  expect_rejected(twice, diagnostic_code::wrong_shape, "spans",
                  at_of(twice, R"("spans":"3","traces")", 8), "twice");
  expect_rejected(b.substr(0, b.find(",\"groups\"")) + "}", diagnostic_code::missing_field,
                  "groups", 0);
  const std::string spans_number = with(b, R"("spans":"3")", R"("spans":3)");
  expect_rejected(spans_number, diagnostic_code::wrong_type, "spans",
                  at_of(spans_number, R"("spans":3)", 8));
  for (const std::string_view bad :
       {"-1", "03", "1.0", "18446744073709551616", "", " 3", "3a", "+3", "0x3"}) {
    CAPTURE(bad);
    const std::string in = with(b, R"("spans":"3")", R"("spans":")" + std::string(bad) + "\"");
    expect_rejected(in, diagnostic_code::bad_number, "spans", at_of(in, "\"spans\":", 8));
  }
  const std::string names =
      with(b, R"("attributes":["http.route"])", R"("attributes":"http.route")");
  expect_rejected(names, diagnostic_code::wrong_type, "attributes",
                  at_of(names, R"("http.route")"));
  const std::string name_number = with(b, R"(["http.route"])", "[5]");
  expect_rejected(name_number, diagnostic_code::wrong_type, "attributes[0]",
                  at_of(name_number, "5]"));
  const std::string group_number = with(b, "\"groups\":[\n", "\"groups\":[\n7,");
  expect_rejected(group_number, diagnostic_code::wrong_type, "groups[0]",
                  at_of(group_number, "7,"));
  const std::string group_missing = with(b, R"("kind":2,)", "");
  expect_rejected(group_missing, diagnostic_code::missing_field, "groups[0].kind",
                  at_of(group_missing, "{\"service\":\"web\""));
}

TEST_CASE("read_red_partial: numbers out of range and strings in the wrong form") {
  const std::string& b = base_text();
  for (const std::string_view bad : {"1.5", "2147483648", "-2147483649", "1e3"}) {
    CAPTURE(bad);
    const std::string in = with(b, R"("kind":2)", R"("kind":)" + std::string(bad));
    expect_rejected(in, diagnostic_code::bad_number, "groups[0].kind", at_of(in, "\"kind\":", 7));
  }
  const std::string kind_text = with(b, R"("kind":2)", R"("kind":"2")");
  expect_rejected(kind_text, diagnostic_code::wrong_type, "groups[0].kind",
                  at_of(kind_text, "\"kind\":", 7));
  const std::string status = with(b, R"("status":0)", R"("status":true)");
  expect_rejected(status, diagnostic_code::wrong_type, "groups[0].status",
                  at_of(status, "\"status\":", 9));
  struct hex_case {
    std::string value;
    diagnostic_code code;
    std::string path;
    std::size_t skip;  // from the start of the value to the reported position
  };
  const hex_case hex_cases[] = {
      {R"({"hex":"zz"})", diagnostic_code::bad_number, "groups[0].service.hex", 7},
      {R"({"hex":"abc"})", diagnostic_code::bad_number, "groups[0].service.hex", 7},
      {R"({"hex":1})", diagnostic_code::wrong_type, "groups[0].service.hex", 7},
      {R"({"hex":"77","x":1})", diagnostic_code::wrong_shape, "groups[0].service.x", 16},
      {R"({})", diagnostic_code::missing_field, "groups[0].service.hex", 0},
      {R"([1])", diagnostic_code::wrong_type, "groups[0].service", 0},
      {R"(null)", diagnostic_code::wrong_type, "groups[0].service", 0},
  };
  for (const hex_case& c : hex_cases) {
    CAPTURE(c.value);
    const std::string in = with(b, R"("service":"web")", R"("service":)" + c.value);
    expect_rejected(in, c.code, c.path, at_of(in, "\"service\":", 10) + c.skip);
  }
  const std::string attr_number = with(b, R"(["/cart"])", "[1]");
  expect_rejected(attr_number, diagnostic_code::wrong_type, "groups[0].attributes[0]",
                  at_of(attr_number, "1],\"count\""));
}

TEST_CASE("read_red_partial: histograms must be consistent") {
  const std::string& b = base_text();
  // The web group's duration histogram holds 1000 and 3000; it is the first "min":"1000".
  const std::string duration_at = R"("duration":)";
  const std::size_t dur = at_of(b, duration_at, duration_at.size());
  const std::string min_above = with(b, R"("min":"1000")", R"("min":"5000")");
  expect_rejected(min_above, diagnostic_code::inconsistent, "groups[0].duration", dur,
                  "inconsistent histogram: min is above max");
  const std::string scale = with(b, R"("max_scale":20)", R"("max_scale":21)");
  expect_rejected(scale, diagnostic_code::inconsistent, "groups[0].duration", dur,
                  "max_scale is outside [-10, 20]");
  const std::string buckets = with(b, R"("zero_count":"0")", R"("zero_count":"1")");
  expect_rejected(buckets, diagnostic_code::inconsistent, "groups[0].duration", dur,
                  "zero_count plus the bucket counts is not count");
  const std::string sum =
      with(b, R"("sum":"4000")", R"("sum":"340282366920938463463374607431768211456")");
  expect_rejected(sum, diagnostic_code::bad_number, "groups[0].duration.sum",
                  at_of(sum, "\"34028236"));
  const std::string big_sum =
      with(b, R"("sum":"4000")", R"("sum":"340282366920938463463374607431768211455")");
  expect_rejected(big_sum, diagnostic_code::inconsistent, "groups[0].duration", dur,
                  "sum is not what count values");
  expect_rejected(with(b, R"("rejected_count":"0",)", ""), diagnostic_code::missing_field,
                  "groups[0].duration.rejected_count", dur);
  const std::string size = with(b, R"("max_size":2048)", R"("max_size":4294967296)");
  expect_rejected(size, diagnostic_code::bad_number, "groups[0].duration.max_size",
                  at_of(size, "4294967296"));
  const std::string bucket = with(b, R"("bucket_counts":["1")", R"("bucket_counts":[1)");
  expect_rejected(bucket, diagnostic_code::wrong_type, "groups[0].duration.bucket_counts[0]",
                  at_of(bucket, "\"bucket_counts\":[1", 17));
}

TEST_CASE("read_red_partial: groups and totals must reconcile") {
  const std::string& b = base_text();
  const std::string errors = with(b, R"("errors":"0")", R"("errors":"3")");
  expect_rejected(errors, diagnostic_code::inconsistent, "groups[0].errors",
                  at_of(errors, R"("errors":"3")", 9), "exceeds count");
  const std::string count = with(b, R"("count":"2","errors")", R"("count":"3","errors")");
  expect_rejected(count, diagnostic_code::inconsistent, "groups[0].duration",
                  at_of(count, "\"duration\":", 11), "one value per span");
  const std::string attrs = with(b, R"(["/cart"])", R"(["/cart",null])");
  expect_rejected(attrs, diagnostic_code::inconsistent, "groups[0].attributes",
                  at_of(attrs, R"(["/cart",null])"), "grouped by 1 attributes");
  // The db group given the web group's key.
  const std::string dup =
      with(b, R"({"service":"db","name":"SELECT","kind":3,"status":2,"attributes":[null])",
           R"({"service":"web","name":"GET /cart","kind":2,"status":0,"attributes":["/cart"])");
  expect_rejected(dup, diagnostic_code::inconsistent, "groups[1]",
                  b.find("\n{\"service\":\"db\"") + 1, "the same key");
  const std::string spans = with(b, R"("spans":"3")", R"("spans":"4")");
  expect_rejected(spans, diagnostic_code::inconsistent, "spans", at_of(spans, "\"spans\":", 8),
                  "spans is 4 but the groups' counts add up to 3");
}

TEST_CASE("read_red_partial: every truncation of a partial is rejected, never crashes") {
  // Small histograms (4 buckets at most) keep the documents short enough to cut everywhere.
  const auto ts = tft::random_set(7, tft::shape::random, 30);
  const folds::red_table t =
      tf::run(folds::red_stats{{.attributes = {"service.name", "absent"}, .histogram_max_size = 4}},
              ts.traces());
  folds::red_table odd;
  odd.spans = 2;
  odd.attribute_names = {"bad \xff", "ctl \x01"};
  odd.groups.push_back(make_group(
      {"x\"y", "\xc0", tf::span_kind{7}, tf::status_code{-1}, {"\n", {}}}, {0, 5}, {0, 0}, 2));
  for (const std::string& text : {emit::to_red_partial(t), emit::to_red_partial(odd)}) {
    REQUIRE(ingest::read_red_partial(text).ok());
    REQUIRE(ingest::read_red_partial(text.substr(0, text.size() - 1)).ok());  // the newline
    for (std::size_t n = 0; n + 1 < text.size(); ++n) {
      CAPTURE(n);
      const ingest::red_partial_result r = ingest::read_red_partial(text.substr(0, n), "cut");
      CHECK_FALSE(r.ok());
      REQUIRE(r.diagnostics.size() == 1);
      CHECK(r.diagnostics[0].byte_offset <= n);
      CHECK(r.diagnostics[0].line >= 1);
      CHECK(r.diagnostics[0].column >= 1);
    }
  }
}

TEST_CASE("read_red_partial: deep nesting and large inputs are rejected cleanly") {
  const std::string deep =
      with(base_text(), R"("version":1,)",
           R"("version":1,"x":)" + std::string(5000, '[') + std::string(5000, ']') + ",");
  const auto r = ingest::read_red_partial(deep);
  CHECK_FALSE(r.ok());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK((r.diagnostics[0].code == diagnostic_code::too_deep ||
         r.diagnostics[0].code == diagnostic_code::wrong_shape));
}

TEST_CASE("read_red_partial_file: reads a file, names it in diagnostics, reports I/O errors") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("tracefold-red-partial-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path good = dir / "good.json";
  const std::filesystem::path bad = dir / "bad.json";
  {
    std::ofstream(good, std::ios::binary) << base_text();
    std::ofstream(bad, std::ios::binary) << with(base_text(), R"("spans":"3")", R"("spans":"4")");
  }
  const auto ok = ingest::read_red_partial_file(good);
  REQUIRE(ok.ok());
  CHECK(*ok.table == base_table());
  const auto wrong = ingest::read_red_partial_file(bad);
  REQUIRE(wrong.diagnostics.size() == 1);
  CHECK(wrong.diagnostics[0].file == bad.string());
  CHECK(wrong.diagnostics[0].code == diagnostic_code::inconsistent);
  const auto missing = ingest::read_red_partial_file(dir / "missing.json");
  CHECK_FALSE(missing.ok());
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(missing.diagnostics[0].code == diagnostic_code::io_error);
  CHECK(missing.diagnostics[0].file == (dir / "missing.json").string());
  const auto directory = ingest::read_red_partial_file(dir);
  REQUIRE(directory.diagnostics.size() == 1);
  CHECK(directory.diagnostics[0].code == diagnostic_code::io_error);
  std::filesystem::remove_all(dir);
}
