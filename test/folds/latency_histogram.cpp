#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <laws/laws.hpp>
#include <random>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/group_by.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/exact_quantiles.hpp>
#include <tracefold/folds/latency_histogram.hpp>
#include <tracefold/folds/name.hpp>
#include <tracefold/folds/sum.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;
using hist = folds::exponential_histogram;

static_assert(
    std::is_same_v<tf::state_t<folds::latency_histogram>, folds::latency_histogram::state_type>);
static_assert(sizeof(folds::latency_histogram::state_type) == sizeof(void*));  // cheap to move
static_assert(std::is_same_v<tf::result_t<folds::latency_histogram>, hist>);
static_assert(tf::mergeable_fold<folds::latency_histogram, std::uint64_t>);
static_assert(tf::mergeable_fold<folds::latency_histogram, std::int64_t>);
static_assert(tf::mergeable_fold<folds::latency_histogram, int>);
static_assert(tf::mergeable_fold<folds::latency_histogram, double>);
static_assert(tf::mergeable_fold<folds::latency_histogram, float>);
static_assert(tf::mergeable_fold<folds::latency_histogram, tf::span_ref>);
static_assert(tf::mergeable_fold<folds::latency_histogram, tf::span>);
static_assert(!tf::fold_over<folds::latency_histogram, std::string>);
static_assert(!tf::fold_over<folds::latency_histogram, bool>);

namespace {

/// Seeded log-normal latencies around 2 ms, as integers.
std::vector<std::uint64_t> latencies(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(std::log(2e6), 1.5);
  std::vector<std::uint64_t> out(n);
  for (auto& x : out) x = static_cast<std::uint64_t>(std::round(d(rng)));
  return out;
}

}  // namespace

