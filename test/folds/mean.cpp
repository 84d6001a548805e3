#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <range/v3/view/iota.hpp>
#include <range/v3/view/transform.hpp>
#include <support/make_traces.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/mean.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<tf::result_t<folds::mean_fn>, std::optional<double>>);
static_assert(tf::mergeable_fold<folds::mean_fn, int>);
static_assert(tf::mergeable_fold<folds::mean_fn, double>);
static_assert(!tf::fold_over<folds::mean_fn, tf::span_ref>);

TEST_CASE_TEMPLATE("mean on empty, one and several inputs", T, int, std::int64_t, float, double) {
  CHECK_FALSE(tf::run(folds::mean, std::vector<T>{}).has_value());
  CHECK(tf::run(folds::mean, std::vector<T>{T(7)}) == 7.0);
  CHECK(tf::run(folds::mean, std::vector<T>{T(1), T(2), T(3), T(6)}).value() ==
        doctest::Approx(3.0));
  CHECK(tf::run(folds::mean, std::vector<T>{T(-4), T(4)}).value() == doctest::Approx(0.0));
}

TEST_CASE("mean merges halves into the mean of the whole") {
  const std::vector<double> xs{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100};
  const double whole = tf::run(folds::mean, xs).value();
  CHECK(whole == doctest::Approx(155.0 / 11));
  const auto f = folds::mean;
  for (std::size_t cut = 0; cut <= xs.size(); ++cut) {
    CAPTURE(cut);
    auto a = f.init();
    auto b = f.init();
    for (std::size_t i = 0; i < xs.size(); ++i) (i < cut ? a : b) = f.step(i < cut ? a : b, xs[i]);
    const auto merged = f.done(f.merge(a, b));
    REQUIRE(merged.has_value());
    CHECK(*merged == doctest::Approx(whole).epsilon(1e-12));
    CHECK(f.merge(a, b).n == xs.size());
  }
  CHECK_FALSE(f.done(f.merge(f.init(), f.init())).has_value());
  // Weights: one value against three.
  auto one = f.step(f.init(), 0.0);
  auto three = f.step(f.step(f.step(f.init(), 4.0), 4.0), 4.0);
  CHECK(f.done(f.merge(one, three)) == 3.0);
  CHECK(f.done(f.merge(three, one)) == 3.0);
}

TEST_CASE("mean is numerically stable where sum / n is not") {
  // Ten million times 1e9 + 0.25: the running sum passes 1e16, where a double's spacing is 2,
  // so sum / n drifts; Welford's update keeps the mean exact.
  constexpr int n = 10'000'000;
  constexpr double x = 1e9 + 0.25;
  auto xs = ranges::views::iota(0, n) | ranges::views::transform([](int) { return x; });
  double naive_sum = 0;
  for (double v : xs) naive_sum += v;
  const double naive = naive_sum / n;
  const auto m = tf::run(folds::mean, xs);
  REQUIRE(m.has_value());
  CHECK(std::abs(naive - x) > 0.01);  // the naive mean is visibly off
  CHECK(*m == x);                     // Welford is exact here
  // Merged in two unequal parts, still exact.
  const auto f = folds::mean;
  auto a = f.init();
  auto b = f.init();
  for (int i = 0; i < n; ++i) (i < n / 3 ? a : b) = f.step(i < n / 3 ? a : b, x);
  CHECK(f.done(f.merge(a, b)) == x);
}

TEST_CASE("mean of huge values does not overflow") {
  const std::vector<double> xs(1000, 1e308);
  double naive_sum = 0;
  for (double v : xs) naive_sum += v;
  CHECK(std::isinf(naive_sum));
  const auto m = tf::run(folds::mean, xs);
  REQUIRE(m.has_value());
  CHECK(std::isfinite(*m));
  CHECK(*m == 1e308);
  const double max = std::numeric_limits<double>::max();
  CHECK(tf::run(folds::mean, std::vector<double>{max, max}) == max);
}

TEST_CASE("mean of span durations") {
  auto ts = tft::build({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 30}, {2, 1, 0, 5, 11}});
  CHECK(tf::run(tf::premap(folds::duration, folds::mean), ts.spans()).value() ==
        doctest::Approx(42.0));
}
