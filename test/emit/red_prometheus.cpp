// emit::to_red_prometheus: the text exposition format read back line by line, label names
// sanitized, label values escaped, `le` buckets cumulative, exact where they can be and
// otherwise within the documented bound.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tracefold/emit/red_prometheus.hpp>
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

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

/// Whether `s` matches `[a-zA-Z_][a-zA-Z0-9_]*`.
bool valid_name(std::string_view s) {
  return !s.empty() && name_start(s[0]) && std::all_of(s.begin(), s.end(), name_char);
}

/// One sample line.
struct sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // unescaped values, in order
  std::string value;

  [[nodiscard]] std::optional<std::string> label(std::string_view n) const {
    for (const auto& [k, v] : labels)
      if (k == n) return v;
    return std::nullopt;
  }
  /// The labels without `le`, as one comparable text.
  [[nodiscard]] std::string series() const {
    std::string s;
    for (const auto& [k, v] : labels)
      if (k != "le") s += k + "=" + v + "\x1f";
    return s;
  }
};

/// A parsed exposition: families with their HELP and TYPE, and the samples in order.
struct exposition {
  std::map<std::string, std::string> help, type;
  std::vector<sample> samples;
};

/// Reads the text format strictly: every line a HELP, a TYPE or a sample; names and label
/// names valid; label values with only the three escapes the format has; no duplicate
/// label names in a sample. Fails the test on anything else.
exposition read_exposition(std::string_view text) {
  exposition out;
  REQUIRE((text.empty() || text.back() == '\n'));
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol + 1);
    ++line_no;
    CAPTURE(line_no);
    CAPTURE(std::string(line));
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const std::string_view rest = line.substr(7);
      const std::size_t sp = rest.find(' ');
      REQUIRE(sp != std::string_view::npos);
      const std::string name(rest.substr(0, sp));
      CHECK(valid_name(name));
      const bool fresh = (line[2] == 'H' ? out.help : out.type)
                             .emplace(name, std::string(rest.substr(sp + 1)))
                             .second;
      CHECK(fresh);
      continue;
    }
    REQUIRE_FALSE(line.starts_with("#"));
    sample s;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = std::string(line.substr(0, i));
    CHECK(valid_name(s.name));
    if (i < line.size() && line[i] == '{') {
      ++i;
      std::set<std::string> seen;
      while (i < line.size() && line[i] != '}') {
        const std::size_t eq = line.find('=', i);
        REQUIRE(eq != std::string_view::npos);
        std::string key(line.substr(i, eq - i));
        CHECK(valid_name(key));
        CHECK(seen.insert(key).second);
        REQUIRE(eq + 1 < line.size());
        REQUIRE(line[eq + 1] == '"');
        i = eq + 2;
        std::string value;
        for (;;) {
          REQUIRE(i < line.size());
          const char c = line[i++];
          if (c == '"') break;
          if (c != '\\') {
            value.push_back(c);
            continue;
          }
          REQUIRE(i < line.size());
          const char e = line[i++];
          REQUIRE((e == '\\' || e == '"' || e == 'n'));
          value.push_back(e == 'n' ? '\n' : e);
        }
        s.labels.emplace_back(std::move(key), std::move(value));
        if (i < line.size() && line[i] == ',') ++i;
      }
      REQUIRE(i < line.size());
      ++i;  // '}'
    }
    REQUIRE(i < line.size());
    REQUIRE(line[i] == ' ');
    s.value = std::string(line.substr(i + 1));
    CHECK_FALSE(s.value.empty());
    CHECK(s.value.find(' ') == std::string::npos);
    out.samples.push_back(std::move(s));
  }
  return out;
}

std::uint64_t as_count(const std::string& v) {
  REQUIRE(!v.empty());
  REQUIRE(std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }));
  return std::stoull(v);
}

/// `le` as a number (`+Inf` as infinity).
double le_of(const sample& s) {
  const std::string le = *s.label("le");
  return le == "+Inf" ? INFINITY : std::stod(le);
}

/// The duration buckets of each series, in order of appearance.
std::map<std::string, std::vector<const sample*>> buckets_by_series(const exposition& e) {
  std::map<std::string, std::vector<const sample*>> out;
  for (const sample& s : e.samples)
    if (s.name == "traces_span_metrics_duration_seconds_bucket") out[s.series()].push_back(&s);
  return out;
}

