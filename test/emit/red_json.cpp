#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_json.hpp>
#include <tracefold/fold/map_result.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/red_stats.hpp>
#include <utility>
#include <vector>

#include "support/make_traces.hpp"
#include "support/strict_json.hpp"

namespace tf = tracefold;
namespace emit = tracefold::emit;
namespace folds = tracefold::folds;

namespace {

using tft::json;

/// `s` as one JSON value, or nullopt when it is not strictly valid.
std::optional<json> parse(std::string_view s) { return tft::parse_json(s); }

/// A group of `count` spans of `ns` each (self time `ns / 2`).
folds::red_group group(std::string service, std::string name, std::uint64_t count, std::uint64_t ns,
                       std::vector<std::optional<std::string>> attributes = {}) {
  folds::red_group g;
  g.key = {std::move(service), std::move(name), tf::span_kind::producer, tf::status_code::error,
           std::move(attributes)};
  g.count = count;
  g.errors = count;
  for (std::uint64_t i = 0; i < count; ++i) {
    g.duration.record(ns);
    g.self_time.record(ns / 2);
  }
  return g;
}

/// The seven numbers of a histogram object, in the documented order, checked for keys.
std::vector<std::uint64_t> stats(const json& h) {
  std::vector<std::uint64_t> out;
  REQUIRE(h.t == json::type::object);
  REQUIRE(h.keys.size() == 7);
  const char* keys[] = {"min", "max", "sum", "p50", "p90", "p95", "p99"};
  for (std::size_t k = 0; k < 7; ++k) {
    CHECK(h.keys[k] == keys[k]);
    CHECK(h.values[k].t == json::type::number);
    out.push_back(h.values[k].n);
  }
  return out;
}

}  // namespace

TEST_CASE("red_json: the test reader rejects what is not JSON") {
  CHECK(parse("{\"a\":[1,2,{\"b\":null}],\"c\":\"\\u00e9\\ud83d\\ude00\"}"));
  CHECK(parse("{\"c\":\"\\u00e9\\ud83d\\ude00\"}")->find("c")->s == "\xC3\xA9\xF0\x9F\x98\x80");
  CHECK_FALSE(parse("{\"a\":1,}"));
  CHECK_FALSE(parse("[01]"));
  CHECK_FALSE(parse("\"tab\there\""));
  CHECK_FALSE(parse("\"bad \xFF\""));
  CHECK_FALSE(parse("\"\\ud800\""));
  CHECK_FALSE(parse("{\"a\":1} x"));
  CHECK_FALSE(parse("{\"a\" 1}"));
}

TEST_CASE("red_json: a small case, exactly (golden)") {
  const auto ts = tft::build({
      {.trace = 1, .id = 1, .start = 0, .end = 2'000'000, .name = "GET /cart", .service = "web"},
      {.trace = 1,
       .id = 2,
       .parent = 1,
       .start = 100'000,
       .end = 600'000,
       .name = "SELECT",
       .service = "db"},
      {.trace = 2,
       .id = 3,
       .start = 0,
       .end = 1'400'000,
       .name = "SELECT",
       .service = "db",
       .status = tf::status_code::error},
  });
  const folds::red_table t = tf::run(folds::red_stats{}, ts.traces());
  const std::string want =
      "{\"spans\":3,\"traces\":2,\"attributes\":[],\"groups\":[\n"
      "{\"service\":\"web\",\"name\":\"GET /cart\",\"kind\":\"unspecified\",\"status\":\"unset\","
      "\"count\":1,\"errors\":0,"
      "\"duration_ns\":{\"min\":2000000,\"max\":2000000,\"sum\":2000000,\"p50\":2000000,"
      "\"p90\":2000000,\"p95\":2000000,\"p99\":2000000},"
      "\"self_time_ns\":{\"min\":1500000,\"max\":1500000,\"sum\":1500000,\"p50\":1500000,"
      "\"p90\":1500000,\"p95\":1500000,\"p99\":1500000}},\n"
      "{\"service\":\"db\",\"name\":\"SELECT\",\"kind\":\"unspecified\",\"status\":\"error\","
      "\"count\":1,\"errors\":1,"
      "\"duration_ns\":{\"min\":1400000,\"max\":1400000,\"sum\":1400000,\"p50\":1400000,"
      "\"p90\":1400000,\"p95\":1400000,\"p99\":1400000},"
      "\"self_time_ns\":{\"min\":1400000,\"max\":1400000,\"sum\":1400000,\"p50\":1400000,"
      "\"p90\":1400000,\"p95\":1400000,\"p99\":1400000}},\n"
      "{\"service\":\"db\",\"name\":\"SELECT\",\"kind\":\"unspecified\",\"status\":\"unset\","
      "\"count\":1,\"errors\":0,"
      "\"duration_ns\":{\"min\":500000,\"max\":500000,\"sum\":500000,\"p50\":500000,"
      "\"p90\":500000,\"p95\":500000,\"p99\":500000},"
      "\"self_time_ns\":{\"min\":500000,\"max\":500000,\"sum\":500000,\"p50\":500000,"
      "\"p90\":500000,\"p95\":500000,\"p99\":500000}}\n"
      "]}\n";
  CHECK(emit::to_red_json(t) == want);
  CHECK(parse(want));

  SUBCASE("the sink gets the same bytes") {
    std::string got;
    emit::to_red_json(t, [&](std::string_view chunk) { got += chunk; });
    CHECK(got == want);
  }
  SUBCASE("as a fold over traces, by map_result") {
    CHECK(tf::run(tf::map_result(emit::to_red_json, folds::red_stats{}), ts.traces()) == want);
  }
}

