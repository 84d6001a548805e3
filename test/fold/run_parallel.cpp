#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <numeric>
#include <range/v3/view/iota.hpp>
#include <stdexcept>
#include <string>
#include <support/make_traces.hpp>
#include <thread>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/group_by.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/first.hpp>
#include <tracefold/folds/last.hpp>
#include <tracefold/folds/max.hpp>
#include <tracefold/folds/mean.hpp>
#include <tracefold/folds/min.hpp>
#include <tracefold/folds/name.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

// Order-sensitive and mergeable: to_vector shows any reordering of chunks.
const auto order_fold = tf::product(folds::count, folds::sum, folds::min, folds::max,
                                    folds::to_vector<int>, folds::first<int>, folds::last<int>);

// Throws on a given input.
struct throw_on {
  int bad;
  int init() const { return 0; }
  int step(int s, int x) const {
    if (x == bad) throw std::runtime_error("bad input " + std::to_string(x));
    return s + x;
  }
  int merge(int a, int b) const { return a + b; }
  int done(int s) const { return s; }
};

// Records which threads stepped it.
struct thread_ids {
  using state = std::vector<std::thread::id>;
  state init() const { return {}; }
  state step(state s, int) const {
    if (s.empty() || s.back() != std::this_thread::get_id())
      s.push_back(std::this_thread::get_id());
    return s;
  }
  state merge(state a, state b) const {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }
  std::size_t done(state s) const { return s.size(); }
};

}  // namespace

TEST_CASE("run_parallel equals run for 1, 2, 3 and 7 threads") {
  std::vector<int> xs(1000);
  std::iota(xs.begin(), xs.end(), -300);
  const auto expected = tf::run(order_fold, xs);
  for (unsigned threads : {1u, 2u, 3u, 7u}) {
    CAPTURE(threads);
    CHECK(tf::run_parallel(order_fold, xs, threads) == expected);
  }
  CHECK(tf::run_parallel(order_fold, xs) == expected);  // 0: hardware concurrency
  CHECK(tf::run_parallel(order_fold, xs, 0) == expected);
}

TEST_CASE("run_parallel splits the range across the threads it is given") {
  std::vector<int> xs(10'000, 1);
  CHECK(tf::run_parallel(thread_ids{}, xs, 1) == 1);
  CHECK(tf::run_parallel(thread_ids{}, xs, 3) == 3);  // three chunks, each on its own thread
}

TEST_CASE("run_parallel on ranges shorter than the thread count") {
  std::vector<int> xs;
  SUBCASE("empty") {}
  SUBCASE("one") { xs = {5}; }
  SUBCASE("two") { xs = {5, -1}; }
  SUBCASE("six") { xs = {6, 5, 4, 3, 2, 1}; }
  const auto expected = tf::run(order_fold, xs);
  for (unsigned threads : {1u, 2u, 3u, 7u}) {
    CAPTURE(threads);
    CHECK(tf::run_parallel(order_fold, xs, threads) == expected);
  }
  CHECK(tf::run_parallel(thread_ids{}, xs, 7) == xs.size());
}

TEST_CASE("run_parallel over traces and range-v3 views") {
  auto ts = tft::random_set(42, tft::shape::random, 400);
  auto by_name = tf::each_span(tf::group_by(
      folds::name, tf::product(folds::count, tf::premap(folds::duration, folds::sum))));
  const auto expected = tf::run(by_name, ts.traces());
  REQUIRE_FALSE(expected.empty());
  for (unsigned threads : {1u, 2u, 3u, 7u}) {
    CAPTURE(threads);
    CHECK(tf::run_parallel(by_name, ts.traces(), threads) == expected);
  }
  auto mean_fold = tf::product(folds::mean, folds::count);
  const auto [mean, n] = tf::run_parallel(mean_fold, ranges::views::iota(1, 1001), 3);
  CHECK(n == 1000);
  REQUIRE(mean.has_value());
  CHECK(*mean == doctest::Approx(500.5).epsilon(1e-12));
  // Spans of one trace: a random-access range of span_ref.
  const tf::trace t = ts.traces()[0];
  auto spans_fold = tf::premap(folds::duration, tf::product(folds::sum, folds::max));
  CHECK(tf::run_parallel(spans_fold, t.spans(), 3) == tf::run(spans_fold, t.spans()));
}

TEST_CASE("an exception thrown inside a step propagates out of run_parallel") {
  std::vector<int> xs(100);
  std::iota(xs.begin(), xs.end(), 0);
  for (unsigned threads : {1u, 2u, 3u, 7u}) {
    CAPTURE(threads);
    CHECK_THROWS_WITH_AS(tf::run_parallel(throw_on{0}, xs, threads), "bad input 0",
                         std::runtime_error);  // first chunk
    CHECK_THROWS_WITH_AS(tf::run_parallel(throw_on{99}, xs, threads), "bad input 99",
                         std::runtime_error);  // last
    CHECK_THROWS_AS(tf::run_parallel(throw_on{50}, xs, threads), std::runtime_error);
    CHECK(tf::run_parallel(throw_on{-1}, xs, threads) == 4950);  // nothing to throw on
  }
}
