#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/red_stats.hpp>
#include <tracefold/folds/self_time.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <tuple>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

/// The group with service `svc` and name `name` (and any kind/status), or nullptr.
const folds::red_group* find(const folds::red_table& t, std::string_view svc, std::string_view name,
                             tf::status_code status = tf::status_code::unset) {
  for (const auto& g : t.groups)
    if (g.key.service == svc && g.key.name == name && g.key.status == status) return &g;
  return nullptr;
}

/// Runs `f` over traces [from, to) of `ts`, returning the state.
folds::red_stats::state_type run_range(const folds::red_stats& f, const tf::trace_set& ts,
                                       std::size_t from, std::size_t to) {
  auto s = f.init();
  std::size_t i = 0;
  for (tf::trace t : ts.traces()) {
    if (i >= from && i < to) s = f.step(std::move(s), t);
    ++i;
  }
  return s;
}

/// A span with a kind and attributes, for tests the compact specs cannot express.
struct rich {
  std::uint64_t trace, id, parent, start, end;
  std::string name;
  tf::span_kind kind = tf::span_kind::server;
  tf::status_code status = tf::status_code::unset;
  std::vector<std::pair<std::string, tf::any_value>> attrs;
};

tf::trace_set build_rich(const std::vector<rich>& spans, std::string_view service,
                         std::string_view resource_route = {}) {
  tf::trace_set_builder b;
  std::vector<tf::key_value> rattrs{{"service.name", tf::any_value::of_string(service)}};
  if (!resource_route.empty())
    rattrs.push_back({"http.route", tf::any_value::of_string(resource_route)});
  auto r = b.add_resource({.attributes = rattrs});
  auto sc = b.add_scope(r, {.name = "t"});
  for (const rich& x : spans) {
    std::vector<tf::key_value> kvs;
    for (const auto& [k, v] : x.attrs) kvs.push_back({k, v});
    tf::span sp;
    sp.trace_id = tft::tid(x.trace);
    sp.span_id = tft::sid(x.id);
    sp.parent_span_id = tft::sid(x.parent);
    sp.start_time_unix_nano = x.start;
    sp.end_time_unix_nano = x.end;
    sp.name = x.name;
    sp.kind = x.kind;
    sp.status.code = x.status;
    sp.attributes = kvs;
    b.add_span(sc, sp);
  }
  return std::move(b).build();
}

}  // namespace

TEST_CASE("red_stats is a mergeable fold over traces") {
  static_assert(tf::mergeable_fold<folds::red_stats, tf::trace>);
}

TEST_CASE("red_stats counts calls, errors, durations and self times per operation") {
  // Trace 1: GET /cart (100..1100) with children SELECT (200..500) and charge (600..1000).
  // Trace 2: GET /cart (0..2000), failing, with one SELECT (0..1000).
  const auto ts = tft::build({
      {.trace = 1, .id = 1, .start = 100, .end = 1100, .name = "GET /cart", .service = "web"},
      {.trace = 1,
       .id = 2,
       .parent = 1,
       .start = 200,
       .end = 500,
       .name = "SELECT",
       .service = "db"},
      {.trace = 1,
       .id = 3,
       .parent = 1,
       .start = 600,
       .end = 1000,
       .name = "charge",
       .service = "pay"},
      {.trace = 2,
       .id = 4,
       .start = 0,
       .end = 2000,
       .name = "GET /cart",
       .service = "web",
       .status = tf::status_code::error},
      {.trace = 2,
       .id = 5,
       .parent = 4,
       .start = 0,
       .end = 1000,
       .name = "SELECT",
       .service = "db"},
  });
  const folds::red_table t = tf::run(folds::red_stats{}, ts.traces());
  CHECK(t.spans == 5);
  CHECK(t.traces == 2);
  CHECK(t.attribute_names.empty());
  REQUIRE(t.groups.size() == 4);  // GET /cart ok and error are separate groups

  const auto* get_ok = find(t, "web", "GET /cart");
  const auto* get_err = find(t, "web", "GET /cart", tf::status_code::error);
  const auto* select = find(t, "db", "SELECT");
  const auto* charge = find(t, "pay", "charge");
  REQUIRE(get_ok);
  REQUIRE(get_err);
  REQUIRE(select);
  REQUIRE(charge);
  CHECK(get_ok->count == 1);
  CHECK(get_ok->errors == 0);
  CHECK(get_err->errors == 1);
  CHECK(get_ok->duration.min() == 1000);
  CHECK(get_ok->self_time.max() == 1000 - 300 - 400);
  CHECK(get_err->self_time.min() == 1000);
  CHECK(select->count == 2);
  CHECK(select->duration.min() == 300);
  CHECK(select->duration.max() == 1000);
  CHECK(select->duration.sum() == 1300);
  CHECK(select->self_time.sum() == 1300);  // leaves: self time is the duration
  CHECK(charge->key.kind == tf::span_kind::unspecified);

  // Sorted by total duration: GET error (2000), SELECT (1300), GET ok (1000), charge (400).
  CHECK(&t.groups[0] == get_err);
  CHECK(&t.groups[1] == select);
  CHECK(&t.groups[2] == get_ok);
  CHECK(&t.groups[3] == charge);
}

