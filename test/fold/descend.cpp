#include <doctest/doctest.h>

#include <support/algebras.hpp>

#include <cstdint>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/descend.hpp>
#include <tracefold/fold/product.hpp>
#include <tuple>
#include <vector>

namespace tf = tracefold;

namespace {

using tft::depth_down;

// Offset of each span's start from its root's start.
struct offset_down {
  struct value {
    std::uint64_t root_start;
    std::int64_t offset;
  };
  value root(tf::span_ref n) const { return {n->start_time_unix_nano, 0}; }
  value down(const value& p, tf::span_ref n) const {
    return {p.root_start, static_cast<std::int64_t>(n->start_time_unix_nano - p.root_start)};
  }
};

// The position of each node's root.
struct root_of_down {
  std::uint32_t root(tf::span_ref n) const { return n.index(); }
  std::uint32_t down(const std::uint32_t& p, tf::span_ref) const { return p; }
};

std::vector<tft::spec> star(std::uint64_t children) {
  std::vector<tft::spec> s{{1, 1, 0, 0, 10 * children + 10}};
  for (std::uint64_t i = 0; i < children; ++i) s.push_back({1, i + 2, 1, 10 * i + 5, 10 * i + 12});
  return s;
}

std::vector<tft::spec> chain(std::uint64_t depth) {
  std::vector<tft::spec> s;
  for (std::uint64_t i = 0; i < depth; ++i) s.push_back({1, i + 1, i, i, 2 * depth - i});
  return s;
}

}  // namespace

TEST_CASE("descend computes depths and offsets in pre-order") {
  // 1 [100,..] -> {2 [130] -> {4 [135]}, 3 [110]}; 5 [500] is a second root.
  auto ts = tft::build({{1, 1, 0, 100, 900},
                        {1, 2, 1, 130, 140},
                        {1, 3, 1, 110, 120},
                        {1, 4, 2, 135, 136},
                        {1, 5, 0, 500, 600}});
  const tf::trace t = ts.traces()[0];
  CHECK(tf::descend(depth_down{}, t) == std::vector<std::uint32_t>{0, 1, 1, 2, 0});
  const auto off = tf::descend(offset_down{}, t);
  REQUIRE(off.size() == 5);
  CHECK(off[0].offset == 0);
  CHECK(off[1].offset == 10);  // span 3 comes first: it starts earlier
  CHECK(off[2].offset == 30);
  CHECK(off[3].offset == 35);
  CHECK(off[4].offset == 0);
  CHECK(off[4].root_start == 500);
}

TEST_CASE("descend of a product of top-down algebras equals the separate runs") {
  auto ts = tft::random_set(3, tft::shape::random);
  for (tf::trace t : ts.traces()) {
    const auto both = tf::descend(tf::product(depth_down{}, root_of_down{}), t);
    const auto depths = tf::descend(depth_down{}, t);
    const auto roots = tf::descend(root_of_down{}, t);
    REQUIRE(both.size() == t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      CHECK(std::get<0>(both[i]) == depths[i]);
      CHECK(std::get<1>(both[i]) == roots[i]);
    }
  }
}

TEST_CASE("descend on tree shapes") {
  std::vector<tft::spec> specs;
  SUBCASE("one span") { specs = {{1, 1, 0, 0, 5}}; }
  SUBCASE("a wide star of 100,000 children") { specs = star(100'000); }
  SUBCASE("a deep chain of 100,000 spans") { specs = chain(100'000); }
  SUBCASE("many roots and orphans") {
    specs = {{1, 1, 0, 0, 10}, {1, 2, 0, 1, 9},  {1, 3, 90, 2, 8},
             {1, 4, 3, 3, 7},  {1, 5, 91, 4, 6}, {1, 6, 1, 5, 6}};
  }
  SUBCASE("random shapes") { specs = tft::random_specs(5, tft::shape::many_roots, 300); }
  auto ts = tft::build(std::span<const tft::spec>(specs));
  REQUIRE(ts.trace_count() >= 1);
  std::uint32_t max_depth = 0;
  for (tf::trace t : ts.traces()) {
    const auto depths = tf::descend(depth_down{}, t);
    const auto roots = tf::descend(root_of_down{}, t);
    REQUIRE(depths.size() == t.size());
    bool depths_ok = true;
    bool roots_ok = true;
    for (std::size_t i = 0; i < t.size(); ++i) {
      depths_ok = depths_ok && depths[i] == t[i].depth();
      // The node lies in the subtree of the root descend found for it.
      const tf::span_ref r = t[roots[i]];
      roots_ok = roots_ok && r.is_root() && r.index() <= i && i < r.index() + r.subtree_size();
      max_depth = std::max(max_depth, depths[i]);
    }
    CHECK(depths_ok);
    CHECK(roots_ok);
  }
  if (specs.size() == 100'000) CHECK(max_depth == 99'999);
  if (specs.size() == 100'001) CHECK(max_depth == 1);
  if (specs.size() == 1) CHECK(max_depth == 0);
}

TEST_CASE("descend_into clears and reuses its vector") {
  auto big = tft::build(std::span<const tft::spec>(chain(64)));
  auto small = tft::build({{1, 1, 0, 0, 10}, {1, 2, 1, 1, 2}, {1, 3, 0, 20, 30}});
  std::vector<std::uint32_t> out{7, 7, 7, 7};
  tf::descend_into(depth_down{}, big.traces()[0], out);
  CHECK(out.size() == 64);
  CHECK(out.back() == 63);
  const auto* data = out.data();
  tf::descend_into(depth_down{}, small.traces()[0], out);
  CHECK(out == std::vector<std::uint32_t>{0, 1, 0});
  CHECK(out.data() == data);
}
