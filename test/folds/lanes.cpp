#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <support/make_traces.hpp>
#include <tracefold/folds/lanes.hpp>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;
using tft::spec;

namespace {

/// The lane of the span with id `n` in the first trace.
std::uint32_t lane_of(const tf::trace& t, const folds::lane_layout& l, std::uint64_t n) {
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].span().span_id == tft::sid(n)) return l.lane[i];
  FAIL("no span " << n);
  return 0;
}

/// The fewest lanes that draw every span visibly: the most spans running at one instant,
/// where a span [a, b) runs over a <= t < b and a zero-length span at a needs its own lane
/// only beside spans that started before a and are still running.
std::uint32_t needed_lanes(const tf::trace& t) {
  std::uint32_t best = 0;
  for (tf::span_ref r : t.spans()) {
    const auto& s = r.span();
    const std::uint64_t at = s.start_time_unix_nano;
    const bool point = s.end_time_unix_nano <= at;
    std::uint32_t running = point ? 1 : 0;
    for (tf::span_ref q : t.spans()) {
      const auto& u = q.span();
      if (u.end_time_unix_nano <= u.start_time_unix_nano) continue;
      const bool covers = point ? u.start_time_unix_nano < at && at < u.end_time_unix_nano
                                : u.start_time_unix_nano <= at && at < u.end_time_unix_nano;
      running += covers ? 1 : 0;
    }
    best = std::max(best, running);
  }
  return best;
}

}  // namespace

TEST_CASE("sequential spans share one lane") {
  auto ts = tft::build({{.id = 1, .start = 0, .end = 100},
                        {.id = 2, .parent = 1, .start = 0, .end = 10},
                        {.id = 3, .parent = 1, .start = 10, .end = 20},
                        {.id = 4, .parent = 1, .start = 25, .end = 60}});
  const tf::trace t = ts.traces()[0];
  const auto l = folds::lanes(t);
  CHECK(l.count == 2);  // the root runs alongside its sequential children
  CHECK(lane_of(t, l, 1) == 0);
  CHECK(lane_of(t, l, 2) == 1);
  CHECK(lane_of(t, l, 3) == 1);  // starts exactly when 2 ends: same lane
  CHECK(lane_of(t, l, 4) == 1);
}

TEST_CASE("k overlapping spans need k lanes") {
  for (std::uint64_t k = 1; k <= 12; ++k) {
    std::vector<spec> specs;
    for (std::uint64_t i = 1; i <= k; ++i)
      specs.push_back({.id = i, .parent = i == 1 ? 0u : 1u, .start = i, .end = 1000 + i});
    auto ts = tft::build(specs);
    const auto l = folds::lanes(ts.traces()[0]);
    CHECK(l.count == k);
    std::vector<std::uint32_t> sorted = l.lane;
    std::sort(sorted.begin(), sorted.end());
    for (std::uint32_t i = 0; i < k; ++i) CHECK(sorted[i] == i);  // each lane used once
  }
}

TEST_CASE("first fit reuses the lowest free lane") {
  // Lanes 0, 1, 2 busy; 1 frees first, then 0; the next span takes 0, the one after 1.
  auto ts = tft::build({{.id = 1, .start = 0, .end = 50},
                        {.id = 2, .start = 1, .end = 20},
                        {.id = 3, .start = 2, .end = 100},
                        {.id = 4, .start = 60, .end = 70},
                        {.id = 5, .start = 61, .end = 70}});
  const tf::trace t = ts.traces()[0];
  const auto l = folds::lanes(t);
  CHECK(lane_of(t, l, 1) == 0);
  CHECK(lane_of(t, l, 2) == 1);
  CHECK(lane_of(t, l, 3) == 2);
  CHECK(lane_of(t, l, 4) == 0);
  CHECK(lane_of(t, l, 5) == 1);
  CHECK(l.count == 3);
}

TEST_CASE("empty and reversed spans share a lane with what starts as they do, not with what runs") {
  auto ts = tft::build({{.id = 3, .start = 10, .end = 30},
                        {.id = 1, .start = 10, .end = 10},
                        {.id = 2, .start = 10, .end = 5}});
  const tf::trace t = ts.traces()[0];
  const auto l = folds::lanes(t);
  CHECK(l.count == 1);
  auto ts2 = tft::build({{.id = 1, .start = 0, .end = 30}, {.id = 2, .start = 10, .end = 10}});
  const auto l2 = folds::lanes(ts2.traces()[0]);
  CHECK(l2.count == 2);  // drawn in the running span's lane it would be hidden
}

TEST_CASE("random traces: no two spans of a lane overlap, and the count is the concurrency") {
  folds::lane_layout l;
  folds::lanes_fn::scratch scratch;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    for (auto sh : tft::all_shapes) {
      auto ts = tft::random_set(seed, sh, 150);
      for (const tf::trace& t : ts.traces()) {
        folds::lanes(t, l, scratch);  // buffers reused across traces
        REQUIRE(l.lane.size() == t.size());
        CHECK(l.count == needed_lanes(t));
        std::map<std::uint32_t, std::vector<std::pair<std::uint64_t, std::uint64_t>>> by_lane;
        for (std::size_t i = 0; i < t.size(); ++i) {
          const auto& s = t[i].span();
          REQUIRE(l.lane[i] < l.count);
          by_lane[l.lane[i]].emplace_back(s.start_time_unix_nano,
                                          std::max(s.start_time_unix_nano, s.end_time_unix_nano));
        }
        for (auto& [lane, iv] : by_lane) {
          std::sort(iv.begin(), iv.end());
          for (std::size_t k = 1; k < iv.size(); ++k) CHECK(iv[k - 1].second <= iv[k].first);
        }
      }
    }
  }
}

TEST_CASE("a 100,000-span chain packs without recursion") {
  std::vector<spec> specs;
  for (std::uint64_t i = 1; i <= 100'000; ++i)
    specs.push_back({.id = i, .parent = i - 1, .start = i, .end = 300'000 - i});
  auto ts = tft::build(specs);
  const auto l = folds::lanes(ts.traces()[0]);
  CHECK(l.count == 100'000);  // every span is nested in the previous one
}