TEST_CASE("red_stats groups by kind and by the named attributes, span first then resource") {
  using tf::any_value;
  const auto ts = build_rich(
      {
          {1,
           1,
           0,
           0,
           100,
           "op",
           tf::span_kind::server,
           tf::status_code::unset,
           {{"http.route", any_value::of_string("/a")}, {"retries", any_value::of_int(3)}}},
          {1,
           2,
           1,
           10,
           20,
           "op",
           tf::span_kind::client,
           tf::status_code::unset,
           {{"http.route", any_value::of_string("/a")}}},
          {2,
           3,
           0,
           0,
           50,
           "op",
           tf::span_kind::server,
           tf::status_code::unset,
           {{"http.route", any_value::of_string("/b")}, {"retries", any_value::of_int(3)}}},
          {3, 4, 0, 0, 70, "op", tf::span_kind::server, tf::status_code::unset, {}},
      },
      "svc", "/from-resource");
  const folds::red_stats f{{.attributes = {"http.route", "retries"}}};
  const folds::red_table t = tf::run(f, ts.traces());
  CHECK(t.attribute_names == std::vector<std::string>{"http.route", "retries"});
  std::map<std::tuple<tf::span_kind, std::string, std::string>, std::uint64_t> seen;
  for (const auto& g : t.groups) {
    REQUIRE(g.key.attributes.size() == 2);
    seen[{g.key.kind, g.key.attributes[0].value_or("<absent>"),
          g.key.attributes[1].value_or("<absent>")}] += g.count;
  }
  using K = std::tuple<tf::span_kind, std::string, std::string>;
  const std::map<K, std::uint64_t> want{
      {K{tf::span_kind::server, "/a", "3"}, 1},
      {K{tf::span_kind::client, "/a", "<absent>"}, 1},
      {K{tf::span_kind::server, "/b", "3"}, 1},
      {K{tf::span_kind::server, "/from-resource", "<absent>"}, 1},
  };
  CHECK(seen == want);
}

TEST_CASE("red_stats matches a straightforward reference on random traces") {
  using key = std::tuple<std::string, std::string, int, int>;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    for (tft::shape sh : tft::all_shapes) {
      const auto ts = tft::random_set(seed, sh);
      std::map<key, std::vector<std::uint64_t>> durations, selfs;
      std::map<key, std::uint64_t> errors;
      std::uint64_t spans = 0;
      for (tf::trace tr : ts.traces())
        for (tf::span_ref r : tr) {
          const tf::span& s = r.span();
          const key k{std::string(s.service_name("unknown_service")), std::string(s.name),
                      static_cast<int>(s.kind), static_cast<int>(s.status.code)};
          durations[k].push_back(s.end_time_unix_nano > s.start_time_unix_nano
                                     ? s.end_time_unix_nano - s.start_time_unix_nano
                                     : 0);
          selfs[k].push_back(folds::self_time(r));
          errors[k] += s.status.code == tf::status_code::error;
          ++spans;
        }
      const folds::red_table t = tf::run(folds::red_stats{}, ts.traces());
      CAPTURE(seed);
      CHECK(t.spans == spans);
      CHECK(t.traces == ts.trace_count());
      REQUIRE(t.groups.size() == durations.size());
      std::uint64_t counted = 0;
      for (const auto& g : t.groups) {
        const key k{g.key.service, g.key.name, static_cast<int>(g.key.kind),
                    static_cast<int>(g.key.status)};
        auto& d = durations.at(k);
        auto& st = selfs.at(k);
        std::sort(d.begin(), d.end());
        std::sort(st.begin(), st.end());
        counted += g.count;
        CHECK(g.count == d.size());
        CHECK(g.errors == errors.at(k));
        CHECK(g.duration.min() == d.front());
        CHECK(g.duration.max() == d.back());
        CHECK(g.self_time.min() == st.front());
        CHECK(g.self_time.max() == st.back());
        for (double q : {0.5, 0.9, 0.99}) {
          const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(d.size())));
          const double exact = static_cast<double>(d[std::max<std::size_t>(rank, 1) - 1]);
          const double got = g.duration.quantile(q).value();
          CHECK(std::abs(got - exact) <= 0.01 * exact);
        }
      }
      CHECK(counted == t.spans);  // every span is in exactly one group
      for (std::size_t i = 1; i < t.groups.size(); ++i)
        CHECK(t.groups[i - 1].duration.sum() >= t.groups[i].duration.sum());
    }
  }
}

