#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <tracefold/emit/timeline_json.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/lanes.hpp>
#include <tracefold/folds/self_time.hpp>
#include <tracefold/folds/trace_summary.hpp>
#include <vector>

#include <tracefold/model/trace_set_builder.hpp>

#include "support/make_traces.hpp"
#include "support/strict_json.hpp"

namespace tf = tracefold;
namespace emit = tracefold::emit;
namespace folds = tracefold::folds;

namespace {

using tft::spec;

/// web GET /cart (2 ms) calling db SELECT (0.5 ms, failed) and then web render (1 ms), and an
/// orphan whose end is before its start.
tf::trace_set small_shop() {
  return tft::build({
      {.trace = 7,
       .id = 1,
       .start = 1'000'000,
       .end = 3'000'000,
       .name = "GET /cart",
       .service = "web"},
      {.trace = 7,
       .id = 2,
       .parent = 1,
       .start = 1'100'000,
       .end = 1'600'000,
       .name = "SELECT",
       .service = "db",
       .status = tf::status_code::error},
      {.trace = 7,
       .id = 3,
       .parent = 1,
       .start = 2'000'000,
       .end = 3'000'000,
       .name = "render",
       .service = "web",
       .status = tf::status_code::ok},
      {.trace = 7,
       .id = 4,
       .parent = 40,
       .start = 2'500'000,
       .end = 2'000'000,
       .name = "late \"q\"\n",
       .service = "queue"},
  });
}

/// `s` parsed strictly; fails the test when it is not valid JSON.
tft::json parse(std::string_view s) {
  auto v = tft::parse_json(s);
  REQUIRE_MESSAGE(v.has_value(), "not valid JSON: " << s.substr(0, 200));
  return std::move(*v);
}

/// The lines of `s` (which ends in '\n'), without their '\n'.
std::vector<std::string_view> lines(std::string_view s) {
  std::vector<std::string_view> out;
  REQUIRE((s.empty() || s.back() == '\n'));
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t nl = s.find('\n', i);
    out.push_back(s.substr(i, nl - i));
    i = nl + 1;
  }
  return out;
}

/// Checks one trace object against the trace it came from.
void check_trace(const tft::json& j, const tf::trace& t, bool with_lanes) {
  using type = tft::json::type;
  REQUIRE(j.t == type::object);
  const folds::trace_summary sum = folds::summarize(t);
  CHECK(j["trace_id"].s == t.id().to_hex());
  CHECK(j["start_time_unix_nano"].s == std::to_string(sum.start_unix_nano));
  CHECK(j["duration_ns"].n == sum.duration_ns());
  CHECK(j["span_count"].n == t.size());
  CHECK(j["root_name"].s == sum.root_name);
  CHECK(j["root_service"].s == sum.root_service);
  CHECK(j["error_count"].n == sum.errors);
  REQUIRE(j["services"].items.size() == sum.services.size());
  for (std::size_t k = 0; k < sum.services.size(); ++k)
    CHECK(j["services"].items[k].s == sum.services[k]);
  const folds::lane_layout lanes = folds::lanes(t);
  if (with_lanes) {
    CHECK(j["lane_count"].n == lanes.count);
  } else {
    CHECK(j.find("lane_count") == nullptr);
  }
  const auto& spans = j["spans"].items;
  REQUIRE(spans.size() == t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    const tf::span_ref r = t[i];
    const tft::json& s = spans[i];
    CHECK(s["span_id"].s == r->span_id.to_hex());
    CHECK(s["parent_span_id"].s == (r->parent_span_id.empty() ? "" : r->parent_span_id.to_hex()));
    CHECK(s["name"].s == r->name);
    CHECK(s["service"].s == r->service_name("unknown_service"));
    CHECK(s["kind"].s == tf::to_string(r->kind));
    CHECK(s["status"].s == tf::to_string(r->status.code));
    const std::uint64_t offset = s["start_offset_ns"].n;
    const std::uint64_t duration = s["duration_ns"].n;
    CHECK(offset == r->start_time_unix_nano - sum.start_unix_nano);
    CHECK(duration == (r->duration_ns() > 0 ? static_cast<std::uint64_t>(r->duration_ns()) : 0));
    CHECK(offset + duration <= sum.duration_ns());
    CHECK(s["self_time_ns"].n == folds::self_time(r));
    CHECK(s["self_time_ns"].n <= duration);
    CHECK(s["depth"].n == r.depth());
    if (with_lanes) {
      CHECK(s["lane"].n == lanes.lane[i]);
      CHECK(s["lane"].n < lanes.count);
    } else {
      CHECK(s.find("lane") == nullptr);
    }
    CHECK(s["orphan"].t == type::boolean);
    CHECK(s["orphan"].b == r.is_orphan());
  }
}

}  // namespace

