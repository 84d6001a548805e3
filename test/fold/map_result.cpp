#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <tracefold/fold/map_result.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/max.hpp>
#include <tracefold/folds/mean.hpp>
#include <tracefold/folds/sum.hpp>
#include <tuple>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

TEST_CASE("map_result applies h to the result only") {
  const std::vector<int> xs{1, 2, 3, 4};
  auto f = tf::map_result([](std::int64_t s) { return std::to_string(s); }, folds::sum);
  static_assert(std::is_same_v<tf::result_t<decltype(f)>, std::string>);
  static_assert(std::is_same_v<tf::state_t<decltype(f)>, std::int64_t>);
  CHECK(tf::run(f, xs) == "10");
  CHECK(tf::run(f, std::vector<int>{}) == "0");
}

TEST_CASE("map_result turns a product into a derived statistic") {
  const std::vector<int> xs{2, 4, 9};
  auto avg = tf::map_result(
      [](std::tuple<std::int64_t, std::uint64_t> t) {
        return static_cast<double>(std::get<0>(t)) / static_cast<double>(std::get<1>(t));
      },
      tf::product(folds::sum, folds::count));
  CHECK(tf::run(avg, xs) == doctest::Approx(5.0));
  // Nested: the functor law map(h, map(g, f)) == map(h . g, f).
  auto g = [](std::int64_t s) { return s * 2; };
  auto h = [](std::int64_t s) { return s + 1; };
  CHECK(tf::run(tf::map_result(h, tf::map_result(g, folds::sum)), xs) == 31);
  CHECK(tf::run(tf::map_result([&](std::int64_t s) { return h(g(s)); }, folds::sum), xs) == 31);
  // Identity.
  CHECK(tf::run(tf::map_result([](auto r) { return r; }, folds::max), xs) ==
        tf::run(folds::max, xs));
}

TEST_CASE("map_result accepts member pointers and merges the inner states") {
  struct stats {
    int total;
  };
  auto f = tf::map_result([](std::int64_t s) { return stats{static_cast<int>(s)}; }, folds::sum);
  auto total = tf::map_result(&stats::total, f);
  auto a = total.step(total.init(), 3);
  auto b = total.step(total.step(total.init(), 4), 5);
  static_assert(tf::mergeable_fold<decltype(total), int>);
  CHECK(total.done(total.merge(a, b)) == 12);
  CHECK(total.done(total.init()) == 0);
  // h runs once, in done, not per input.
  int calls = 0;
  auto counted = tf::map_result(
      [&calls](std::int64_t s) {
        ++calls;
        return s;
      },
      folds::sum);
  CHECK(tf::run(counted, std::vector<int>{1, 2, 3}) == 6);
  CHECK(calls == 1);
}

TEST_CASE("map_result over an optional result") {
  auto f = tf::map_result([](std::optional<double> m) { return m.value_or(-1.0); }, folds::mean);
  CHECK(tf::run(f, std::vector<double>{}) == -1.0);
  CHECK(tf::run(f, std::vector<double>{1.0, 3.0}) == doctest::Approx(2.0));
}