TEST_CASE("red_json: the schema, read back") {
  folds::red_table t;
  t.spans = 12;
  t.traces = 3;
  t.attribute_names = {"http.route", "tenant"};
  t.groups.push_back(group("web", "GET", 2, 3'000, {std::string("/x"), std::nullopt}));
  folds::red_group spread = group("db", "q", 0, 0, {std::nullopt, std::string("")});
  for (std::uint64_t v : {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000}) {
    spread.duration.record(v);
    spread.self_time.record(0);
    ++spread.count;
  }
  t.groups.push_back(std::move(spread));
  t.sort();
  const std::string text = emit::to_red_json(t);
  const auto doc = parse(text);
  REQUIRE(doc);
  REQUIRE(doc->t == json::type::object);
  CHECK(doc->keys == std::vector<std::string>{"spans", "traces", "attributes", "groups"});
  CHECK((*doc)["spans"].n == 12);
  CHECK((*doc)["traces"].n == 3);
  const json& names = (*doc)["attributes"];
  REQUIRE(names.items.size() == 2);
  CHECK(names.items[0].s == "http.route");
  CHECK(names.items[1].s == "tenant");
  const json& groups = (*doc)["groups"];
  REQUIRE(groups.t == json::type::array);
  REQUIRE(groups.items.size() == 2);

  const json& web = groups.items[0];  // 6,000 ns in all, before db's 5,500
  CHECK(web["service"].s == "web");
  CHECK(web["name"].s == "GET");
  CHECK(web["kind"].s == "producer");
  CHECK(web["status"].s == "error");
  CHECK(web["attributes"]["http.route"].s == "/x");
  CHECK(web["attributes"]["tenant"].t == json::type::null);
  CHECK(web["count"].n == 2);
  CHECK(web["errors"].n == 2);
  CHECK(stats(web["duration_ns"]) ==
        std::vector<std::uint64_t>{3000, 3000, 6000, 3000, 3000, 3000, 3000});
  CHECK(stats(web["self_time_ns"]) ==
        std::vector<std::uint64_t>{1500, 1500, 3000, 1500, 1500, 1500, 1500});

  const json& db = groups.items[1];
  CHECK(db["attributes"]["http.route"].t == json::type::null);
  CHECK(db["attributes"]["tenant"].t == json::type::string);  // empty, not absent
  CHECK(db["attributes"]["tenant"].s.empty());
  const auto d = stats(db["duration_ns"]);
  CHECK(d[0] == 100);
  CHECK(d[1] == 1000);
  CHECK(d[2] == 5500);
  // Nearest rank: p50 is the 5th value (500), p90 the 9th (900), p95 and p99 the 10th (max).
  // Quantiles inside the range are estimates within the histogram's relative error.
  const folds::red_group& g = t.groups[1];
  const double bound = g.duration.relative_error_bound();
  CHECK(static_cast<double>(d[3]) == doctest::Approx(500).epsilon(bound + 0.002));
  CHECK(static_cast<double>(d[4]) == doctest::Approx(900).epsilon(bound + 0.002));
  CHECK(d[5] == 1000);
  CHECK(d[6] == 1000);
  CHECK(stats(db["self_time_ns"]) == std::vector<std::uint64_t>{0, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("red_json: no attributes named, no attributes object in groups") {
  folds::red_table t;
  t.groups.push_back(group("s", "n", 1, 10));
  const auto doc = parse(emit::to_red_json(t));
  REQUIRE(doc);
  CHECK((*doc)["attributes"].t == json::type::array);
  CHECK((*doc)["attributes"].items.empty());
  REQUIRE((*doc)["groups"].items.size() == 1);
  CHECK((*doc)["groups"].items[0].find("attributes") == nullptr);
  CHECK(emit::to_red_json(folds::red_table{}) ==
        "{\"spans\":0,\"traces\":0,\"attributes\":[],\"groups\":[]}\n");
}

TEST_CASE("red_json: hostile names are escaped, invalid UTF-8 repaired") {
  folds::red_table t;
  t.attribute_names = {"k\"ey\\"};
  const std::string hostile = "q\"b\\s/\n\r\t\x01\x1b[31m\x7f end";
  t.groups.push_back(group(hostile, "bad\xFF\xC3(\xED\xA0\x80x", 1, 20, {hostile}));
  t.groups.push_back(group("caf\xC3\xA9 \xF0\x9F\x98\x80",
                           "\xE2\x80\xAE"
                           "rtl",
                           1, 10, {std::nullopt}));
  t.sort();
  const std::string text = emit::to_red_json(t);
  for (const char c : text) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
  CHECK(text.find("\"q\\\"b\\\\s/\\u000a\\u000d\\u0009\\u0001\\u001b[31m\x7f end\"") !=
        std::string::npos);
  const auto doc = parse(text);
  REQUIRE(doc);
  CHECK((*doc)["attributes"].items[0].s == "k\"ey\\");
  const json& g0 = (*doc)["groups"].items[0];
  CHECK(g0["service"].s == hostile);  // control characters survive the round trip
  CHECK(g0["attributes"]["k\"ey\\"].s == hostile);
  // Each invalid byte (a stray 0xFF, a truncated sequence, an encoded surrogate) is U+FFFD.
  const std::string name = g0["name"].s;
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(name == "bad" + fffd + fffd + "(" + fffd + fffd + fffd + "x");
  const json& g1 = (*doc)["groups"].items[1];
  CHECK(g1["service"].s == "caf\xC3\xA9 \xF0\x9F\x98\x80");  // valid UTF-8 kept as is
  CHECK(g1["name"].s ==
        "\xE2\x80\xAE"
        "rtl");
}

TEST_CASE("red_json: sums above 2^64 stay integers") {
  folds::red_table t;
  folds::red_group g = group("s", "n", 0, 0);
  for (int i = 0; i < 8; ++i) g.duration.record(std::uint64_t{1} << 62);  // sum 2^65
  g.count = 8;
  t.groups.push_back(std::move(g));
  const std::string text = emit::to_red_json(t);
  CHECK(text.find("\"sum\":36893488147419103232,") != std::string::npos);
}

TEST_CASE("red_json: grouped by name only, exact: no service, kind or status; exact quantiles") {
  folds::red_table t;
  t.dimensions = {.service = false, .kind = false, .status = false};
  t.exact = true;
  folds::red_group g = group("", "op", 4, 10);
  g.key.kind = tf::span_kind::unspecified;
  g.key.status = tf::status_code::unset;
  g.exact_duration = {10, 20, 30, 1000};  // the histogram says 10 everywhere: exact must win
  g.exact_self_time = {5, 5, 5, 5};
  t.groups.push_back(g);
  t.spans = 4;
  const std::string text = emit::to_red_json(t);
  const std::optional<json> v = parse(text);
  REQUIRE(v);
  CHECK(text.find("\"attributes\":[],\"exact\":true,\"dimensions\":[\"name\"],\"groups\"") !=
        std::string::npos);
  CHECK(text.find("\n{\"name\":\"op\",\"count\":4,") != std::string::npos);
  CHECK(text.find("\"service\"") == std::string::npos);
  CHECK(text.find("\"kind\"") == std::string::npos);
  // nearest rank over 4 values: p50 rank 2, p90 / p95 / p99 rank 4.
  CHECK(text.find("\"duration_ns\":{\"min\":10,\"max\":10,\"sum\":40,\"p50\":20,\"p90\":1000,"
                  "\"p95\":1000,\"p99\":1000}") != std::string::npos);

  // No dimension at all: the group object starts with its count.
  t.dimensions = {false, false, false, false};
  const std::string none = emit::to_red_json(t);
  CHECK(parse(none));
  CHECK(none.find("\"dimensions\":[],") != std::string::npos);
  CHECK(none.find("\n{\"count\":4,") != std::string::npos);
}