/// A sample of `name` whose labels (besides `le`) are `series`.
const sample* find_sample(const exposition& e, std::string_view name, const std::string& series) {
  for (const sample& s : e.samples)
    if (s.name == name && s.series() == series) return &s;
  return nullptr;
}

/// Checks what holds for every output: families declared before their samples, buckets
/// cumulative and ending in +Inf == _count == calls.
void check_consistent(const exposition& e) {
  CHECK(e.type.at("traces_span_metrics_calls_total") == "counter");
  CHECK(e.type.at("traces_span_metrics_duration_seconds") == "histogram");
  CHECK(e.help.count("traces_span_metrics_calls_total") == 1);
  CHECK(e.help.count("traces_span_metrics_duration_seconds") == 1);
  std::set<std::string> calls_series;
  for (const sample& s : e.samples) {
    CHECK((s.name == "traces_span_metrics_calls_total" ||
           s.name.starts_with("traces_span_metrics_duration_seconds_")));
    if (s.name == "traces_span_metrics_calls_total")
      CHECK_MESSAGE(calls_series.insert(s.series()).second, "series written twice");
  }
  const auto buckets = buckets_by_series(e);
  CHECK(buckets.size() == calls_series.size());
  for (const auto& entry : buckets) {
    const std::string& series = entry.first;
    const std::vector<const sample*>& bs = entry.second;
    CAPTURE(series);
    REQUIRE(!bs.empty());
    CHECK(*bs.back()->label("le") == "+Inf");
    for (std::size_t i = 1; i < bs.size(); ++i) {
      CHECK(le_of(*bs[i - 1]) < le_of(*bs[i]));
      CHECK(as_count(bs[i - 1]->value) <= as_count(bs[i]->value));
    }
    const sample* count = find_sample(e, "traces_span_metrics_duration_seconds_count", series);
    const sample* sum = find_sample(e, "traces_span_metrics_duration_seconds_sum", series);
    const sample* calls = find_sample(e, "traces_span_metrics_calls_total", series);
    REQUIRE(count != nullptr);
    REQUIRE(sum != nullptr);
    REQUIRE(calls != nullptr);
    CHECK(as_count(bs.back()->value) == as_count(count->value));
    CHECK(as_count(calls->value) == as_count(count->value));
    CHECK(std::stod(sum->value) >= 0);
  }
}

constexpr std::uint64_t t0 = 1'700'000'000'000'000'000;

/// A table of one group per entry of `durations` (named `op0`, `op1`, ...).
folds::red_table table_of(const std::vector<std::vector<std::uint64_t>>& durations) {
  folds::red_table t;
  for (std::size_t i = 0; i < durations.size(); ++i) {
    folds::red_group g;
    g.key = {"svc", "op" + std::to_string(i), tf::span_kind::server, tf::status_code::unset, {}};
    for (const std::uint64_t d : durations[i]) {
      g.duration.record(d);
      g.self_time.record(d);
      ++g.count;
    }
    t.spans += g.count;
    t.groups.push_back(std::move(g));
  }
  t.sort();
  return t;
}

/// One span per (service, name, attributes) with the given attribute key-values.
tf::trace_set spans_with(const std::vector<std::pair<std::string, std::string>>& attrs,
                         std::string_view service = "svc", std::string_view name = "op") {
  tf::trace_set_builder b;
  const tf::key_value svc{"service.name", tf::any_value::of_string(service)};
  const auto s = b.add_scope(b.add_resource({.attributes = {&svc, 1}}), {});
  std::vector<tf::key_value> kvs;
  for (const auto& [k, v] : attrs) kvs.push_back({k, tf::any_value::of_string(v)});
  tf::span sp;
  sp.trace_id = tft::tid(1);
  sp.span_id = tft::sid(1);
  sp.name = name;
  sp.kind = tf::span_kind::server;
  sp.start_time_unix_nano = t0;
  sp.end_time_unix_nano = t0 + 1'000'000;
  sp.attributes = kvs;
  b.add_span(s, sp);
  return std::move(b).build();
}

}  // namespace

