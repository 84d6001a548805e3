#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <laws/laws.hpp>
#include <random>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/exact_quantiles.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;
using result = folds::exact_quantiles_fn::result_type;

static_assert(std::is_same_v<tf::result_t<folds::exact_quantiles_fn>, result>);
static_assert(tf::mergeable_fold<folds::exact_quantiles_fn, std::uint64_t>);
static_assert(tf::mergeable_fold<folds::exact_quantiles_fn, int>);
static_assert(tf::mergeable_fold<folds::exact_quantiles_fn, double>);
static_assert(tf::mergeable_fold<folds::exact_quantiles_fn, tf::span_ref>);
static_assert(!tf::fold_over<folds::exact_quantiles_fn, std::string>);
static_assert(!tf::fold_over<folds::exact_quantiles_fn, bool>);

TEST_CASE("exact_quantiles on no input") {
  const result r = tf::run(folds::exact_quantiles, std::vector<std::uint64_t>{});
  CHECK(r.count() == 0);
  CHECK(r.rejected_count() == 0);
  CHECK(r.min() == 0);
  CHECK(r.max() == 0);
  CHECK(r.sum() == 0);
  CHECK(r.values().empty());
  CHECK_FALSE(r.quantile(0).has_value());
  CHECK_FALSE(r.quantile(0.5).has_value());
  CHECK(r == result());
}

TEST_CASE("exact_quantiles: nearest rank ceil(q * n), rank 1 for q = 0") {
  std::vector<std::uint64_t> xs;
  for (std::uint64_t v = 1; v <= 100; ++v) xs.push_back(v * 10);
  std::shuffle(xs.begin(), xs.end(), std::mt19937_64(1));
  const result r = tf::run(folds::exact_quantiles, xs);
  CHECK(r.count() == 100);
  CHECK(r.min() == 10);
  CHECK(r.max() == 1000);
  CHECK(r.sum() == 50'500);
  CHECK(std::is_sorted(r.values().begin(), r.values().end()));
  CHECK(r.quantile(0) == 10u);
  CHECK(r.quantile(0.001) == 10u);
  CHECK(r.quantile(0.01) == 10u);
  CHECK(r.quantile(0.011) == 20u);  // ceil(1.1) = 2
  CHECK(r.quantile(0.07) == 70u);   // 0.07 * 100 is 7.000000000000001 in doubles: still rank 7
  CHECK(r.quantile(0.29) == 290u);
  CHECK(r.quantile(0.5) == 500u);
  CHECK(r.quantile(0.505) == 510u);
  CHECK(r.quantile(0.99) == 990u);
  CHECK(r.quantile(0.999) == 1000u);
  CHECK(r.quantile(1) == 1000u);
  CHECK(r.quantile(-3) == 10u);
  CHECK(r.quantile(7) == 1000u);
  CHECK_FALSE(r.quantile(std::nan("")).has_value());
  // Every q = k / 100 gives rank k exactly.
  for (int k = 1; k <= 100; ++k) CHECK(r.quantile(k / 100.0) == static_cast<std::uint64_t>(k * 10));
}

TEST_CASE("exact_quantiles: one and two values") {
  const result one = tf::run(folds::exact_quantiles, std::vector<int>{42});
  for (const double q : {0.0, 0.5, 1.0}) CHECK(one.quantile(q) == 42u);
  const result two = tf::run(folds::exact_quantiles, std::vector<int>{9, 3});
  CHECK(two.quantile(0.5) == 3u);
  CHECK(two.quantile(0.51) == 9u);
}

TEST_CASE("exact_quantiles converts inputs as latency_histogram does") {
  const result r =
      tf::run(folds::exact_quantiles, std::vector<double>{-1, 0.4, 2.5, std::nan(""), 0x1p64, 1e3});
  CHECK(r.count() == 3);
  CHECK(r.rejected_count() == 3);
  CHECK(std::vector<std::uint64_t>(r.values().begin(), r.values().end()) ==
        std::vector<std::uint64_t>{0, 3, 1000});
}

TEST_CASE("exact_quantiles sums exactly past 2^64") {
  const std::vector<std::uint64_t> xs(4, std::uint64_t{1} << 63);
  CHECK(tf::run(folds::exact_quantiles, xs).sum() == 0x1p65);
}

TEST_CASE("exact_quantiles merges by concatenation; run_parallel equals run") {
  const auto f = folds::exact_quantiles;
  std::vector<std::uint64_t> xs(10'000);
  std::mt19937_64 rng(2);
  for (auto& x : xs) x = rng() >> (rng() % 64);
  const result whole = tf::run(f, xs);
  for (unsigned threads : {1u, 2u, 3u, 7u}) CHECK(tf::run_parallel(f, xs, threads) == whole);
  auto a = f.step(f.step(f.init(), 1), -2);
  auto b = f.step(f.init(), 5);
  const auto ab = f.merge(a, b);
  CHECK(ab.values == std::vector<std::uint64_t>{1, 5});
  CHECK(ab.rejected == 1);
  CHECK(f.merge(f.init(), a) == a);
  CHECK(f.merge(a, f.init()) == a);
}

TEST_CASE("exact_quantiles over spans") {
  const auto ts = tft::build({{1, 1, 0, 0, 100}, {1, 2, 1, 10, 30}, {2, 1, 0, 50, 20}});
  const result r = tf::run(folds::exact_quantiles, ts.spans());
  CHECK(std::vector<std::uint64_t>(r.values().begin(), r.values().end()) ==
        std::vector<std::uint64_t>{20, 100});
  CHECK(r.rejected_count() == 1);
  CHECK(tf::run(tf::each_span(folds::exact_quantiles), ts.traces()) == r);
}

TEST_CASE("law: exact_quantiles merges exactly on every random trace_set") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case c) {
    const auto xs = tfl::spans_of(ts);
    CHECK(tfl::merge_identity(folds::exact_quantiles, xs, c.seed));
    CHECK(tfl::merge_associative(folds::exact_quantiles, xs, c.seed));
    CHECK(tfl::split_merge(folds::exact_quantiles, xs, c.seed));
    CHECK(tfl::parallel_equals_run(folds::exact_quantiles, xs));
  });
  CHECK(sets >= 200);
}
