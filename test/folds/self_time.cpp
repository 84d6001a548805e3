#include <doctest/doctest.h>

#include <support/algebras.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <span>
#include <support/make_traces.hpp>
#include <tracefold/fold/annotated.hpp>
#include <tracefold/fold/cata.hpp>
#include <tracefold/fold/each_node.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/tree_algebra.hpp>
#include <tracefold/folds/self_time.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(tf::tree_algebra<folds::self_time_fn>);
static_assert(std::is_same_v<tf::algebra_value_t<folds::self_time_fn>, std::uint64_t>);
static_assert(
    std::is_same_v<std::invoke_result_t<folds::self_time_fn, tf::span_ref>, std::uint64_t>);
static_assert(tf::tree_algebra<decltype(tf::product(folds::self_time, tft::size_alg{}))>);
static_assert(std::is_empty_v<tf::accumulator_t<folds::self_time_fn>>);

namespace {

using u64 = std::uint64_t;

// Self time of every span of the set's first trace, via cata, checked against the
// projection and each_node (all three must agree).
std::vector<u64> self_times(std::span<const tft::spec> specs) {
  auto ts = tft::build(specs);
  REQUIRE(ts.trace_count() == 1);
  const tf::trace t = ts.traces()[0];
  const auto via_cata = tf::cata(folds::self_time, t);
  REQUIRE(via_cata.size() == t.size());
  std::vector<u64> via_projection;
  for (tf::span_ref r : t) via_projection.push_back(folds::self_time(r));
  CHECK(via_projection == via_cata);
  const auto via_each_node = tf::run(
      tf::each_node(
          folds::self_time,
          tf::premap([](const tf::annotated<u64>& a) { return a.value; }, folds::to_vector<u64>)),
      ts.traces());
  CHECK(via_each_node == via_cata);
  return via_cata;
}

std::vector<u64> self_times(std::initializer_list<tft::spec> specs) {
  return self_times(std::span<const tft::spec>(specs.begin(), specs.size()));
}

// Reference self time, computed independently of children() and of the sibling order:
// collect each span's children through parent(), clip, sort, merge.
std::vector<u64> reference(tf::trace t) {
  std::vector<std::vector<std::pair<u64, u64>>> kids(t.size());
  for (tf::span_ref r : t)
    if (auto p = r.parent())
      kids[p->index()].emplace_back(r->start_time_unix_nano, r->end_time_unix_nano);
  std::vector<u64> out(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    const u64 ps = t[i]->start_time_unix_nano;
    const u64 pe = t[i]->end_time_unix_nano;
    if (pe <= ps) continue;  // 0
    std::vector<std::pair<u64, u64>> clipped;
    for (auto [s, e] : kids[i]) {
      s = std::max(s, ps);
      e = std::min(e, pe);
      if (s < e) clipped.emplace_back(s, e);
    }
    std::sort(clipped.begin(), clipped.end());
    u64 covered = 0;
    u64 cur_s = 0;
    u64 cur_e = 0;
    bool open = false;
    for (auto [s, e] : clipped) {
      if (open && s <= cur_e) {
        cur_e = std::max(cur_e, e);
      } else {
        if (open) covered += cur_e - cur_s;
        cur_s = s;
        cur_e = e;
        open = true;
      }
    }
    if (open) covered += cur_e - cur_s;
    out[i] = (pe - ps) - covered;
  }
  return out;
}

// Random spans with no respect for their parents' intervals: children that start before,
// end after, lie outside, are empty or reversed, overlap and tie on start.
std::vector<tft::spec> messy_specs(u64 seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](u64 lo, u64 hi) { return std::uniform_int_distribution<u64>(lo, hi)(rng); };
  std::vector<tft::spec> out;
  for (std::size_t i = 0; i < n; ++i) {
    tft::spec s;
    s.id = i + 1;
    s.parent = i == 0 ? 0 : uniform(1, i);
    s.start = 1000 + 10 * uniform(0, 100);  // multiples of 10: many ties
    switch (uniform(0, 9)) {
      case 0:
        s.end = s.start;
        break;  // empty
      case 1:
        s.end = s.start - uniform(1, 500);
        break;  // reversed
      default:
        s.end = s.start + uniform(1, 400);
        break;
    }
    out.push_back(s);
  }
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

// Random trees whose children lie inside their parent and never overlap each other: each
// span's interval is cut into pieces, some of which become children (breadth first, no
// recursion).
std::vector<tft::spec> nested_specs(u64 seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](u64 lo, u64 hi) { return std::uniform_int_distribution<u64>(lo, hi)(rng); };
  std::vector<tft::spec> out;
  u64 next_id = 1;
  for (u64 root = 0; root < 3; ++root) {
    const u64 start = 1'000'000 * (root + 1) + uniform(0, 1000);
    out.push_back({1, next_id++, 0, start, start + uniform(0, 100'000)});
  }
  for (std::size_t i = 0; i < out.size() && out.size() < n; ++i) {
    const tft::spec p = out[i];
    const u64 k = uniform(0, 4);
    std::vector<u64> cuts{p.start, p.end};
    for (u64 j = 0; j < 2 * k; ++j) cuts.push_back(uniform(p.start, p.end));
    std::sort(cuts.begin(), cuts.end());
    for (std::size_t j = 0; j + 1 < cuts.size() && out.size() < n; j += 2)
      if (uniform(0, 3) != 0) out.push_back({1, next_id++, p.id, cuts[j], cuts[j + 1]});
  }
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

}  // namespace

TEST_CASE("self_time of a leaf is its duration") {
  CHECK(self_times({{1, 1, 0, 100, 250}}) == std::vector<u64>{150});
}

TEST_CASE("self_time subtracts a child inside the span") {
  // 1 [0,100) -> 2 [10,40)
  CHECK(self_times({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 40}}) == std::vector<u64>{70, 30});
}

TEST_CASE("self_time counts overlapping children once") {
  SUBCASE("partial overlap") {
    // [10,50) and [30,70): union [10,70).
    CHECK(self_times({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 50}, {1, 3, 1, 30, 70}}) ==
          std::vector<u64>{40, 40, 40});
  }
  SUBCASE("one child inside another, then one reaching past both") {
    // [10,90), [20,30), [40,95): union [10,95).
    CHECK(self_times({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 90}, {1, 3, 1, 20, 30}, {1, 4, 1, 40, 95}})
              .front() == 15);
  }
  SUBCASE("identical children") {
    CHECK(self_times({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 60}, {1, 3, 1, 10, 60}}).front() == 50);
  }
  SUBCASE("same start, different ends") {
    CHECK(self_times({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 60}, {1, 3, 1, 10, 20}}).front() == 50);
    CHECK(self_times({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 20}, {1, 3, 1, 10, 60}}).front() == 50);
  }
  SUBCASE("children that touch") {
    // [10,30) and [30,50): half-open, adjacent, 40 in all.
    CHECK(self_times({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 30}, {1, 3, 1, 30, 50}}).front() == 60);
  }
}