TEST_CASE("red_prometheus: families, labels and values of a small table") {
  const tf::trace_set ts = tft::build({
      {1, 1, 0, 0, 3'000'000, "GET /", "front"},
      {1, 2, 1, 0, 1'000'000, "SELECT", "db", tf::status_code::error},
      {2, 3, 0, 0, 5'000'000, "GET /", "front"},
  });
  const folds::red_table table = tf::run(folds::red_stats{}, ts.traces());
  const std::string text = emit::to_red_prometheus(table);
  const exposition e = read_exposition(text);
  check_consistent(e);
  // HELP and TYPE come before each family's samples.
  CHECK(text.find("# TYPE traces_span_metrics_calls_total counter\n") <
        text.find("traces_span_metrics_calls_total{"));
  CHECK(text.find("# TYPE traces_span_metrics_duration_seconds histogram\n") <
        text.find("traces_span_metrics_duration_seconds_bucket{"));
  CHECK(text.find("traces_span_metrics_calls_total{service_name=\"front\",span_name=\"GET /\","
                  "span_kind=\"SPAN_KIND_UNSPECIFIED\",status_code=\"STATUS_CODE_UNSET\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("traces_span_metrics_calls_total{service_name=\"db\",span_name=\"SELECT\","
                  "span_kind=\"SPAN_KIND_UNSPECIFIED\",status_code=\"STATUS_CODE_ERROR\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("_sum{service_name=\"front\",span_name=\"GET /\",span_kind=\"SPAN_KIND_"
                  "UNSPECIFIED\",status_code=\"STATUS_CODE_UNSET\"} 0.008\n") != std::string::npos);
  // The connector's default boundaries, in seconds, then +Inf.
  std::vector<std::string> les;
  for (const sample& s : e.samples)
    if (s.name.ends_with("_bucket") && s.label("service_name") == "db")
      les.push_back(*s.label("le"));
  CHECK(les == std::vector<std::string>{"0.002", "0.004", "0.006", "0.008", "0.01", "0.05", "0.1",
                                        "0.2", "0.4", "0.8", "1", "1.4", "2", "5", "10", "15",
                                        "+Inf"});
  // Errors are the calls with the error status; there is no family of their own.
  CHECK(e.type.size() == 2);
}

TEST_CASE("red_prometheus: buckets are cumulative, +Inf is the count, on random tables") {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    CAPTURE(seed);
    const tf::trace_set ts = tft::random_set(seed, tft::all_shapes[seed % 6]);
    const folds::red_table table = tf::run(folds::red_stats{}, ts.traces());
    const exposition e = read_exposition(emit::to_red_prometheus(table));
    check_consistent(e);
    std::uint64_t calls = 0;
    for (const sample& s : e.samples)
      if (s.name == "traces_span_metrics_calls_total") calls += as_count(s.value);
    CHECK(calls == table.spans);
  }
}

TEST_CASE("red_prometheus: le counts are never above the truth, and off by at most a bucket") {
  std::mt19937_64 rng(2024);
  for (int round = 0; round < 40; ++round) {
    CAPTURE(round);
    // Log-uniform durations from 1 us to 20 s, some zeros, some exactly on a boundary.
    const emit::red_prometheus_options options;
    std::vector<std::uint64_t> ds;
    const std::size_t n = 1 + rng() % 400;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t pick = rng() % 20;
      if (pick == 0) {
        ds.push_back(0);
      } else if (pick == 1) {
        const auto& b = options.bucket_bounds_ns;
        ds.push_back(b[rng() % b.size()] + (rng() % 3) - 1);
      } else {
        const double e = std::uniform_real_distribution<double>(3, 10.3)(rng);
        ds.push_back(static_cast<std::uint64_t>(std::pow(10.0, e)));
      }
    }
    const folds::red_table table = table_of({ds});
    const folds::exponential_histogram& h = table.groups[0].duration;
    const double base = std::exp2(std::exp2(-h.scale()));
    const exposition e = read_exposition(emit::to_red_prometheus(table, options));
    check_consistent(e);
    for (const sample& s : e.samples) {
      if (!s.name.ends_with("_bucket") || *s.label("le") == "+Inf") continue;
      const double le_ns = std::round(le_of(s) * 1e9);
      const std::uint64_t got = as_count(s.value);
      std::uint64_t at_most = 0;   // durations <= le: the truth
      std::uint64_t at_least = 0;  // durations whose bucket lies wholly below le
      for (const std::uint64_t d : ds) {
        at_most += static_cast<double>(d) <= le_ns;
        at_least += static_cast<double>(d) * base <= le_ns || d <= 0;
      }
      CAPTURE(le_ns);
      CHECK(got <= at_most);
      CHECK(got >= at_least);
    }
  }
}

