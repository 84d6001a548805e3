#include <doctest/doctest.h>

#include <support/make_traces.hpp>
#include <tracefold/fold/prefilter.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

TEST_CASE("prefilter feeds the fold only the inputs that satisfy the predicate") {
  const std::vector<int> xs{1, -2, 3, -4, 5};
  auto positive = [](int x) { return x > 0; };
  CHECK(tf::run(tf::prefilter(positive, folds::to_vector<int>), xs) == std::vector<int>{1, 3, 5});
  CHECK(tf::run(tf::prefilter(positive, folds::count), xs) == 3);
  CHECK(tf::run(tf::prefilter([](int) { return false; }, folds::count), xs) == 0);
  CHECK(tf::run(tf::prefilter([](int) { return true; }, folds::sum), xs) ==
        tf::run(folds::sum, xs));
  CHECK(tf::run(tf::prefilter(positive, folds::count), std::vector<int>{}) == 0);
}

TEST_CASE("prefilter composes with premap and product") {
  const std::vector<int> xs{1, 2, 3, 4, 5, 6};
  auto even = [](int x) { return x % 2 == 0; };
  auto big = [](int x) { return x > 2; };
  // Nested filters are a conjunction.
  CHECK(tf::run(tf::prefilter(even, tf::prefilter(big, folds::to_vector<int>)), xs) ==
        std::vector<int>{4, 6});
  // Filter inside a product filters only that component.
  auto [all, evens] = tf::run(tf::product(folds::count, tf::prefilter(even, folds::count)), xs);
  CHECK(all == 6);
  CHECK(evens == 3);
  // Filter before or after a premap.
  auto sq = [](int x) { return x * x; };
  CHECK(tf::run(tf::prefilter(even, tf::premap(sq, folds::sum)), xs) == 4 + 16 + 36);
  CHECK(tf::run(tf::premap(sq, tf::prefilter(big, folds::sum)), xs) == 91 - 1);
}

TEST_CASE("prefilter over spans: count of error spans and long spans") {
  auto ts = tft::build({{1, 1, 0, 0, 100, "a", "svc", tf::status_code::error},
                        {1, 2, 1, 10, 30, "b"},
                        {2, 1, 0, 5, 6, "c", "svc", tf::status_code::error}});
  auto is_error = [](tf::span_ref r) { return r->status.code == tf::status_code::error; };
  CHECK(tf::run(tf::prefilter(is_error, folds::count), ts.spans()) == 2);
  auto is_long = [](tf::span_ref r) { return r->duration_ns() >= 20; };
  CHECK(tf::run(tf::prefilter(is_long, tf::premap(folds::duration, folds::sum)), ts.spans()) ==
        120);
}

TEST_CASE("prefilter merges through to its fold") {
  auto f = tf::prefilter([](int x) { return x != 0; }, folds::to_vector<int>);
  auto a = f.step(f.step(f.init(), 0), 1);
  auto b = f.step(f.step(f.init(), 2), 0);
  CHECK(f.done(f.merge(std::move(a), std::move(b))) == std::vector<int>{1, 2});
}

// The predicate must accept the input and return something boolean.
static_assert(tf::fold_over<decltype(tf::prefilter([](int x) { return x > 0; }, folds::sum)), int>);
static_assert(
    !tf::fold_over<decltype(tf::prefilter([](tf::span_ref) { return true; }, folds::sum)), int>);
static_assert(
    !tf::fold_over<decltype(tf::prefilter([](int) { return tft::spec{}; }, folds::sum)), int>);
