#include <doctest/doctest.h>

#include <support/algebras.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/cata.hpp>
#include <tracefold/fold/descend.hpp>
#include <tracefold/fold/each_node.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/prefilter.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/max.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tuple>
#include <utility>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

using tft::depth_down;
using tft::size_alg;

// Self time: duration minus the children's durations.
struct self_time_alg {
  std::int64_t begin(tf::span_ref n) const { return n->duration_ns(); }
  std::int64_t child(std::int64_t acc, tf::span_ref, const std::int64_t&) const { return acc; }
  std::int64_t finish(std::int64_t acc, tf::span_ref n) const {
    for (tf::span_ref c : n.children()) acc -= c->duration_ns();
    return acc;
  }
};

// Copies (position, value) out of each annotated node.
template <class V>
struct collect {
  using state = std::vector<std::pair<std::uint32_t, V>>;
  state init() const { return {}; }
  state step(state s, const tf::annotated<V>& a) const {
    s.emplace_back(a.node.index(), a.value);
    return s;
  }
  state merge(state a, state b) const {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }
  state done(state s) const { return s; }
};

// The annotated value, for premap.
constexpr auto value_of = [](const auto& a) { return a.value; };

}  // namespace

static_assert(
    tf::mergeable_fold<decltype(tf::each_node(size_alg{}, collect<std::uint64_t>{})), tf::trace>);
static_assert(tf::fold_over<decltype(tf::each_node(size_alg{}, folds::count)), tf::trace>);
static_assert(!tf::fold_over<decltype(tf::each_node(size_alg{}, folds::count)), tf::span_ref>);
// The inner fold must take annotated<V> of the algebra's value type.
static_assert(
    !tf::fold_over<decltype(tf::each_node(size_alg{}, collect<std::string>{})), tf::trace>);
static_assert(
    std::is_same_v<decltype(tf::each_node(depth_down{}, folds::count))::value_type, std::uint32_t>);

TEST_CASE("each_node with a tree algebra feeds every node and its value in pre-order") {
  // Trace 1: 1 -> {2 -> {4}, 3}; trace 2: a chain 1 -> 2.
  auto ts = tft::build({{1, 1, 0, 0, 100},
                        {1, 2, 1, 10, 40},
                        {1, 3, 1, 50, 60},
                        {1, 4, 2, 15, 20},
                        {2, 1, 0, 0, 10},
                        {2, 2, 1, 1, 5}});
  const auto got = tf::run(tf::each_node(size_alg{}, collect<std::uint64_t>{}), ts.traces());
  using P = std::pair<std::uint32_t, std::uint64_t>;
  CHECK(got == std::vector<P>{{0, 4}, {1, 2}, {2, 1}, {3, 1}, {0, 2}, {1, 1}});
  // Per node the same as cata.
  std::vector<std::uint64_t> via_cata;
  for (tf::trace t : ts.traces())
    for (auto v : tf::cata(size_alg{}, t)) via_cata.push_back(v);
  CHECK(tf::run(tf::each_node(size_alg{}, tf::premap(value_of, folds::to_vector<std::uint64_t>)),
                ts.traces()) == via_cata);
  // Total self time: the roots' durations minus nothing counted twice.
  CHECK(tf::run(tf::each_node(self_time_alg{}, tf::premap(value_of, folds::sum)), ts.traces()) ==
        100 + 10);
}

TEST_CASE("each_node with a top-down algebra") {
  auto ts =
      tft::build({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 40}, {1, 3, 1, 50, 60}, {1, 4, 2, 15, 20}});
  using P = std::pair<std::uint32_t, std::uint32_t>;
  CHECK(tf::run(tf::each_node(depth_down{}, collect<std::uint32_t>{}), ts.traces()) ==
        std::vector<P>{{0, 0}, {1, 1}, {2, 2}, {3, 1}});
  CHECK(tf::run(tf::each_node(depth_down{}, tf::premap(value_of, folds::max)), ts.traces()) == 2);
  // Filter on the annotated value: spans at depth 1.
  auto at_depth_1 = tf::prefilter(
      [](const tf::annotated<std::uint32_t>& a) { return a.value == 1; }, folds::count);
  CHECK(tf::run(tf::each_node(depth_down{}, at_depth_1), ts.traces()) == 2);
}

TEST_CASE("each_node with product algebras and in a product of folds") {
  auto ts = tft::random_set(21, tft::shape::random);
  auto both =
      tf::each_node(tf::product(size_alg{}, self_time_alg{}),
                    tf::premap([](const auto& a) { return std::get<0>(a.value); }, folds::sum));
  auto sizes = tf::each_node(size_alg{}, tf::premap(value_of, folds::sum));
  auto [a, b, n] = tf::run(tf::product(both, sizes, tf::each_span(folds::count)), ts.traces());
  CHECK(a == b);
  CHECK(n == ts.span_count());
  // The sum of subtree sizes is the sum over nodes of (depth + 1).
  std::int64_t expected = 0;
  for (tf::span_ref r : ts.spans()) expected += r.depth() + 1;
  CHECK(a == expected);
  auto depths = tf::each_node(
      tf::product(depth_down{}, depth_down{}),
      tf::premap([](const auto& x) { return std::get<0>(x.value) + std::get<1>(x.value); },
                 folds::sum));
  CHECK(tf::run(depths, ts.traces()) ==
        2 * (expected - static_cast<std::int64_t>(ts.span_count())));
}

TEST_CASE("each_node merges its inner states and runs in parallel") {
  auto ts = tft::random_set(5, tft::shape::many_roots, 200);
  auto f = tf::each_node(size_alg{}, collect<std::uint64_t>{});
  const auto expected = tf::run(f, ts.traces());
  CHECK(expected.size() == ts.span_count());
  for (unsigned threads : {2u, 3u}) CHECK(tf::run_parallel(f, ts.traces(), threads) == expected);
  // The scratch buffer is reused across traces: a big trace then a small one gives the small one's
  // values.
  auto big = tft::random_set(1, tft::shape::wide, 100);
  auto small = tft::build({{1, 1, 0, 0, 10}});
  auto s = f.step(f.init(), big.traces()[0]);
  const auto cap = s.scratch.capacity();
  s = f.step(std::move(s), small.traces()[0]);
  CHECK(s.scratch.capacity() == cap);
  CHECK(s.scratch == std::vector<std::uint64_t>{1});
  CHECK(f.done(std::move(s)).back() == std::pair<std::uint32_t, std::uint64_t>{0, 1});
}