TEST_CASE("latency_histogram: init, step, merge and done") {
  const folds::latency_histogram f{};
  CHECK(f.init().get() == nullptr);  // nothing allocated before the first input
  CHECK(f.done(f.init()) == hist());
  CHECK(f.max_size == 2048);
  CHECK(f.max_scale == 20);
  const auto xs = latencies(10'000, 1);
  hist direct;
  for (const std::uint64_t v : xs) direct.record(v);
  const hist h = tf::run(f, xs);
  CHECK(h == direct);
  CHECK(h.count() == xs.size());
  auto state = f.init();
  for (const std::uint64_t v : xs) state = f.step(std::move(state), v);
  REQUIRE(state.get() != nullptr);
  CHECK(*state.get() == h);
  CHECK(f.done(f.merge(f.init(), state)) == h);
  CHECK(f.done(f.merge(state, f.init())) == h);
  // A copy of the state is deep.
  auto copy = state;
  copy = f.step(std::move(copy), 1);
  CHECK(copy.get()->count() == h.count() + 1);
  CHECK(state.get()->count() == h.count());
  copy = state;
  CHECK(*copy.get() == h);
  // Mixed input types are converted the same way.
  auto s = f.step(f.init(), 5);
  s = f.step(std::move(s), 5.4);
  s = f.step(std::move(s), std::uint64_t{5});
  s = f.step(std::move(s), -3);
  const hist m = f.done(std::move(s));
  CHECK(m.count() == 3);
  CHECK(m.rejected_count() == 1);
  CHECK(m.bucket_counts().size() == 1);
}

TEST_CASE("latency_histogram: limits set by designated initialisers") {
  const folds::latency_histogram f{.max_size = 160, .max_scale = 10};
  CHECK(f.done(f.init()).max_size() == 160);
  CHECK(f.done(f.init()).scale() == 10);
  CHECK(f.done(f.step(f.init(), 7)).max_size() == 160);
  CHECK(f.done(f.step(f.init(), 7)).scale() == 10);
  const hist h = tf::run(f, latencies(10'000, 2));
  CHECK(h.bucket_counts().size() <= 160);
  CHECK(h.scale() <= 10);
  const hist coarse = tf::run(folds::latency_histogram{.max_size = 64}, latencies(10'000, 2));
  CHECK(coarse.scale() < h.scale());
}

TEST_CASE("latency_histogram over spans records their durations; negative ones are rejected") {
  const auto ts = tft::build({{1, 1, 0, 0, 100},
                              {1, 2, 1, 10, 30},
                              {1, 3, 1, 40, 40},    // zero
                              {2, 1, 0, 500, 400},  // end before start
                              {2, 2, 1, 410, 1'000'410}});
  const hist h = tf::run(folds::latency_histogram{}, ts.spans());
  CHECK(h.count() == 4);
  CHECK(h.rejected_count() == 1);
  CHECK(h.zero_count() == 1);
  CHECK(h.min() == 0);
  CHECK(h.max() == 1'000'000);
  CHECK(h.sum() == 100 + 20 + 1'000'000);
  // The same through premap(duration, ...) and over the traces with each_span.
  CHECK(tf::run(tf::premap(folds::duration, folds::latency_histogram{}), ts.spans()) == h);
  CHECK(tf::run(tf::each_span(folds::latency_histogram{}), ts.traces()) == h);
}

TEST_CASE("latency_histogram: run_parallel equals run, for 1 to 7 threads") {
  auto xs = latencies(200'000, 3);
  xs.insert(xs.end(), {0, 0, 1, std::uint64_t{1} << 45});  // widen the range of the last chunk
  const folds::latency_histogram f{};
  const hist whole = tf::run(f, xs);
  for (unsigned threads : {1u, 2u, 3u, 4u, 7u}) {
    CAPTURE(threads);
    CHECK(tf::run_parallel(f, xs, threads) == whole);
  }
  CHECK(tf::run_parallel(f, xs) == whole);
  // Chunks whose ranges differ (sorted input): the per-thread states end at different scales.
  std::sort(xs.begin(), xs.end());
  const hist sorted = tf::run(f, xs);
  CHECK(sorted == whole);
  CHECK(tf::run_parallel(f, xs, 3) == whole);
  auto lo = f.init();
  auto hi = f.init();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    auto& s = i < 1000 ? lo : hi;
    s = f.step(std::move(s), xs[i]);
  }
  CHECK(lo.get()->scale() != hi.get()->scale());
  CHECK(f.done(f.merge(lo, hi)) == whole);
  CHECK(f.done(f.merge(hi, lo)) == whole);
}

TEST_CASE("latency_histogram in a product and in group_by") {
  const auto ts = tft::random_set(7, tft::shape::random, 120);
  const folds::latency_histogram h{};
  const auto [n, total, hg, eq] = tf::run(
      tf::product(folds::count, tf::premap(folds::duration, folds::sum), h, folds::exact_quantiles),
      ts.spans());
  const hist alone = tf::run(h, ts.spans());
  CHECK(hg == alone);
  CHECK(hg.count() == n);
  CHECK(hg.sum() == static_cast<double>(total));
  CHECK(eq.count() == n);
  for (const double q : {0.0, 0.5, 0.9, 0.99, 1.0}) {
    CAPTURE(q);
    const double want = static_cast<double>(*eq.quantile(q));
    CHECK(std::abs(*hg.quantile(q) - want) <= hg.relative_error_bound() * want * (1 + 1e-9));
  }
  const auto by_name = tf::run(tf::group_by(folds::name, h), ts.spans());
  std::uint64_t counted = 0;
  for (const auto& [name, g] : by_name) counted += g.count();
  CHECK(counted == n);
  CHECK(tfl::group_by_law(folds::name, h, tfl::spans_of(ts)));
  CHECK(tfl::banana_split(tfl::spans_of(ts), folds::count, h,
                          tf::premap(folds::duration, folds::sum)));
}

TEST_CASE("law: latency_histogram merges exactly on every random trace_set") {
  const folds::latency_histogram h{};
  const folds::latency_histogram small{.max_size = 8, .max_scale = 12};  // many downscales
  const std::size_t sets = tfl::for_each_trace_set([&](const tf::trace_set& ts, tfl::trace_case c) {
    const auto xs = tfl::spans_of(ts);
    for (const auto& f : {h, small}) {
      CAPTURE(f.max_size);
      CHECK(tfl::merge_identity(f, xs, c.seed));
      CHECK(tfl::merge_associative(f, xs, c.seed));
      CHECK(tfl::split_merge(f, xs, c.seed));
      CHECK(tfl::parallel_equals_run(f, xs));
      CHECK(tfl::each_span_flattens(f, ts));
    }
    CHECK(tfl::split_merge(tf::each_span(h), ts.traces(), c.seed));
  });
  CHECK(sets >= 200);
}
