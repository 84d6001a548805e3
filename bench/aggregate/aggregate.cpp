/// @file
/// Recording latencies: `exponential_histogram` / `latency_histogram` against keeping every
/// value (`exact_quantiles`) and against a hand-written count/sum/min/max loop.
///
/// Input: 1,000,000 span durations in nanoseconds, pre-generated from a fixed seed: a mix of
/// log-normal populations (cache hits around 40 us, requests around 3 ms, slow queries around
/// 120 ms, and a 0.5% tail around 3 s), clamped to [1 ns, 1 day]. Like real latencies they span
/// about seven decades, so the histogram settles at scale 6 (1691 buckets).
/// Variants, each reported in time per value (`time_per_value`, CPU time) and values/s:
/// - `histogram/record`: `h.record(v)` in a loop, the floor of the histogram's cost;
/// - `histogram/run`: `tracefold::run(folds::latency_histogram{}, values)`, the fold machinery;
/// - `histogram/product`: `product(count, latency_histogram{}, sum)` in one pass;
/// - `histogram/run_parallel`: the same on 2 threads, merged;
/// - `exact_quantiles/run`: the keep-everything fold, including its final sort;
/// - `stats/hand`: count, sum, min and max by hand, no histogram at all.
///
/// And `folds::red_stats` over the 1,000,000 in-memory spans of bench/support/span_corpus.hpp
/// (49,936 traces, 5 services, 50 span names, 2 attributes per span), in spans/s:
/// - `red_stats/run`: grouped by service, name, kind and status (50 groups);
/// - `red_stats/run_attribute`: also by the `http.status_code` attribute;
/// - `red_stats/run_parallel`: the first on 2 threads, merged.
/// Each is checked first against a count per (service, name) taken straight from the
/// generator's spans, and the parallel result against the sequential one.
/// Before timing, each variant's count and sum are compared with the input's, and the
/// histogram's p50/p99/p999 with exact_quantiles' within the scale's error bound; a mismatch
/// fails the benchmark (`wrong result: ...`).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tracefold/tracefold.hpp>
#include <utility>
#include <vector>

#include "../support/bench_main.hpp"
#include "../support/span_corpus.hpp"

