#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/model/span_ref.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<tf::result_t<decltype(folds::sum)>, std::int64_t>);
static_assert(std::is_same_v<tf::result_t<decltype(folds::sum_as<double>)>, double>);
static_assert(tf::mergeable_fold<decltype(folds::sum), int>);
static_assert(tf::mergeable_fold<decltype(folds::sum), std::uint32_t>);
static_assert(!tf::fold_over<decltype(folds::sum), std::string>);
static_assert(!tf::fold_over<decltype(folds::sum), tf::span_ref>);

TEST_CASE_TEMPLATE("sum_as<T> over inputs of several types", T, std::int64_t, std::uint64_t, double,
                   int) {
  const auto f = folds::sum_as<T>;
  CHECK(tf::run(f, std::vector<int>{}) == T{0});
  CHECK(tf::run(f, std::vector<int>{7}) == T{7});
  CHECK(tf::run(f, std::vector<int>{1, 2, 3, 4}) == T{10});
  CHECK(tf::run(f, std::vector<short>{5, 6}) == T{11});
  auto a = f.step(f.step(f.init(), 3), 4);
  auto b = f.step(f.init(), 5);
  CHECK(f.done(f.merge(a, b)) == T{12});
  CHECK(f.done(f.merge(f.init(), f.init())) == T{0});
}

TEST_CASE("sum converts each input to T before adding") {
  // Each double truncates to an integer for sum (int64).
  CHECK(tf::run(folds::sum, std::vector<double>{1.9, 2.9}) == 3);
  CHECK(tf::run(folds::sum_as<double>, std::vector<double>{1.5, 2.25}) == 3.75);
  CHECK(tf::run(folds::sum, std::vector<int>{-5, 3}) == -2);
  // Unsigned sums wrap.
  const auto u = folds::sum_as<std::uint8_t>;
  CHECK(tf::run(u, std::vector<int>{200, 100}) == 44);
  CHECK(tf::run(folds::sum_as<std::uint64_t>,
                std::vector<std::uint64_t>{std::numeric_limits<std::uint64_t>::max(), 2}) == 1);
}

TEST_CASE("sum is usable in constant expressions") {
  constexpr auto f = folds::sum;
  static_assert(f.done(f.step(f.step(f.init(), 20), 22)) == 42);
  CHECK(f.done(f.init()) == 0);
}