TEST_CASE("self_time subtracts disjoint children separately") {
  CHECK(self_times({{1, 1, 0, 0, 100}, {1, 3, 1, 50, 80}, {1, 2, 1, 10, 20}}) ==
        std::vector<u64>{60, 10, 30});
}

TEST_CASE("self_time clips children to the span") {
  SUBCASE("a child that starts before the parent") {
    CHECK(self_times({{1, 1, 0, 100, 200}, {1, 2, 1, 50, 150}}) == std::vector<u64>{50, 100});
  }
  SUBCASE("a child that ends after the parent") {
    CHECK(self_times({{1, 1, 0, 100, 200}, {1, 2, 1, 150, 300}}) == std::vector<u64>{50, 150});
  }
  SUBCASE("a child covering the whole parent") {
    CHECK(self_times({{1, 1, 0, 100, 200}, {1, 2, 1, 0, 300}}) == std::vector<u64>{0, 300});
  }
  SUBCASE("both sides, with an overlapping child in the middle") {
    // Clipped: [100,130), [120,160), [180,200): 30 + 30 + 20 = 80 covered.
    CHECK(self_times(
              {{1, 1, 0, 100, 200}, {1, 2, 1, 50, 130}, {1, 3, 1, 120, 160}, {1, 4, 1, 180, 400}})
              .front() == 20);
  }
}

