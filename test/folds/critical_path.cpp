#include <doctest/doctest.h>

#include <cstdint>
#include <numeric>
#include <support/make_traces.hpp>
#include <tracefold/folds/critical_path.hpp>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;
using tft::spec;

namespace {

/// Pre-order position of the span with id `n`.
std::uint32_t at(const tf::trace& t, std::uint64_t n) {
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].span().span_id == tft::sid(n)) return static_cast<std::uint32_t>(i);
  FAIL("no span " << n);
  return 0;
}

}  // namespace

TEST_CASE("sequential children are all on the path; the gaps are the parent's") {
  auto ts = tft::build({{.id = 1, .start = 0, .end = 100},
                        {.id = 2, .parent = 1, .start = 10, .end = 40},
                        {.id = 3, .parent = 1, .start = 50, .end = 90}});
  const tf::trace t = ts.traces()[0];
  const auto cp = folds::critical_path(t);
  CHECK(cp.on_path[at(t, 1)]);
  CHECK(cp.on_path[at(t, 2)]);
  CHECK(cp.on_path[at(t, 3)]);
  CHECK(cp.path_ns[at(t, 1)] == 30);
  CHECK(cp.path_ns[at(t, 2)] == 30);
  CHECK(cp.path_ns[at(t, 3)] == 40);
  CHECK(cp.length_ns == 100);
}

TEST_CASE("of two parallel children, the one that ends last is on the path") {
  auto ts = tft::build({{.id = 1, .start = 0, .end = 100},
                        {.id = 2, .parent = 1, .start = 10, .end = 90},
                        {.id = 3, .parent = 1, .start = 20, .end = 60},
                        {.id = 4, .parent = 3, .start = 30, .end = 50},
                        {.id = 5, .parent = 2, .start = 15, .end = 85}});
  const tf::trace t = ts.traces()[0];
  const auto cp = folds::critical_path(t);
  CHECK(cp.on_path[at(t, 2)]);
  CHECK(cp.on_path[at(t, 5)]);
  CHECK_FALSE(cp.on_path[at(t, 3)]);  // hidden behind 2, which ends later
  CHECK_FALSE(cp.on_path[at(t, 4)]);
  CHECK(cp.path_ns[at(t, 1)] == 20);
  CHECK(cp.path_ns[at(t, 2)] == 10);
  CHECK(cp.path_ns[at(t, 5)] == 70);
}

TEST_CASE("a child overrunning its parent counts up to the parent's end") {
  auto ts = tft::build({{.id = 1, .start = 0, .end = 100},
                        {.id = 2, .parent = 1, .start = 60, .end = 150},
                        {.id = 3, .parent = 1, .start = 10, .end = 50}});
  const tf::trace t = ts.traces()[0];
  const auto cp = folds::critical_path(t);
  CHECK(cp.on_path[at(t, 2)]);
  CHECK(cp.on_path[at(t, 3)]);
  CHECK(cp.path_ns[at(t, 2)] == 40);
  CHECK(cp.path_ns[at(t, 1)] == 20);
  CHECK(cp.length_ns == 100);
}

TEST_CASE("random traces: the path is connected, and its parts add up to its length") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    for (auto sh : tft::all_shapes) {
      auto ts = tft::random_set(seed, sh, 120);
      for (const tf::trace& t : ts.traces()) {
        const auto cp = folds::critical_path(t);
        REQUIRE(cp.on_path.size() == t.size());
        CHECK(cp.on_path[cp.root]);
        CHECK(t[cp.root].is_root());
        CHECK(std::accumulate(cp.path_ns.begin(), cp.path_ns.end(), std::uint64_t{0}) ==
              cp.length_ns);
        for (std::size_t i = 0; i < t.size(); ++i) {
          if (!cp.on_path[i] || i == cp.root) continue;
          const auto p = t[i].parent();
          REQUIRE(p.has_value());
          CHECK(cp.on_path[p->index()]);
        }
        for (std::size_t i = 0; i < t.size(); ++i)
          if (!cp.on_path[i]) CHECK(cp.path_ns[i] == 0);
      }
    }
  }
}

TEST_CASE("a 100,000-deep chain is one path, without recursion") {
  std::vector<spec> specs;
  for (std::uint64_t i = 1; i <= 100'000; ++i)
    specs.push_back({.id = i, .parent = i - 1, .start = i, .end = 300'000 - i});
  auto ts = tft::build(specs);
  const auto cp = folds::critical_path(ts.traces()[0]);
  CHECK(std::count(cp.on_path.begin(), cp.on_path.end(), true) == 100'000);
  CHECK(cp.length_ns == 300'000 - 2);
}