TEST_CASE("red_stats: shards merged equal the whole run, by state, by table and in parallel") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto ts = tft::random_set(seed, tft::shape::random);
    const folds::red_stats f{};
    const folds::red_table whole = tf::run(f, ts.traces());
    const std::size_t n = ts.trace_count();
    for (std::size_t cut = 0; cut <= n; ++cut) {
      CAPTURE(seed);
      CAPTURE(cut);
      // Merged states.
      const auto merged = f.done(f.merge(run_range(f, ts, 0, cut), run_range(f, ts, cut, n)));
      CHECK(merged == whole);
      // Merged tables (what shards written to disk and read back do).
      folds::red_table left = f.done(run_range(f, ts, 0, cut));
      left.merge(f.done(run_range(f, ts, cut, n)));
      CHECK(left == whole);
    }
    // Associativity with three parts, and init as identity.
    const std::size_t a = n / 3, b = 2 * n / 3;
    const auto x = [&] { return run_range(f, ts, 0, a); };
    const auto y = [&] { return run_range(f, ts, a, b); };
    const auto z = [&] { return run_range(f, ts, b, n); };
    CHECK(f.done(f.merge(f.merge(x(), y()), z())) == f.done(f.merge(x(), f.merge(y(), z()))));
    CHECK(f.done(f.merge(f.init(), run_range(f, ts, 0, n))) == whole);
    CHECK(f.done(f.merge(run_range(f, ts, 0, n), f.init())) == whole);
    for (unsigned threads : {2u, 3u}) CHECK(tf::run_parallel(f, ts.traces(), threads) == whole);
  }
}

TEST_CASE("red_table::merge refuses tables grouped by different attributes") {
  folds::red_table a, b;
  b.attribute_names = {"http.route"};
  CHECK_THROWS_AS(a.merge(b), std::invalid_argument);
}

TEST_CASE("red_stats over no traces is an empty table") {
  const auto ts = tft::build({});
  const folds::red_table t = tf::run(folds::red_stats{}, ts.traces());
  CHECK(t.spans == 0);
  CHECK(t.traces == 0);
  CHECK(t.groups.empty());
}

namespace {

/// Durations per span name over `ts`, sorted: the brute-force reference of exact mode.
std::map<std::string, std::vector<std::uint64_t>> durations_by_name(const tf::trace_set& ts) {
  std::map<std::string, std::vector<std::uint64_t>> out;
  for (tf::trace t : ts.traces())
    for (tf::span_ref r : t) {
      const std::int64_t d = r.span().duration_ns();
      out[std::string(r.span().name)].push_back(static_cast<std::uint64_t>(d > 0 ? d : 0));
    }
  for (auto& [name, v] : out) std::ranges::sort(v);
  return out;
}

/// The nearest-rank quantile `percent`/100 of sorted `v`, in integers: rank ceil(p n / 100).
std::uint64_t brute_quantile(const std::vector<std::uint64_t>& v, std::uint64_t percent) {
  const std::uint64_t rank = std::max<std::uint64_t>(1, (percent * v.size() + 99) / 100);
  return v[rank - 1];
}

const folds::red_options by_name_exact{
    .dimensions = {.service = false, .kind = false, .status = false}, .exact = true};

}  // namespace

TEST_CASE("red_stats exact mode: quantiles equal a brute-force nearest rank, by name only") {
  for (const tft::shape sh : tft::all_shapes) {
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
      const tf::trace_set ts = tft::random_set(seed, sh, 300);
      const folds::red_table t = tf::run(folds::red_stats{by_name_exact}, ts.traces());
      const auto want = durations_by_name(ts);
      CHECK(t.exact);
      CHECK_FALSE(t.dimensions.all());
      REQUIRE(t.groups.size() == want.size());
      for (const folds::red_group& g : t.groups) {
        CHECK(g.key.service.empty());
        CHECK(g.key.kind == tf::span_kind::unspecified);
        CHECK(g.key.status == tf::status_code::unset);
        const auto it = want.find(g.key.name);
        REQUIRE(it != want.end());
        CHECK(g.count == it->second.size());
        CHECK(g.exact_duration == it->second);
        CHECK(g.exact_self_time.size() == it->second.size());
        CHECK(std::ranges::is_sorted(g.exact_self_time));
        for (const std::uint64_t p : {1u, 50u, 90u, 95u, 99u, 100u})
          CHECK(g.duration_quantile(static_cast<double>(p) / 100) ==
                static_cast<double>(brute_quantile(it->second, p)));
      }
    }
  }
}

