#include <doctest/doctest.h>

#include <support/algebras.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <support/make_traces.hpp>
#include <tracefold/fold/cata.hpp>
#include <tracefold/fold/descend.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/max.hpp>
#include <tracefold/folds/min.hpp>
#include <tracefold/folds/sum.hpp>
#include <tuple>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

TEST_CASE("product runs its folds in one pass and returns a tuple of results") {
  std::vector<int> xs{3, 1, 4, 1, 5};
  auto [n, total, lo, hi] =
      tf::run(tf::product(folds::count, folds::sum, folds::min, folds::max), xs);
  CHECK(n == 5);
  CHECK(total == 14);
  CHECK(lo == 1);
  CHECK(hi == 5);
}

TEST_CASE("product over spans of a trace_set") {
  auto ts = tft::build({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 30}, {2, 1, 0, 5, 6}});
  auto f = tf::each_span(
      tf::product(folds::count, tf::premap(folds::duration, tf::product(folds::sum, folds::max))));
  auto [n, d] = tf::run(f, ts.traces());
  auto [sum, max] = d;
  CHECK(n == 3);
  CHECK(sum == 121);
  CHECK(max == 100);
}

TEST_CASE("product of mergeable folds merges component-wise") {
  auto f = tf::product(folds::count, folds::sum);
  auto a = f.step(f.step(f.init(), 2), 3);
  auto b = f.step(f.init(), 10);
  auto [n, s] = f.done(f.merge(a, b));
  CHECK(n == 3);
  CHECK(s == 15);
}

namespace {

using tft::depth_down;
using tft::height_alg;
using tft::size_alg;

struct start_offset_down {
  std::uint64_t root(tf::span_ref n) const { return n->start_time_unix_nano; }
  std::uint64_t down(const std::uint64_t& p, tf::span_ref) const { return p; }
};

// Records the order in which it was stepped, to check one pass visits inputs in order.
struct trace_steps {
  std::vector<int> init() const { return {}; }
  std::vector<int> step(std::vector<int> s, int x) const {
    s.push_back(x);
    return s;
  }
  std::vector<int> merge(std::vector<int> a, std::vector<int> b) const {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }
  std::vector<int> done(std::vector<int> s) const { return s; }
};

}  // namespace

// What product builds from each kind of argument.
static_assert(tf::fold_over<decltype(tf::product(folds::count)), int>);
static_assert(tf::tree_algebra<decltype(tf::product(size_alg{}, height_alg{}))>);
static_assert(tf::top_down_algebra<decltype(tf::product(depth_down{}, start_offset_down{}))>);
static_assert(!tf::fold_over<decltype(tf::product(folds::count, folds::sum)), tf::span_ref>);
static_assert(tf::fold_over<decltype(tf::product(folds::count, folds::sum)), int>);
static_assert(std::is_same_v<tf::result_t<decltype(tf::product(folds::count, folds::min))>,
                             std::tuple<std::uint64_t, std::optional<std::int64_t>>>);

TEST_CASE("product of one fold is that fold in a tuple") {
  const std::vector<int> xs{2, 7, 1};
  CHECK(tf::run(tf::product(folds::sum), xs) == std::tuple<std::int64_t>{10});
  CHECK(tf::run(tf::product(folds::count, folds::sum), std::vector<int>{}) ==
        std::tuple<std::uint64_t, std::int64_t>{0, 0});
}

TEST_CASE("product gives exactly what the separate runs give (banana split)") {
  auto ts = tft::random_set(17, tft::shape::random, 300);
  auto dur = tf::premap(folds::duration, tf::product(folds::sum, folds::min, folds::max));
  auto [n, d, steps] = tf::run(
      tf::product(
          folds::count, dur,
          tf::premap([](tf::span_ref r) { return static_cast<int>(r.depth()); }, trace_steps{})),
      ts.spans());
  CHECK(n == tf::run(folds::count, ts.spans()));
  CHECK(d == tf::run(dur, ts.spans()));
  std::vector<int> depths;
  for (tf::span_ref r : ts.spans()) depths.push_back(static_cast<int>(r.depth()));
  CHECK(steps == depths);
}

TEST_CASE("nested products nest their results") {
  const std::vector<int> xs{4, -1, 6};
  auto [outer, inner] = tf::run(
      tf::product(folds::count, tf::product(folds::min, tf::product(folds::max, folds::sum))), xs);
  CHECK(outer == 3);
  CHECK(std::get<0>(inner) == -1);
  CHECK(std::get<1>(inner) == std::tuple<std::optional<std::int64_t>, std::int64_t>{6, 9});
  // Merge of nested products is component-wise all the way down.
  auto f = tf::product(trace_steps{}, tf::product(folds::count, trace_steps{}));
  auto a = f.step(f.step(f.init(), 1), 2);
  auto b = f.step(f.init(), 3);
  auto [s1, rest] = f.done(f.merge(a, b));
  CHECK(s1 == std::vector<int>{1, 2, 3});
  CHECK(std::get<0>(rest) == 3);
  CHECK(std::get<1>(rest) == std::vector<int>{1, 2, 3});
}

TEST_CASE("product of tree algebras computes both values in one sweep") {
  auto ts =
      tft::build({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 40}, {1, 3, 1, 50, 60}, {1, 4, 2, 15, 20}});
  const auto v = tf::cata(tf::product(size_alg{}, height_alg{}), ts.traces()[0]);
  using V = std::tuple<std::uint64_t, std::uint64_t>;
  CHECK(v == std::vector<V>{{4, 2}, {2, 1}, {1, 0}, {1, 0}});
  // Nested algebra products.
  const auto w =
      tf::cata(tf::product(size_alg{}, tf::product(height_alg{}, size_alg{})), ts.traces()[0]);
  REQUIRE(w.size() == 4);
  CHECK(std::get<0>(w[0]) == 4);
  CHECK(std::get<1>(w[0]) == V{2, 4});
  CHECK(std::get<1>(w[3]) == V{0, 1});
}

TEST_CASE("product of top-down algebras computes inherited values side by side") {
  auto ts =
      tft::build({{1, 1, 0, 7, 100}, {1, 2, 1, 10, 40}, {1, 3, 2, 15, 20}, {1, 4, 0, 200, 300}});
  const auto v = tf::descend(tf::product(depth_down{}, start_offset_down{}), ts.traces()[0]);
  using V = std::tuple<std::uint32_t, std::uint64_t>;
  CHECK(v == std::vector<V>{{0, 7}, {1, 7}, {2, 7}, {0, 200}});
  const auto w = tf::descend(
      tf::product(tf::product(depth_down{}, depth_down{}), start_offset_down{}), ts.traces()[0]);
  CHECK(std::get<0>(w[2]) == std::tuple<std::uint32_t, std::uint32_t>{2, 2});
  CHECK(std::get<1>(w[3]) == 200);
}