TEST_CASE("timeline_json: a small trace, field by field") {
  const auto ts = small_shop();
  const emit::timeline_json_result r = tf::run(emit::timeline_json{}, ts.traces());
  CHECK(r.traces == 1);
  CHECK(r.spans == 4);
  CHECK(r.bytes == r.text.size());
  CHECK(r.repaired_strings == 0);
  const std::string t = "00000000000000000000000000000007";
  CHECK(
      r.text ==
      "{\"traces\":[\n"
      "{\"trace_id\":\"" +
          t +
          "\",\"start_time_unix_nano\":\"1000000\",\"duration_ns\":2000000,"
          "\"span_count\":4,\"lane_count\":3,\"root_name\":\"GET /cart\",\"root_service\":\"web\","
          "\"error_count\":1,\"services\":[\"web\",\"db\",\"queue\"],\"spans\":["
          "{\"span_id\":\"0000000000000001\",\"parent_span_id\":\"\",\"name\":\"GET /cart\","
          "\"service\":\"web\",\"kind\":\"unspecified\",\"status\":\"unset\",\"start_offset_ns\":0,"
          "\"duration_ns\":2000000,\"self_time_ns\":500000,\"depth\":0,\"lane\":0,\"orphan\":false}"
          ","
          "{\"span_id\":\"0000000000000002\",\"parent_span_id\":\"0000000000000001\",\"name\":"
          "\"SELECT\",\"service\":\"db\",\"kind\":\"unspecified\",\"status\":\"error\","
          "\"start_offset_ns\":100000,\"duration_ns\":500000,\"self_time_ns\":500000,\"depth\":1,"
          "\"lane\":1,\"orphan\":false},"
          "{\"span_id\":\"0000000000000003\",\"parent_span_id\":\"0000000000000001\",\"name\":"
          "\"render\",\"service\":\"web\",\"kind\":\"unspecified\",\"status\":\"ok\","
          "\"start_offset_ns\":1000000,\"duration_ns\":1000000,\"self_time_ns\":1000000,\"depth\":"
          "1,"
          "\"lane\":1,\"orphan\":false},"
          "{\"span_id\":\"0000000000000004\",\"parent_span_id\":\"0000000000000028\",\"name\":"
          "\"late "
          "\\\"q\\\"\\u000a\",\"service\":\"queue\",\"kind\":\"unspecified\",\"status\":\"unset\","
          "\"start_offset_ns\":1500000,\"duration_ns\":0,\"self_time_ns\":0,\"depth\":0,"
          "\"lane\":2,\"orphan\":true}]}\n"
          "]}\n");
  const tft::json doc = parse(r.text);
  REQUIRE(doc["traces"].items.size() == 1);
  check_trace(doc["traces"].items[0], ts.traces()[0], true);
  CHECK(doc["traces"].items[0]["spans"].items[3]["name"].s == "late \"q\"\n");
}