namespace {

namespace tf = tracefold;
namespace folds = tracefold::folds;
using tracefold::bench::check;

constexpr std::size_t value_count = 1'000'000;

/// The durations; see the file comment.
const std::vector<std::uint64_t>& values() {
  static const std::vector<std::uint64_t> v = [] {
    std::mt19937_64 rng(20240611);
    std::uniform_real_distribution<double> pick(0, 1);
    std::lognormal_distribution<double> hit(std::log(40e3), 0.6);
    std::lognormal_distribution<double> request(std::log(3e6), 0.9);
    std::lognormal_distribution<double> query(std::log(120e6), 0.7);
    std::lognormal_distribution<double> tail(std::log(3e9), 1.2);
    std::vector<std::uint64_t> out;
    out.reserve(value_count);
    for (std::size_t i = 0; i < value_count; ++i) {
      const double p = pick(rng);
      const double d = p < 0.30    ? hit(rng)
                       : p < 0.85  ? request(rng)
                       : p < 0.995 ? query(rng)
                                   : tail(rng);
      out.push_back(static_cast<std::uint64_t>(std::clamp(std::round(d), 1.0, 86'400e9)));
    }
    return out;
  }();
  return v;
}

/// Count and exact sum of the input, as every variant must report them.
struct totals {
  std::uint64_t count = 0;
  std::uint64_t sum = 0;  // 1e6 values of at most 1 day: below 2^64
};

const totals& reference() {
  static const totals t = [] {
    totals r;
    for (const std::uint64_t v : values()) {
      ++r.count;
      r.sum += v;
    }
    return r;
  }();
  return t;
}

const folds::exact_quantiles_fn::result_type& exact() {
  static const auto e = tf::run(folds::exact_quantiles, values());
  return e;
}

/// Whether `count` and `sum` are the input's; else fails `state`.
bool same_totals(benchmark::State& state, std::uint64_t count, double sum,
                 const std::string& what) {
  const totals& r = reference();
  return check(state, count == r.count && sum == static_cast<double>(r.sum),
               what + ": count " + std::to_string(count) + " sum " + std::to_string(sum) +
                   ", want count " + std::to_string(r.count) + " sum " + std::to_string(r.sum));
}

/// Whether `h` has the input's count and sum and quantiles within its error bound.
bool good_histogram(benchmark::State& state, const folds::exponential_histogram& h,
                    const std::string& what) {
  if (!same_totals(state, h.count(), h.sum(), what)) return false;
  for (const double q : {0.0, 0.5, 0.99, 0.999, 1.0}) {
    const double want = static_cast<double>(*exact().quantile(q));
    const double got = h.quantile(q).value_or(-1);
    if (!check(state, std::abs(got - want) <= h.relative_error_bound() * want,
               what + ": quantile(" + std::to_string(q) + ") " + std::to_string(got) + ", want " +
                   std::to_string(want) + " within " + std::to_string(h.relative_error_bound())))
      return false;
  }
  return check(state, h.scale() >= 6, what + ": scale " + std::to_string(h.scale()) + " < 6");
}

void set_rate(benchmark::State& state) {
  const auto n = static_cast<double>(values().size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(values().size()));
  // Seconds per value, printed with an SI prefix: "6.5ns".
  state.counters["time_per_value"] = benchmark::Counter(
      n, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Each variant folds the whole input in one non-inlined function, as a caller's pass over a
// large range does. (Inlined straight into the benchmark loop, g++ 12 compiled `run` and
// `product` about 1.8x slower than `record`, and the same code in a function of its own as
// fast: the difference is the benchmark's codegen, not the fold's.)

[[gnu::noinline]] folds::exponential_histogram record_all(const std::vector<std::uint64_t>& xs) {
  folds::exponential_histogram h;
  for (const std::uint64_t v : xs) h.record(v);
  return h;
}

void histogram_record(benchmark::State& state) {
  const auto& xs = values();
  const folds::exponential_histogram h = record_all(xs);
  if (!good_histogram(state, h, "record")) return;
  for (auto _ : state) benchmark::DoNotOptimize(record_all(xs));
  set_rate(state);
  state.counters["scale"] = h.scale();
  state.counters["buckets"] = static_cast<double>(h.bucket_counts().size());
}

[[gnu::noinline]] folds::exponential_histogram run_all(const std::vector<std::uint64_t>& xs) {
  return tf::run(folds::latency_histogram{}, xs);
}

void histogram_run(benchmark::State& state) {
  const auto& xs = values();
  if (!good_histogram(state, run_all(xs), "run")) return;
  for (auto _ : state) benchmark::DoNotOptimize(run_all(xs));
  set_rate(state);
}

[[gnu::noinline]] auto product_all(const std::vector<std::uint64_t>& xs) {
  return tf::run(
      tf::product(folds::count, folds::latency_histogram{}, folds::sum_as<std::uint64_t>), xs);
}

void histogram_product(benchmark::State& state) {
  const auto& xs = values();
  const auto [n, h, total] = product_all(xs);
  if (!good_histogram(state, h, "product")) return;
  if (!same_totals(state, n, static_cast<double>(total), "product count and sum")) return;
  for (auto _ : state) benchmark::DoNotOptimize(product_all(xs));
  set_rate(state);
}

void histogram_run_parallel(benchmark::State& state) {
  const auto& xs = values();
  const folds::latency_histogram f{};
  const auto whole = tf::run(f, xs);
  if (!check(state, tf::run_parallel(f, xs, 2) == whole, "run_parallel != run")) return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run_parallel(f, xs, 2));
  set_rate(state);
}

[[gnu::noinline]] folds::exact_quantiles_fn::result_type keep_all(
    const std::vector<std::uint64_t>& xs) {
  return tf::run(folds::exact_quantiles, xs);
}

void exact_quantiles_run(benchmark::State& state) {
  const auto& xs = values();
  const auto e = keep_all(xs);
  if (!same_totals(state, e.count(), e.sum(), "exact_quantiles")) return;
  for (auto _ : state) benchmark::DoNotOptimize(keep_all(xs));
  set_rate(state);
}

[[gnu::noinline]] totals hand_totals(const std::vector<std::uint64_t>& xs, std::uint64_t& lo,
                                     std::uint64_t& hi) {
  totals t;
  lo = std::numeric_limits<std::uint64_t>::max();
  hi = 0;
  for (const std::uint64_t v : xs) {
    ++t.count;
    t.sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return t;
}

void stats_hand(benchmark::State& state) {
  const auto& xs = values();
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  const totals t = hand_totals(xs, lo, hi);
  if (!same_totals(state, t.count, static_cast<double>(t.sum), "hand")) return;
  for (auto _ : state) {
    benchmark::DoNotOptimize(hand_totals(xs, lo, hi));
    benchmark::DoNotOptimize(lo);
    benchmark::DoNotOptimize(hi);
  }
  set_rate(state);
}

// ---- red_stats over in-memory traces ----

const tf::bench::span_corpus& corpus() {
  static const tf::bench::span_corpus c(value_count);
  return c;
}

const tf::trace_set& traces() {
  static const tf::trace_set ts = corpus().build();
  return ts;
}

/// Spans per (service, name), from the generator's input (not from the trace_set).
std::map<std::pair<std::string, std::string>, std::uint64_t> reference_counts() {
  std::map<std::pair<std::string, std::string>, std::uint64_t> out;
  const auto& c = corpus();
  for (std::size_t i = 0; i < c.spans.size(); ++i)
    ++out[{c.service_names[c.service_of[i]], std::string(c.spans[i].name)}];
  return out;
}

bool good_table(benchmark::State& state, const folds::red_table& t) {
  if (!check(state, t.spans == corpus().spans.size() && t.traces == traces().trace_count(),
             "red_stats saw " + std::to_string(t.spans) + " spans in " + std::to_string(t.traces) +
                 " traces"))
    return false;
  std::map<std::pair<std::string, std::string>, std::uint64_t> got;
  for (const auto& g : t.groups) got[{g.key.service, g.key.name}] += g.count;
  return check(state, got == reference_counts(), "red_stats counts per operation differ");
}

void set_span_rate(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(corpus().spans.size()));
}

void red_stats_run(benchmark::State& state) {
  const folds::red_stats f{};
  if (!good_table(state, tf::run(f, traces().traces()))) return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run(f, traces().traces()));
  set_span_rate(state);
}

void red_stats_run_attribute(benchmark::State& state) {
  const folds::red_stats f{{.attributes = {"http.status_code"}}};
  const folds::red_table t = tf::run(f, traces().traces());
  if (!good_table(state, t)) return;
  if (!check(state, t.groups.size() > 50, "grouping by http.status_code made no more groups"))
    return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run(f, traces().traces()));
  set_span_rate(state);
  state.counters["groups"] = static_cast<double>(t.groups.size());
}

void red_stats_run_parallel(benchmark::State& state) {
  const folds::red_stats f{};
  const folds::red_table whole = tf::run(f, traces().traces());
  if (!good_table(state, whole)) return;
  if (!check(state, tf::run_parallel(f, traces().traces(), 2) == whole, "run_parallel != run"))
    return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run_parallel(f, traces().traces(), 2));
  set_span_rate(state);
}

BENCHMARK(histogram_record)->Name("histogram/record")->Unit(benchmark::kMillisecond);
BENCHMARK(histogram_run)->Name("histogram/run")->Unit(benchmark::kMillisecond);
BENCHMARK(histogram_product)->Name("histogram/product")->Unit(benchmark::kMillisecond);
BENCHMARK(histogram_run_parallel)
    ->Name("histogram/run_parallel")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(exact_quantiles_run)->Name("exact_quantiles/run")->Unit(benchmark::kMillisecond);
BENCHMARK(stats_hand)->Name("stats/hand")->Unit(benchmark::kMillisecond);
BENCHMARK(red_stats_run)->Name("red_stats/run")->Unit(benchmark::kMillisecond);
BENCHMARK(red_stats_run_attribute)->Name("red_stats/run_attribute")->Unit(benchmark::kMillisecond);
BENCHMARK(red_stats_run_parallel)
    ->Name("red_stats/run_parallel")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

TRACEFOLD_BENCHMARK_MAIN();