TEST_CASE("red_stats exact mode: the histograms are those of histogram mode") {
  // Exact mode records its histograms from the sorted values in `done`, not span by span.
  folds::red_options histograms_only = by_name_exact;
  histograms_only.exact = false;
  for (const tft::shape sh : tft::all_shapes) {
    const tf::trace_set ts = tft::random_set(5, sh, 1500);
    const folds::red_table exact = tf::run(folds::red_stats{by_name_exact}, ts.traces());
    const folds::red_table estimated = tf::run(folds::red_stats{histograms_only}, ts.traces());
    REQUIRE(exact.groups.size() == estimated.groups.size());
    for (std::size_t i = 0; i < exact.groups.size(); ++i) {
      CHECK(exact.groups[i].key == estimated.groups[i].key);
      CHECK(exact.groups[i].duration == estimated.groups[i].duration);
      CHECK(exact.groups[i].self_time == estimated.groups[i].self_time);
      CHECK(exact.groups[i].duration.count() == exact.groups[i].exact_duration.size());
    }
    CHECK(tf::run_parallel(folds::red_stats{by_name_exact}, ts.traces(), 3) == exact);
  }
}

TEST_CASE("red_stats grouped by name merges spans of one name across services and statuses") {
  const auto a =
      build_rich({{1, 1, 0, 0, 100, "op", tf::span_kind::server, tf::status_code::unset, {}},
                  {1, 2, 1, 0, 50, "op", tf::span_kind::server, tf::status_code::unset, {}}},
                 "svc-a");
  const auto b = build_rich(
      {{2, 3, 0, 0, 300, "op", tf::span_kind::client, tf::status_code::error, {}}}, "svc-b");
  const folds::red_stats f{by_name_exact};
  auto s = f.merge(run_range(f, a, 0, 10), run_range(f, b, 0, 10));
  const folds::red_table t = f.done(std::move(s));
  REQUIRE(t.groups.size() == 1);
  CHECK(t.groups[0].key.name == "op");
  CHECK(t.groups[0].count == 3);
  CHECK(t.groups[0].errors == 1);
  CHECK(t.groups[0].exact_duration == std::vector<std::uint64_t>{50, 100, 300});
  CHECK(t.groups[0].duration_quantile(0.5) == 100.0);

  // Grouped by service and name: two groups; the default (all four): three.
  const folds::red_stats by_service_name{
      {.dimensions = {.kind = false, .status = false}, .exact = true}};
  auto s2 = by_service_name.merge(run_range(by_service_name, a, 0, 10),
                                  run_range(by_service_name, b, 0, 10));
  CHECK(by_service_name.done(std::move(s2)).groups.size() == 2);
}

TEST_CASE("red_stats exact mode: run_parallel and table merges give the sequential table") {
  const tf::trace_set ts = tft::random_set(42, tft::shape::random, 2000);
  const folds::red_stats f{by_name_exact};
  const folds::red_table one = tf::run(f, ts.traces());
  CHECK(tf::run_parallel(f, ts.traces(), 2) == one);
  CHECK(tf::run_parallel(f, ts.traces(), 4) == one);
  // Two halves folded apart, then their finished tables merged (as stats merges files).
  std::size_t n = 0;
  for ([[maybe_unused]] tf::trace t : ts.traces()) ++n;
  folds::red_table left = f.done(run_range(f, ts, 0, n / 2));
  const folds::red_table right = f.done(run_range(f, ts, n / 2, n));
  left.merge(right);
  REQUIRE(left.groups.size() == one.groups.size());
  for (const folds::red_group& g : one.groups) {
    const auto it =
        std::ranges::find_if(left.groups, [&](const auto& x) { return x.key == g.key; });
    REQUIRE(it != left.groups.end());
    CHECK(it->exact_duration == g.exact_duration);
    CHECK(it->exact_self_time == g.exact_self_time);
    CHECK(it->count == g.count);
  }
  // Tables of different modes refuse to merge.
  folds::red_table plain = tf::run(folds::red_stats{}, ts.traces());
  CHECK_THROWS_AS(plain.merge(one), std::invalid_argument);
}