TEST_CASE("self_time ignores children entirely outside the span") {
  SUBCASE("before") { CHECK(self_times({{1, 1, 0, 100, 200}, {1, 2, 1, 0, 50}}).front() == 100); }
  SUBCASE("after") { CHECK(self_times({{1, 1, 0, 100, 200}, {1, 2, 1, 300, 400}}).front() == 100); }
  SUBCASE("touching either end (intervals are half-open)") {
    CHECK(self_times({{1, 1, 0, 100, 200}, {1, 2, 1, 50, 100}, {1, 3, 1, 200, 250}}).front() ==
          100);
  }
  SUBCASE("outside children mixed with an inside one") {
    CHECK(self_times(
              {{1, 1, 0, 100, 200}, {1, 2, 1, 0, 50}, {1, 3, 1, 120, 140}, {1, 4, 1, 300, 400}})
              .front() == 80);
  }
}

TEST_CASE("self_time: only direct children count") {
  // 1 [0,100) -> {2 [10,40) -> {4 [15,20), 5 [30,90)}, 3 [50,60)}
  // Grandchild 5 reaches far past its parent 2; it changes 2's self time, not 1's.
  const auto v = self_times({{1, 1, 0, 0, 100},
                             {1, 2, 1, 10, 40},
                             {1, 3, 1, 50, 60},
                             {1, 4, 2, 15, 20},
                             {1, 5, 2, 30, 90}});
  // Pre-order: 1, 2, 4, 5, 3.
  CHECK(v == std::vector<u64>{100 - 30 - 10, 30 - 5 - 10, 5, 60, 10});
}

TEST_CASE("self_time of empty and reversed spans") {
  SUBCASE("a zero-duration leaf") { CHECK(self_times({{1, 1, 0, 50, 50}}) == std::vector<u64>{0}); }
  SUBCASE("a reversed leaf") { CHECK(self_times({{1, 1, 0, 100, 50}}) == std::vector<u64>{0}); }
  SUBCASE("a zero-duration parent with a child") {
    CHECK(self_times({{1, 1, 0, 50, 50}, {1, 2, 1, 50, 60}}) == std::vector<u64>{0, 10});
  }
  SUBCASE("empty and reversed children take nothing") {
    // A reversed child [60,30) must not be read as covering [30,60).
    CHECK(self_times({{1, 1, 0, 0, 100}, {1, 2, 1, 20, 20}, {1, 3, 1, 60, 30}}) ==
          std::vector<u64>{100, 0, 0});
    CHECK(self_times({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 40}, {1, 3, 1, 20, 5}}).front() == 70);
  }
}

TEST_CASE("self_time on a 100,000-deep chain") {
  // Span i is [i, 200000 - i): each has 2 ns of its own, the innermost [99999, 100001) too.
  constexpr u64 depth = 100'000;
  std::vector<tft::spec> specs;
  for (u64 i = 0; i < depth; ++i) specs.push_back({1, i + 1, i, i, 2 * depth - i});
  const auto v = self_times(std::span<const tft::spec>(specs));
  REQUIRE(v.size() == depth);
  CHECK(std::all_of(v.begin(), v.end(), [](u64 x) { return x == 2; }));
  u64 total = 0;
  for (u64 x : v) total += x;
  CHECK(total == 2 * depth);  // the root's duration
}

TEST_CASE("self_time on a 100,000-wide star") {
  constexpr u64 n = 100'000;
  SUBCASE("disjoint children") {
    // Root [0, 10n + 10); child i is [10i + 5, 10i + 12): 7 ns each, 3 ns gaps.
    std::vector<tft::spec> specs{{1, 1, 0, 0, 10 * n + 10}};
    for (u64 i = 0; i < n; ++i) specs.push_back({1, i + 2, 1, 10 * i + 5, 10 * i + 12});
    const auto v = self_times(std::span<const tft::spec>(specs));
    REQUIRE(v.size() == n + 1);
    CHECK(v.front() == 10 * n + 10 - 7 * n);
    CHECK(std::count(v.begin() + 1, v.end(), 7u) == static_cast<std::ptrdiff_t>(n));
  }
  SUBCASE("overlapping children") {
    // Root [0, n + 2000); child i is [i, i + 1000): the union is [0, n + 999).
    std::vector<tft::spec> specs{{1, 1, 0, 0, n + 2000}};
    for (u64 i = 0; i < n; ++i) specs.push_back({1, i + 2, 1, i, i + 1000});
    const auto v = self_times(std::span<const tft::spec>(specs));
    REQUIRE(v.size() == n + 1);
    CHECK(v.front() == 1001);
  }
}

