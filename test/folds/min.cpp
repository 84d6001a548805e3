#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/min.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<tf::result_t<decltype(folds::min)>, std::optional<std::int64_t>>);
static_assert(tf::mergeable_fold<decltype(folds::min), int>);
static_assert(!tf::fold_over<decltype(folds::min), std::string>);
static_assert(tf::mergeable_fold<decltype(folds::min_as<std::string>), std::string>);

TEST_CASE_TEMPLATE("min_as<T> on empty, one and several inputs, and merged", T, std::int64_t, int,
                   double, std::uint32_t) {
  const auto f = folds::min_as<T>;
  CHECK_FALSE(tf::run(f, std::vector<T>{}).has_value());
  CHECK(tf::run(f, std::vector<T>{T(9)}) == std::optional<T>(T(9)));
  CHECK(tf::run(f, std::vector<T>{T(5), T(3), T(8), T(3), T(4)}) == std::optional<T>(T(3)));
  CHECK(tf::run(f, std::vector<T>{T(1), T(2)}) == std::optional<T>(T(1)));  // at the front
  CHECK(tf::run(f, std::vector<T>{T(2), T(1)}) == std::optional<T>(T(1)));  // at the back
  auto a = f.step(f.step(f.init(), T(6)), T(7));
  auto b = f.step(f.init(), T(2));
  CHECK(f.done(f.merge(a, b)) == std::optional<T>(T(2)));
  CHECK(f.done(f.merge(b, a)) == std::optional<T>(T(2)));
  CHECK(f.done(f.merge(a, f.init())) == std::optional<T>(T(6)));
  CHECK(f.done(f.merge(f.init(), a)) == std::optional<T>(T(6)));
  CHECK_FALSE(f.done(f.merge(f.init(), f.init())).has_value());
}

TEST_CASE("min of negative values, strings and durations") {
  CHECK(tf::run(folds::min, std::vector<int>{-1, -7, 0}) == -7);
  CHECK(tf::run(folds::min_as<double>, std::vector<double>{0.5, -0.25}) == -0.25);
  CHECK(tf::run(folds::min_as<std::string>, std::vector<std::string>{"b", "a", "c"}) == "a");
  auto ts = tft::build({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 13}, {2, 1, 0, 5, 9}});
  CHECK(tf::run(tf::premap(folds::duration, folds::min), ts.spans()) == 3);
}
