#include <doctest/doctest.h>

#include <support/algebras.hpp>

#include <algorithm>
#include <cstdint>
#include <support/make_traces.hpp>
#include <tracefold/fold/cata.hpp>
#include <tracefold/fold/product.hpp>
#include <tuple>
#include <vector>

namespace tf = tracefold;

namespace {

using tft::height_alg;
using tft::size_alg;

// Self time: the span's duration minus its children's durations (not below zero).
struct self_time_alg {
  struct value {
    std::int64_t duration;
    std::int64_t self;
  };
  std::int64_t begin(tf::span_ref n) const { return n->duration_ns(); }
  std::int64_t child(std::int64_t acc, tf::span_ref, const value& c) const {
    return acc - c.duration;
  }
  value finish(std::int64_t acc, tf::span_ref n) const {
    return {n->duration_ns(), std::max<std::int64_t>(acc, 0)};
  }
};

// Whether the subtree holds an error: a bool value, so cata returns a std::vector<bool>.
struct has_error_alg {
  bool begin(tf::span_ref n) const { return n->status.code == tf::status_code::error; }
  bool child(bool acc, tf::span_ref, const bool& c) const { return acc || c; }
  bool finish(bool acc, tf::span_ref) const { return acc; }
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

// Brute-force height of the node at `r`, through its subtree's depths.
std::uint64_t height_of(tf::span_ref r) {
  std::uint64_t h = 0;
  for (tf::span_ref d : r.subtree()) h = std::max<std::uint64_t>(h, d.depth() - r.depth());
  return h;
}

}  // namespace

TEST_CASE("cata evaluates subtree size, height and self time in pre-order") {
  // 1 [0,100] -> {2 [10,40] -> {4 [15,20]}, 3 [50,60]}, and a second root 5 [200,210].
  auto ts = tft::build({{1, 1, 0, 0, 100},
                        {1, 3, 1, 50, 60},
                        {1, 2, 1, 10, 40},
                        {1, 4, 2, 15, 20},
                        {1, 5, 0, 200, 210}});
  REQUIRE(ts.trace_count() == 1);
  const tf::trace t = ts.traces()[0];
  CHECK(tf::cata(size_alg{}, t) == std::vector<std::uint64_t>{4, 2, 1, 1, 1});
  CHECK(tf::cata(height_alg{}, t) == std::vector<std::uint64_t>{2, 1, 0, 0, 0});
  const auto self = tf::cata(self_time_alg{}, t);
  REQUIRE(self.size() == 5);
  CHECK(self[0].self == 100 - 30 - 10);
  CHECK(self[1].self == 30 - 5);
  CHECK(self[2].self == 5);
  CHECK(self[3].self == 10);
  CHECK(self[4].self == 10);
}

TEST_CASE("cata with a bool value propagates errors to the ancestors") {
  // 1 -> {2 -> {4 (error)}, 3}; 5 is another root.
  auto ts = tft::build({{1, 1, 0, 0, 100},
                        {1, 2, 1, 10, 40},
                        {1, 3, 1, 50, 60},
                        {1, 4, 2, 15, 20, "op", "svc", tf::status_code::error},
                        {1, 5, 0, 200, 210}});
  CHECK(tf::cata(has_error_alg{}, ts.traces()[0]) ==
        std::vector<bool>{true, true, true, false, false});
}

TEST_CASE("cata of a product of algebras equals the separate catas") {
  auto ts = tft::random_set(7, tft::shape::random);
  for (tf::trace t : ts.traces()) {
    const auto both = tf::cata(tf::product(size_alg{}, height_alg{}), t);
    const auto sizes = tf::cata(size_alg{}, t);
    const auto heights = tf::cata(height_alg{}, t);
    REQUIRE(both.size() == t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
      CHECK(std::get<0>(both[i]) == sizes[i]);
      CHECK(std::get<1>(both[i]) == heights[i]);
    }
  }
}

TEST_CASE("cata on tree shapes") {
  std::vector<tft::spec> specs;
  enum { one, wide, deep, forest, randomized } which = one;
  SUBCASE("one span") { specs = {{1, 1, 0, 0, 5}}; }
  SUBCASE("a wide star of 100,000 children") {
    which = wide;
    specs = star(100'000);
  }
  SUBCASE("a deep chain of 100,000 spans") {
    which = deep;
    specs = chain(100'000);
  }
  SUBCASE("many roots and orphans") {
    which = forest;
    // Roots 1 and 2; orphans 3 and 5 (their parents 90 and 91 are absent); 4 under 3, 6 under 1.
    specs = {{1, 1, 0, 0, 10}, {1, 2, 0, 1, 9},  {1, 3, 90, 2, 8},
             {1, 4, 3, 3, 7},  {1, 5, 91, 4, 6}, {1, 6, 1, 5, 6}};
  }
  SUBCASE("random shapes") {
    which = randomized;
    specs = tft::random_specs(11, tft::shape::many_roots, 300);
  }
  REQUIRE_FALSE(specs.empty());
  auto ts = tft::build(std::span<const tft::spec>(specs));
  for (tf::trace t : ts.traces()) {
    const auto sizes = tf::cata(size_alg{}, t);
    const auto heights = tf::cata(height_alg{}, t);
    REQUIRE(sizes.size() == t.size());
    bool sizes_ok = true;
    bool heights_ok = true;
    std::uint64_t root_total = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      sizes_ok = sizes_ok && sizes[i] == t[i].subtree_size();
      if (t.size() <= 1000) heights_ok = heights_ok && heights[i] == height_of(t[i]);
      if (t[i].is_root()) root_total += sizes[i];
    }
    CHECK(sizes_ok);
    CHECK(heights_ok);
    CHECK(root_total == t.size());  // the roots' subtrees partition the trace
    CHECK(sizes[0] == t[0].subtree_size());
  }
  if (which == one) CHECK(tf::cata(size_alg{}, ts.traces()[0]) == std::vector<std::uint64_t>{1});
  if (which == wide) {
    const auto h = tf::cata(height_alg{}, ts.traces()[0]);
    CHECK(h[0] == 1);
    CHECK(std::count(h.begin(), h.end(), 0u) == 100'000);
  }
  if (which == deep) {
    const auto h = tf::cata(height_alg{}, ts.traces()[0]);
    CHECK(h.front() == 99'999);
    CHECK(h.back() == 0);
    const auto self = tf::cata(self_time_alg{}, ts.traces()[0]);
    CHECK(self.front().self == 2);  // [0, 200000] minus [1, 199999]
    CHECK(self.back().self == 2);
  }
  if (which == forest) {
    const tf::trace t = ts.traces()[0];
    CHECK(t.root_count() == 4);
    CHECK(tf::cata(size_alg{}, t) == std::vector<std::uint64_t>{2, 1, 1, 2, 1, 1});
    CHECK(t[3].is_orphan());
    CHECK(t[5].is_orphan());
  }
}

TEST_CASE("cata_into clears and reuses its vector") {
  auto big = tft::build(std::span<const tft::spec>(star(50)));
  auto small = tft::build({{1, 1, 0, 0, 10}, {1, 2, 1, 1, 2}});
  std::vector<std::uint64_t> out{42, 42, 42};
  tf::cata_into(size_alg{}, big.traces()[0], out);
  CHECK(out.size() == 51);
  CHECK(out[0] == 51);
  const auto* data = out.data();
  const auto cap = out.capacity();
  tf::cata_into(size_alg{}, small.traces()[0], out);
  CHECK(out == std::vector<std::uint64_t>{2, 1});
  CHECK(out.data() == data);  // no reallocation: the capacity was reused
  CHECK(out.capacity() == cap);
}
