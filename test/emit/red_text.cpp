#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_text.hpp>
#include <tracefold/fold/map_result.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/red_stats.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <utility>
#include <vector>

#include "support/make_traces.hpp"

namespace tf = tracefold;
namespace emit = tracefold::emit;
namespace folds = tracefold::folds;

namespace {

/// One span of a test trace: its service, kind, status and optional http.route.
struct op {
  std::uint64_t trace, id, parent, start, end;
  std::string service, name;
  tf::span_kind kind = tf::span_kind::server;
  tf::status_code status = tf::status_code::unset;
  std::optional<std::string> route;
};

/// A trace_set of `ops`, one resource per service.
tf::trace_set build(const std::vector<op>& ops) {
  tf::trace_set_builder b;
  std::vector<std::pair<std::string, tf::scope_handle>> scopes;
  for (const op& o : ops) {
    const tf::scope_handle* sc = nullptr;
    for (const auto& [svc, h] : scopes)
      if (svc == o.service) sc = &h;
    if (sc == nullptr) {
      const tf::key_value attr{"service.name", tf::any_value::of_string(o.service)};
      const auto r = b.add_resource({.attributes = {&attr, 1}});
      scopes.emplace_back(o.service, b.add_scope(r, {.name = "test"}));
      sc = &scopes.back().second;
    }
    std::vector<tf::key_value> attrs;
    if (o.route) attrs.push_back({"http.route", tf::any_value::of_string(*o.route)});
    tf::span sp;
    sp.trace_id = tft::tid(o.trace);
    sp.span_id = tft::sid(o.id);
    sp.parent_span_id = tft::sid(o.parent);
    sp.start_time_unix_nano = o.start;
    sp.end_time_unix_nano = o.end;
    sp.name = o.name;
    sp.kind = o.kind;
    sp.status.code = o.status;
    sp.attributes = attrs;
    b.add_span(*sc, sp);
  }
  return std::move(b).build();
}

/// Three traces of a shop: two GET /cart (one failing) calling SELECT, and a health check.
tf::trace_set shop() {
  using tf::span_kind;
  return build({
      {1, 1, 0, 0, 2'000'000, "web", "GET /cart", span_kind::server, {}, "/cart"},
      {1, 2, 1, 100'000, 600'000, "db", "SELECT", span_kind::client, {}, {}},
      {2, 3, 0, 0, 3'000'000, "web", "GET /cart", span_kind::server, tf::status_code::error,
       "/cart"},
      {2, 4, 3, 0, 1'400'000, "db", "SELECT", span_kind::client, {}, {}},
      {3, 5, 0, 0, 50'000, "web", "GET /health", span_kind::server, {}, "/health"},
  });
}

/// A group of `count` spans named `name`, all lasting `ns`, `errors` of them failing.
folds::red_group group(std::string service, std::string name, std::uint64_t count,
                       std::uint64_t errors, std::uint64_t ns,
                       std::vector<std::optional<std::string>> attributes = {}) {
  folds::red_group g;
  g.key = {std::move(service), std::move(name), tf::span_kind::internal,
           errors ? tf::status_code::error : tf::status_code::unset, std::move(attributes)};
  g.count = count;
  g.errors = errors;
  for (std::uint64_t i = 0; i < count; ++i) {
    g.duration.record(ns);
    g.self_time.record(ns);
  }
  return g;
}

/// Display width of `s` in code points (the writer's measure).
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

/// `s` split at '\n' (the last, empty, piece after a final newline dropped).
std::vector<std::string> lines(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const std::size_t n = s.find('\n');
    out.emplace_back(s.substr(0, n));
    s.remove_prefix(n == std::string_view::npos ? s.size() : n + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("red_text: durations for people, three significant digits below a minute") {
  struct row {
    std::uint64_t ns;
    std::string_view text;
  };
  constexpr std::uint64_t s = 1'000'000'000;
  const row rows[] = {
      {0, "0ns"},
      {1, "1ns"},
      {999, "999ns"},
      {1000, "1.00\xC2\xB5s"},
      {1234, "1.23\xC2\xB5s"},
      {1235, "1.24\xC2\xB5s"},  // half up
      {9995, "10.0\xC2\xB5s"},
      {12'345, "12.3\xC2\xB5s"},
      {950'000, "950\xC2\xB5s"},
      {999'499, "999\xC2\xB5s"},
      {999'500, "1.00ms"},  // rounds up into the next unit
      {12'345'678, "12.3ms"},
      {999'999'999, "1.00s"},
      {1'240'000'000, "1.24s"},
      {59'940'000'000, "59.9s"},
      {59'950'000'000, "1m00s"},  // 60.0s would not be three digits below a minute
      {60 * s, "1m00s"},
      {123 * s, "2m03s"},
      {123 * s + 499'999'999, "2m03s"},
      {123 * s + 500'000'000, "2m04s"},
      {3599 * s, "59m59s"},
      {3599 * s + 500'000'000, "1h00m"},
      {3'720'000'000'000, "1h02m"},
      {96'000 * s, "26h40m"},
      {std::numeric_limits<std::uint64_t>::max(), "5124095h35m"},
  };
  for (const row& r : rows) {
    CAPTURE(r.ns);
    CHECK(emit::to_red_text_fn::format_duration(r.ns) == r.text);
  }
  CHECK(emit::to_red_text_fn::format_duration(950'000, true) == "950us");
  CHECK(emit::to_red_text_fn::format_duration(1'000, true) == "1.00us");
  CHECK(emit::to_red_text_fn::format_duration(12'345'678, true) == "12.3ms");
}

TEST_CASE("red_text: a small shop, grouped by http.route (golden)") {
  const auto ts = shop();
  const folds::red_table t = tf::run(folds::red_stats{{.attributes = {"http.route"}}}, ts.traces());
  const std::string want =
      "5 spans in 3 traces, 4 groups\n"
      "service  name         kind    status  http.route  count  errors  error %     p50     p90"
      "     p99     max   total  self p50\n"
      "web      GET /cart    server  error   /cart           1       1   100.0%  3.00ms  3.00ms"
      "  3.00ms  3.00ms  3.00ms    1.60ms\n"
      "web      GET /cart    server  unset   /cart           1       0     0.0%  2.00ms  2.00ms"
      "  2.00ms  2.00ms  2.00ms    1.50ms\n"
      "db       SELECT       client  unset   -               2       0     0.0%   500µs  1.40ms"
      "  1.40ms  1.40ms  1.90ms     500µs\n"
      "web      GET /health  server  unset   /health         1       0     0.0%  50.0µs  50.0µs"
      "  50.0µs  50.0µs  50.0µs    50.0µs\n";
  CHECK(emit::to_red_text(t) == want);

  SUBCASE("ascii units") {
    const std::string ascii = emit::to_red_text(t, {.ascii = true});
    CHECK(ascii.find("\xC2\xB5") == std::string::npos);
    CHECK(ascii.find("  500us  1.40ms") != std::string::npos);
    for (const char c : ascii) CHECK(static_cast<unsigned char>(c) < 0x80);
  }
  SUBCASE("the sink gets the same bytes") {
    std::string got;
    emit::to_red_text(t, {}, [&](std::string_view chunk) { got += chunk; });
    CHECK(got == want);
  }
  SUBCASE("as a fold over traces, by map_result") {
    const auto f =
        tf::map_result(emit::to_red_text, folds::red_stats{{.attributes = {"http.route"}}});
    CHECK(tf::run(f, ts.traces()) == want);
  }
}

TEST_CASE("red_text: max_groups shows the top groups and sums up the rest") {
  const auto ts = shop();
  const folds::red_table t = tf::run(folds::red_stats{}, ts.traces());
  const auto out = lines(emit::to_red_text(t, {.max_groups = 2}));
  REQUIRE(out.size() == 5);
  CHECK(out[0] == "5 spans in 3 traces, 4 groups");
  CHECK(out[2].find("GET /cart") != std::string::npos);
  CHECK(out[3].find("GET /cart") != std::string::npos);
  CHECK(out[4] == "\xE2\x80\xA6 2 more groups (3 spans) not shown");
  CHECK(lines(emit::to_red_text(t, {.max_groups = 2, .ascii = true}))[4] ==
        "... 2 more groups (3 spans) not shown");
  CHECK(lines(emit::to_red_text(t, {.max_groups = 4})).size() == 6);  // all shown: no footer
  CHECK(lines(emit::to_red_text(t, {.max_groups = 100})).size() == 6);
}

TEST_CASE("red_text: an empty table is one summary line; singular nouns") {
  CHECK(emit::to_red_text(folds::red_table{}) == "0 spans in 0 traces, 0 groups\n");
  folds::red_table one;
  one.spans = 1;
  one.traces = 1;
  one.groups.push_back(group("s", "n", 1, 0, 5));
  CHECK(lines(emit::to_red_text(one))[0] == "1 span in 1 trace, 1 group");
  one.spans = 1'234'567;
  one.groups[0].count = 1'234'567;
  const auto out = lines(emit::to_red_text(one));
  CHECK(out[0] == "1,234,567 spans in 1 trace, 1 group");
  CHECK(out[2].find("  1,234,567  ") != std::string::npos);
}

TEST_CASE("red_text: error percentages never round to none or all") {
  struct row {
    std::uint64_t count, errors;
    std::string_view text;
  };
  const row rows[] = {
      {1, 0, "0.0%"},       {1, 1, "100.0%"},   {3, 1, "33.3%"},           {3, 2, "66.7%"},
      {10'000, 1, "<0.1%"}, {1'000, 1, "0.1%"}, {10'000, 9'999, ">99.9%"}, {1'000, 999, "99.9%"}};
  for (const row& r : rows) {
    folds::red_table t;
    t.groups.push_back(group("s", "n", r.count, r.errors, 1'000));
    const auto out = lines(emit::to_red_text(t));
    REQUIRE(out.size() == 3);
    CAPTURE(r.count);
    CAPTURE(r.errors);
    // The error % column ends right before p50, which is "1.00µs" here.
    const std::string tail = std::string(r.text) + "  1.00\xC2\xB5s";
    CHECK(out[2].find(tail) != std::string::npos);
  }
}

TEST_CASE("red_text: hostile names cannot reach the terminal raw") {
  folds::red_table t;
  t.attribute_names = {"route\x1b[2J"};
  t.groups.push_back(group("evil\x1b]0;owned\x07", "line1\nline2\r\tend", 1, 0, 10,
                           {std::string("\xC2\x9B"
                                        "31m")}));  // C1 CSI
  t.groups.push_back(group("bidi\xE2\x80\xAEtxt.exe", "bad\xFF\xFEutf8", 1, 0, 5,
                           std::vector<std::optional<std::string>>{std::nullopt}));
  t.groups.push_back(group("del\x7F", "ok", 1, 0, 1, {std::string("caf\xC3\xA9")}));
  t.sort();
  const std::string out = emit::to_red_text(t);
  const auto rows = lines(out);
  REQUIRE(rows.size() == 5);  // no name added a line
  for (const char c : out) {
    const auto u = static_cast<unsigned char>(c);
    CHECK((u >= 0x20 || c == '\n'));
    CHECK(u != 0x7F);
  }
  CHECK(out.find("\xC2\x9B") == std::string::npos);      // no C1 control
  CHECK(out.find("\xE2\x80\xAE") == std::string::npos);  // no right-to-left override
  CHECK(rows[1].find("route?[2J") != std::string::npos);
  CHECK(rows[2].find("evil?]0;owned?  line1?line2??end") == 0);
  CHECK(rows[2].find("?31m") != std::string::npos);
  CHECK(rows[3].find("bidi?txt.exe") == 0);
  CHECK(rows[3].find("bad\xEF\xBF\xBD\xEF\xBF\xBDutf8") != std::string::npos);
  CHECK(rows[3].find("  -  ") != std::string::npos);  // absent attribute
  CHECK(rows[4].find("del?") == 0);
  // Padding counts code points: every line of the table has the same display width.
  for (std::size_t i = 2; i < rows.size(); ++i) {
    CAPTURE(rows[i]);
    CHECK(code_points(rows[i]) == code_points(rows[1]));
  }
}

TEST_CASE("red_text: long names are cut at max_width code points, with an ellipsis") {
  folds::red_table t;
  t.groups.push_back(group("s", std::string(100, 'x'), 1, 0, 1));
  t.groups.push_back(group("s", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 1, 0, 1));
  t.sort();
  {
    const auto rows = lines(emit::to_red_text(t, {.max_width = 5}));
    CHECK(rows[2].find("  xxxx\xE2\x80\xA6  ") != std::string::npos);
    CHECK(rows[3].find("  \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6  ") != std::string::npos);
    CHECK(code_points(rows[2]) == code_points(rows[3]));
  }
  {
    const auto rows = lines(emit::to_red_text(t, {.ascii = true, .max_width = 5}));
    CHECK(rows[2].find("  xx...  ") != std::string::npos);
  }
  {
    const auto rows = lines(emit::to_red_text(t, {.max_width = 6}));  // fits exactly
    CHECK(rows[3].find("  \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9  ") !=
          std::string::npos);
  }
  {
    const auto rows = lines(emit::to_red_text(t, {.max_width = 0}));  // never cut
    CHECK(rows[2].find(std::string(100, 'x')) != std::string::npos);
  }
  CHECK(lines(emit::to_red_text(t))[2].find(std::string(59, 'x') + "\xE2\x80\xA6") !=
        std::string::npos);  // default: 60
}