TEST_CASE("self_time in a product of algebras and over several traces") {
  auto ts = tft::build({{1, 1, 0, 0, 100},
                        {1, 2, 1, 10, 40},
                        {1, 3, 1, 50, 60},
                        {2, 1, 0, 0, 10},
                        {2, 2, 1, 5, 20}});
  const tf::trace t = ts.traces()[0];
  const auto both = tf::cata(tf::product(tft::size_alg{}, folds::self_time), t);
  REQUIRE(both.size() == 3);
  CHECK(both[0] == std::tuple<u64, u64>{3, 60});
  CHECK(both[1] == std::tuple<u64, u64>{1, 30});
  // Summed over all spans of all traces, three ways.
  const auto value = [](const tf::annotated<u64>& a) { return a.value; };
  CHECK(tf::run(tf::each_node(folds::self_time, tf::premap(value, folds::sum)), ts.traces()) ==
        60 + 30 + 10 + 5 + 15);
  CHECK(tf::run(tf::premap(folds::self_time, folds::sum), ts.spans()) == 60 + 30 + 10 + 5 + 15);
  CHECK(tf::run(tf::each_span(tf::premap(folds::self_time, folds::sum)), ts.traces()) ==
        60 + 30 + 10 + 5 + 15);
}

TEST_CASE("self_time agrees with a sort-and-merge reference on random traces") {
  std::vector<tft::spec> specs;
  SUBCASE("messy intervals") {
    for (u64 seed = 1; seed <= 40; ++seed) {
      specs = messy_specs(seed, 1 + seed * 7);
      auto ts = tft::build(std::span<const tft::spec>(specs));
      for (tf::trace t : ts.traces()) {
        const auto got = tf::cata(folds::self_time, t);
        const auto want = reference(t);
        CHECK(got == want);
        for (std::size_t i = 0; i < t.size(); ++i)
          CHECK(got[i] <= static_cast<u64>(std::max<std::int64_t>(t[i]->duration_ns(), 0)));
      }
    }
  }
  SUBCASE("every shape of tft::random_specs") {
    for (tft::shape sh : tft::all_shapes) {
      for (u64 seed = 1; seed <= 10; ++seed) {
        specs = tft::random_specs(seed, sh, 200);
        auto ts = tft::build(std::span<const tft::spec>(specs));
        std::vector<u64> out;
        for (tf::trace t : ts.traces()) {
          tf::cata_into(folds::self_time, t, out);
          CHECK(out == reference(t));
          for (std::size_t i = 0; i < t.size(); ++i) {
            CHECK(out[i] <= static_cast<u64>(std::max<std::int64_t>(t[i]->duration_ns(), 0)));
            CHECK(out[i] == folds::self_time(t[i]));
          }
        }
      }
    }
  }
}

TEST_CASE("self_time partitions a root's duration when children nest without overlap") {
  for (u64 seed = 1; seed <= 30; ++seed) {
    const auto specs = nested_specs(seed, 50 * seed);
    auto ts = tft::build(std::span<const tft::spec>(specs));
    REQUIRE(ts.trace_count() == 1);
    const tf::trace t = ts.traces()[0];
    CHECK(t.root_count() == 3);
    u64 roots = 0;
    for (tf::span_ref r : t.roots()) roots += static_cast<u64>(r->duration_ns());
    const auto v = tf::cata(folds::self_time, t);
    u64 total = 0;
    for (u64 x : v) total += x;
    CHECK(total == roots);
    CHECK(v == reference(t));
  }
}