TEST_CASE("timeline_json: lanes off leaves out lane fields; JSON Lines is one trace per line") {
  const auto ts = tft::random_set(5, tft::shape::random);
  REQUIRE(ts.traces().size() > 1);
  const std::string no_lanes = emit::to_timeline_json(ts, {.lanes = false});
  CHECK(no_lanes.find("\"lane") == std::string::npos);
  const tft::json doc = parse(no_lanes);
  REQUIRE(doc["traces"].items.size() == ts.traces().size());
  for (std::size_t k = 0; k < ts.traces().size(); ++k)
    check_trace(doc["traces"].items[k], ts.traces()[k], false);

  for (bool with_lanes : {true, false}) {
    const auto r = tf::run(
        emit::timeline_json{{.layout = emit::timeline_layout::lines, .lanes = with_lanes}, {}},
        ts.traces());
    const auto rows = lines(r.text);
    REQUIRE(rows.size() == ts.traces().size());
    CHECK(r.traces == rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
      check_trace(parse(rows[k]), ts.traces()[k], with_lanes);
  }
}

TEST_CASE("timeline_json: an empty set") {
  const tf::trace_set empty = tft::build({});
  CHECK(emit::to_timeline_json(empty) == "{\"traces\":[]}\n");
  CHECK(parse(emit::to_timeline_json(empty))["traces"].items.empty());
  CHECK(emit::to_timeline_json(empty, {.layout = emit::timeline_layout::lines}).empty());
}

TEST_CASE("timeline_json: invalid UTF-8 and control characters are repaired and escaped") {
  using namespace std::string_literals;
  const auto ts = tft::build(
      {{.id = 1, .start = 1, .end = 2, .name = "a\xFF\x1B[31m\0b"s, .service = "s\xC0\xAF"},
       {.id = 2, .parent = 1, .start = 1, .end = 2, .name = "\xE2\x80\xAE"}});
  const auto r = tf::run(emit::timeline_json{}, ts.traces());
  // The name, the service, and the root's name, service and entry in "services".
  CHECK(r.repaired_strings == 5);
  CHECK(r.text.find('\x1B') == std::string::npos);
  CHECK(r.text.find('\0') == std::string::npos);
  const tft::json doc = parse(r.text);
  const auto& spans = doc["traces"].items[0]["spans"].items;
  CHECK(spans[0]["name"].s == "a\xEF\xBF\xBD\x1B[31m\0b"s);
  CHECK(spans[0]["service"].s == "s\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(spans[1]["name"].s ==
        "\xE2\x80\xAE");  // valid UTF-8 is kept: escaping for display is the reader's job
}

TEST_CASE("timeline_json: 1,000 seeded random traces parse back and match the model") {
  std::size_t traces = 0;
  for (std::uint64_t seed = 1; traces < 1000; ++seed) {
    const auto ts = tft::random_set(seed, tft::all_shapes[seed % 4], 60);
    const auto r = tf::run(emit::timeline_json{}, ts.traces());
    CHECK(r.traces == ts.traces().size());
    CHECK(r.spans == ts.span_count());
    const tft::json doc = parse(r.text);
    REQUIRE(doc["traces"].items.size() == ts.traces().size());
    for (std::size_t k = 0; k < ts.traces().size(); ++k)
      check_trace(doc["traces"].items[k], ts.traces()[k], true);
    traces += ts.traces().size();
  }
  CHECK(traces >= 1000);
}

TEST_CASE("timeline_json: a sink gets the same bytes in chunks; merge equals one run") {
  std::vector<tf::trace_set> sets;
  for (std::uint64_t seed = 1; seed <= 8; ++seed)
    sets.push_back(tft::random_set(seed, tft::all_shapes[seed % 4], 200));
  // One trace larger than a chunk: a 100,000-deep chain (also: no recursion anywhere).
  std::vector<spec> chain;
  for (std::uint64_t i = 1; i <= 100'000; ++i)
    chain.push_back({.id = i, .parent = i - 1, .start = i, .end = 1'000'000 - i});
  sets.push_back(tft::build(std::span<const spec>(chain)));
  for (const auto layout : {emit::timeline_layout::document, emit::timeline_layout::lines}) {
    for (const auto& ts : sets) {
      const emit::timeline_json w{{.layout = layout}, {}};
      const auto whole = tf::run(w, ts.traces());
      std::string streamed;
      std::size_t calls = 0;
      const auto sunk = tf::run(emit::timeline_json{{.layout = layout},
                                                    [&](std::string_view c) {
                                                      streamed += c;
                                                      ++calls;
                                                    }},
                                ts.traces());
      CHECK(sunk.text.empty());
      CHECK(streamed == whole.text);
      CHECK(sunk.bytes == streamed.size());
      CHECK(sunk.traces == whole.traces);
      CHECK(sunk.spans == whole.spans);
      if (whole.text.size() > (std::size_t{3} << 20)) CHECK(calls > 1);
      for (std::size_t threads : {2, 3}) {
        const auto par = tf::run_parallel(w, ts.traces(), threads);
        CHECK(par.text == whole.text);
        CHECK(par.traces == whole.traces);
        CHECK(par.spans == whole.spans);
      }
      // merge by hand, with the identity on either side.
      auto a = w.init();
      auto b = w.init();
      const auto traces = ts.traces();
      const std::size_t half = traces.size() / 2;
      for (std::size_t k = 0; k < half; ++k) a = w.step(std::move(a), traces[k]);
      for (std::size_t k = half; k < traces.size(); ++k) b = w.step(std::move(b), traces[k]);
      const auto merged =
          w.done(w.merge(w.merge(w.init(), std::move(a)), w.merge(std::move(b), w.init())));
      CHECK(merged.text == whole.text);
      CHECK(merged.bytes == whole.bytes);
    }
  }
  const auto& deep = sets.back();
  const tft::json doc = parse(emit::to_timeline_json(deep));
  CHECK(doc["traces"].items[0]["spans"].items.back()["depth"].n == 99'999);
}

TEST_CASE("timeline_json: the writer fuses with other folds in one pass") {
  const auto ts = tft::random_set(11, tft::shape::random);
  auto [out, spans] =
      tf::run(tf::product(emit::timeline_json{}, tf::each_span(folds::count)), ts.traces());
  CHECK(spans == ts.span_count());
  CHECK(out.spans == ts.span_count());
  CHECK(out.text == emit::to_timeline_json(ts));
}

TEST_CASE("timeline_json: the example of docs/timeline-json.md") {
  // small_shop() with span kinds, which tft::build does not set.
  tf::trace_set_builder b;
  auto scope_of = [&](std::string_view service) {
    const tf::key_value attr{"service.name", tf::any_value::of_string(service)};
    return b.add_scope(b.add_resource({.attributes = {&attr, 1}}), {.name = "docs"});
  };
  const auto web = scope_of("web"), db = scope_of("db"), queue = scope_of("queue");
  auto add = [&](tf::scope_handle sc, std::uint64_t id, std::uint64_t parent, std::uint64_t start,
                 std::uint64_t end, std::string_view name, tf::span_kind kind,
                 tf::status_code status) {
    tf::span sp;
    sp.trace_id = tft::tid(7);
    sp.span_id = tft::sid(id);
    sp.parent_span_id = tft::sid(parent);
    sp.start_time_unix_nano = start;
    sp.end_time_unix_nano = end;
    sp.name = name;
    sp.kind = kind;
    sp.status.code = status;
    b.add_span(sc, sp);
  };
  using k = tf::span_kind;
  using st = tf::status_code;
  add(web, 1, 0, 1'000'000, 3'000'000, "GET /cart", k::server, st::unset);
  add(db, 2, 1, 1'100'000, 1'600'000, "SELECT", k::client, st::error);
  add(web, 3, 1, 2'000'000, 3'000'000, "render", k::internal, st::ok);
  add(queue, 4, 40, 2'500'000, 2'000'000, "late", k::consumer, st::unset);
  const tf::trace_set ts = std::move(b).build();
  // The document's example, unwrapped.
  CHECK(emit::to_timeline_json(ts) ==
        R"({"traces":[
{"trace_id":"00000000000000000000000000000007","start_time_unix_nano":"1000000",)"
        R"("duration_ns":2000000,"span_count":4,"lane_count":3,"root_name":"GET /cart",)"
        R"("root_service":"web","error_count":1,"services":["web","db","queue"],"spans":[)"
        R"({"span_id":"0000000000000001","parent_span_id":"","name":"GET /cart","service":"web",)"
        R"("kind":"server","status":"unset","start_offset_ns":0,"duration_ns":2000000,)"
        R"("self_time_ns":500000,"depth":0,"lane":0,"orphan":false},)"
        R"({"span_id":"0000000000000002","parent_span_id":"0000000000000001","name":"SELECT",)"
        R"("service":"db","kind":"client","status":"error","start_offset_ns":100000,)"
        R"("duration_ns":500000,"self_time_ns":500000,"depth":1,"lane":1,"orphan":false},)"
        R"({"span_id":"0000000000000003","parent_span_id":"0000000000000001","name":"render",)"
        R"("service":"web","kind":"internal","status":"ok","start_offset_ns":1000000,)"
        R"("duration_ns":1000000,"self_time_ns":1000000,"depth":1,"lane":1,"orphan":false},)"
        R"({"span_id":"0000000000000004","parent_span_id":"0000000000000028","name":"late",)"
        R"("service":"queue","kind":"consumer","status":"unset","start_offset_ns":1500000,)"
        R"("duration_ns":0,"self_time_ns":0,"depth":0,"lane":2,"orphan":true}]})"
        "\n]}\n");
}