TEST_CASE("red_prometheus: exact at exponential bucket edges and above the largest value") {
  // 2^21 ns is an upper bucket edge at every scale >= 0, so a boundary there is exact.
  const std::uint64_t edge = std::uint64_t{1} << 21;
  const std::vector<std::uint64_t> ds = {1,        1000,     edge - 1, edge,      edge,
                                         edge + 1, edge + 2, 3 * edge, 40'000'000};
  const folds::red_table table = table_of({ds});
  REQUIRE(table.groups[0].duration.scale() >= 0);
  emit::red_prometheus_options options;
  options.bucket_bounds_ns = {50'000'000, edge, 1'000};  // unsorted on purpose
  const exposition e = read_exposition(emit::to_red_prometheus(table, options));
  check_consistent(e);
  std::map<std::string, std::uint64_t> by_le;
  for (const sample& s : e.samples)
    if (s.name.ends_with("_bucket")) by_le[*s.label("le")] = as_count(s.value);
  REQUIRE(by_le.size() == 4);
  CHECK(by_le.at("0.002097152") == 5);  // 1, 1000, edge - 1, edge, edge
  CHECK(by_le.at("0.05") == 9);         // above the largest value: everything
  CHECK(by_le.at("+Inf") == 9);
  // 1000 ns is not an edge: the bound is a lower bound here, never above the 2 true values.
  CHECK(by_le.at("1e-06") <= 2);
  CHECK(by_le.at("1e-06") >= 1);
}

TEST_CASE("red_prometheus: label names are sanitized, colliding ones joined") {
  const tf::trace_set ts = spans_with({{"http.route", "/r"},
                                       {"1st", "one"},
                                       {"__x", "under"},
                                       {"le", "bucket?"},
                                       {"\xc3\xbcn\xc3\xaf", "unicode"},
                                       {"a.b", "dot"},
                                       {"a-b", "dash"},
                                       {"span.name", "again"},
                                       {"empty", ""}});
  const folds::red_table table = tf::run(
      folds::red_stats{{.attributes = {"http.route", "1st", "__x", "le", "\xc3\xbcn\xc3\xaf", "a.b",
                                       "a-b", "span.name", "empty", "missing"}}},
      ts.traces());
  const exposition e = read_exposition(emit::to_red_prometheus(table));
  check_consistent(e);
  const sample& s = e.samples.at(0);
  REQUIRE(s.name == "traces_span_metrics_calls_total");
  std::vector<std::string> names;
  for (const auto& [k, v] : s.labels) names.push_back(k);
  CHECK(names == std::vector<std::string>{"service_name", "span_name", "span_kind", "status_code",
                                          "http_route", "key_1st", "key__x", "key_le", "_n_",
                                          "a_b"});
  CHECK(s.label("http_route") == "/r");
  CHECK(s.label("key_le") == "bucket?");
  CHECK(s.label("_n_") == "unicode");
  CHECK(s.label("a_b") == "dash;dot");        // in the order of the names: "a-b" < "a.b"
  CHECK(s.label("span_name") == "op;again");  // "span.name" twice: the built-in first
  CHECK_FALSE(s.label("empty").has_value());  // empty: the same as absent to Prometheus
  CHECK_FALSE(s.label("missing").has_value());
  // The buckets carry the real `le`, once.
  for (const sample& b : e.samples)
    if (b.name.ends_with("_bucket")) CHECK(b.label("key_le") == "bucket?");
}

TEST_CASE("red_prometheus: hostile label values are escaped, invalid UTF-8 repaired") {
  const std::string service = "svc \"quoted\" back\\slash\nnew line \xff end";
  const tf::trace_set ts = spans_with({{"http.route", "/a\"b\\c\nd\xc3"}}, service, "op\r\x01");
  const folds::red_table table =
      tf::run(folds::red_stats{{.attributes = {"http.route"}}}, ts.traces());
  const std::string text = emit::to_red_prometheus(table);
  CHECK(
      text.find("service_name=\"svc \\\"quoted\\\" back\\\\slash\\nnew line \xEF\xBF\xBD end\"") !=
      std::string::npos);
  CHECK(text.find('\xff') == std::string::npos);
  const exposition e = read_exposition(text);  // every line still a whole sample
  check_consistent(e);
  const sample& s = e.samples.at(0);
  CHECK(s.label("service_name") == "svc \"quoted\" back\\slash\nnew line \xEF\xBF\xBD end");
  CHECK(s.label("http_route") == "/a\"b\\c\nd\xEF\xBF\xBD");
  CHECK(s.label("span_name") == "op\r\x01");
}

TEST_CASE("red_prometheus: groups with equal labels are merged into one series") {
  // Absent and empty route, and two service names differing only in invalid bytes.
  tf::trace_set_builder b;
  const tf::key_value s1{"service.name", tf::any_value::of_string("svc\xff")};
  const tf::key_value s2{"service.name", tf::any_value::of_string("svc\xfe")};
  const auto sc1 = b.add_scope(b.add_resource({.attributes = {&s1, 1}}), {});
  const auto sc2 = b.add_scope(b.add_resource({.attributes = {&s2, 1}}), {});
  const tf::key_value empty_route{"http.route", tf::any_value::of_string("")};
  std::uint64_t id = 1;
  for (const auto sc : {sc1, sc2})
    for (const bool with_route : {false, true}) {
      tf::span sp;
      sp.trace_id = tft::tid(id);
      sp.span_id = tft::sid(id);
      sp.name = "op";
      sp.start_time_unix_nano = t0;
      sp.end_time_unix_nano = t0 + id * 1'000'000;
      if (with_route) sp.attributes = {&empty_route, 1};
      b.add_span(sc, sp);
      ++id;
    }
  const tf::trace_set ts = std::move(b).build();
  const folds::red_table table =
      tf::run(folds::red_stats{{.attributes = {"http.route"}}}, ts.traces());
  REQUIRE(table.groups.size() == 4);
  const exposition e = read_exposition(emit::to_red_prometheus(table));
  check_consistent(e);
  std::vector<const sample*> calls;
  for (const sample& s : e.samples)
    if (s.name == "traces_span_metrics_calls_total") calls.push_back(&s);
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]->value == "4");
  const auto buckets = buckets_by_series(e);
  REQUIRE(buckets.size() == 1);
  std::map<std::string, std::uint64_t> by_le;
  for (const sample* s : buckets.begin()->second) by_le[*s->label("le")] = as_count(s->value);
  CHECK(by_le.at("0.002") == 1);  // 1 ms (2 ms sits in a straddling bucket: counted above)
  CHECK(by_le.at("0.004") == 4);  // at or above the largest value: everything
}

TEST_CASE("red_prometheus: empty tables, empty labels and sinks") {
  SUBCASE("an empty table has the declarations only") {
    const std::string text = emit::to_red_prometheus(folds::red_table{});
    const exposition e = read_exposition(text);
    CHECK(e.samples.empty());
    CHECK(e.type.size() == 2);
  }
  SUBCASE("an empty service or span name is left out, as Prometheus would drop it") {
    folds::red_table t = table_of({{5}});
    t.groups[0].key = {"", "", tf::span_kind::unspecified, tf::status_code::unset, {}};
    const std::string text = emit::to_red_prometheus(t);
    const exposition e = read_exposition(text);
    CHECK(text.find("traces_span_metrics_duration_seconds_count{span_kind=") != std::string::npos);
    CHECK(text.find("service_name") == std::string::npos);
    CHECK(text.find("span_name") == std::string::npos);
    check_consistent(e);
  }
  SUBCASE("the sink gets the same bytes") {
    const folds::red_table table = table_of({{1, 2, 3}, {4'000'000, 0}});
    std::string got;
    emit::to_red_prometheus(table, {}, [&](std::string_view chunk) { got += chunk; });
    CHECK(got == emit::to_red_prometheus(table));
  }
}
