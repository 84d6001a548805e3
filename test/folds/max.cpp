#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/max.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<tf::result_t<decltype(folds::max)>, std::optional<std::int64_t>>);
static_assert(tf::mergeable_fold<decltype(folds::max), int>);
static_assert(!tf::fold_over<decltype(folds::max), std::string>);
static_assert(tf::mergeable_fold<decltype(folds::max_as<std::string>), std::string>);

TEST_CASE_TEMPLATE("max_as<T> on empty, one and several inputs, and merged", T, std::int64_t, int,
                   double, std::uint32_t) {
  const auto f = folds::max_as<T>;
  CHECK_FALSE(tf::run(f, std::vector<T>{}).has_value());
  CHECK(tf::run(f, std::vector<T>{T(9)}) == std::optional<T>(T(9)));
  CHECK(tf::run(f, std::vector<T>{T(5), T(3), T(8), T(8), T(4)}) == std::optional<T>(T(8)));
  CHECK(tf::run(f, std::vector<T>{T(2), T(1)}) == std::optional<T>(T(2)));  // at the front
  CHECK(tf::run(f, std::vector<T>{T(1), T(2)}) == std::optional<T>(T(2)));  // at the back
  auto a = f.step(f.step(f.init(), T(6)), T(7));
  auto b = f.step(f.init(), T(2));
  CHECK(f.done(f.merge(a, b)) == std::optional<T>(T(7)));
  CHECK(f.done(f.merge(b, a)) == std::optional<T>(T(7)));
  CHECK(f.done(f.merge(a, f.init())) == std::optional<T>(T(7)));
  CHECK(f.done(f.merge(f.init(), a)) == std::optional<T>(T(7)));
  CHECK_FALSE(f.done(f.merge(f.init(), f.init())).has_value());
}

TEST_CASE("max of negative values, strings and durations") {
  CHECK(tf::run(folds::max, std::vector<int>{-1, -7, -3}) == -1);
  CHECK(tf::run(folds::max_as<double>, std::vector<double>{-0.5, -0.25}) == -0.25);
  CHECK(tf::run(folds::max_as<std::string>, std::vector<std::string>{"b", "a", "c"}) == "c");
  auto ts = tft::build({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 13}, {2, 1, 0, 5, 9}});
  CHECK(tf::run(tf::premap(folds::duration, folds::max), ts.spans()) == 100);
}
