/// @file
/// Fused folds versus separate passes versus a hand-written loop, over 1,000,000 spans.
///
/// Three workloads over the same trace_set (see bench/support/span_corpus.hpp):
/// - `count`;
/// - `stats`: product(count, sum, min, max), the last three over `premap(folds::duration, ...)`;
/// - `group_by`: group_by(folds::name, stats) — 50 groups.
/// Each workload runs as
/// - `fused`: one `run` of the product over `ts.spans()` (one pass);
/// - `fused_each_span`: the same product lifted with `each_span`, run over `ts.traces()`;
/// - `separate`: one `run` per component fold (four passes);
/// - `hand`: a hand-written loop doing the same work with no fold machinery.
/// Every variant's answer is compared with a reference computed from the generator's input
/// spans (not from the trace_set) before anything is timed; a mismatch fails the benchmark.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/tracefold.hpp>
#include <tuple>
#include <unordered_map>

#include "../support/bench_main.hpp"
#include "../support/span_corpus.hpp"

namespace {

namespace tf = tracefold;
namespace folds = tracefold::folds;
using tracefold::bench::check;

constexpr std::size_t span_count = 1'000'000;

const tf::bench::span_corpus& corpus() {
  static const tf::bench::span_corpus c(span_count);
  return c;
}

const tf::trace_set& data() {
  static const tf::trace_set ts = corpus().build();
  return ts;
}

/// count, sum, min and max of durations, as every variant reports them.
struct stats {
  std::uint64_t count = 0;
  std::int64_t sum = 0;
  std::optional<std::int64_t> min, max;

  void add(std::int64_t d) {
    ++count;
    sum += d;
    if (!min || d < *min) min = d;
    if (!max || d > *max) max = d;
  }
  friend bool operator==(const stats&, const stats&) = default;
};

using stats_tuple = std::tuple<std::uint64_t, std::int64_t, std::optional<std::int64_t>,
                               std::optional<std::int64_t>>;

stats to_stats(const stats_tuple& t) {
  return {std::get<0>(t), std::get<1>(t), std::get<2>(t), std::get<3>(t)};
}

std::string describe(const stats& s) {
  return "count " + std::to_string(s.count) + " sum " + std::to_string(s.sum) + " min " +
         (s.min ? std::to_string(*s.min) : "-") + " max " + (s.max ? std::to_string(*s.max) : "-");
}

// ---- references: straight from the generator's input, independent of trace_set and folds ----

const stats& reference_stats() {
  static const stats r = [] {
    stats s;
    for (const tf::span& sp : corpus().spans) s.add(sp.duration_ns());
    return s;
  }();
  return r;
}

const std::map<std::string, stats>& reference_groups() {
  static const std::map<std::string, stats> r = [] {
    std::map<std::string, stats> m;
    for (const tf::span& sp : corpus().spans) m[std::string(sp.name)].add(sp.duration_ns());
    return m;
  }();
  return r;
}

/// Whether `got` is the reference count; else fails `state`.
bool same_count(benchmark::State& state, std::uint64_t got) {
  const std::uint64_t want = reference_stats().count;
  return check(state, got == want,
               "count " + std::to_string(got) + ", want " + std::to_string(want));
}

/// Whether `got` equals the reference stats; else fails `state`.
bool same_stats(benchmark::State& state, const stats& got) {
  return check(state, got == reference_stats(),
               describe(got) + ", want " + describe(reference_stats()));
}

/// Whether `got` equals the reference groups; `what` says which variant, for the message.
bool same_groups(benchmark::State& state, const std::map<std::string, stats>& got,
                 const std::string& what) {
  std::string diff;
  if (got.size() != reference_groups().size()) {
    diff =
        std::to_string(got.size()) + " groups, want " + std::to_string(reference_groups().size());
  } else {
    for (const auto& [k, v] : reference_groups()) {
      auto it = got.find(k);
      if (it == got.end()) {
        diff = "no group '" + k + "'";
        break;
      }
      if (it->second != v) {
        diff = "group '" + k + "': " + describe(it->second) + ", want " + describe(v);
        break;
      }
    }
  }
  return check(state, diff.empty(), what + ": " + diff);
}

// ---- the folds under test ----

const auto stats_fold =
    tf::product(folds::count, tf::premap(folds::duration, folds::sum),
                tf::premap(folds::duration, folds::min), tf::premap(folds::duration, folds::max));
const auto by_name = tf::group_by(folds::name, stats_fold);

// ---- hand-written loops: the same work, no fold machinery ----

std::uint64_t hand_count(const tf::trace_set& ts) {
  std::uint64_t n = 0;
  for (tf::trace t : ts.traces())
    for ([[maybe_unused]] tf::span_ref r : t) ++n;  // the compiler may sum sizes instead
  return n;
}

/// Running count/sum/min/max with sentinels instead of optionals, as one writes it by hand.
struct hand_acc {
  std::uint64_t count = 0;
  std::int64_t sum = 0;
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();

  void add(std::int64_t d) {
    ++count;
    sum += d;
    min = std::min(min, d);
    max = std::max(max, d);
  }
  [[nodiscard]] stats result() const {
    if (count == 0) return {};
    return {count, sum, min, max};
  }
};

stats hand_stats(const tf::trace_set& ts) {
  hand_acc a;
  for (tf::trace t : ts.traces())
    for (tf::span_ref r : t) a.add(r->duration_ns());
  return a.result();
}

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

/// Same work as group_by: owned string keys, heterogeneous lookup, a map ordered by key out.
std::map<std::string, stats> hand_groups(const tf::trace_set& ts) {
  std::unordered_map<std::string, hand_acc, string_hash, std::equal_to<>> m;
  for (tf::trace t : ts.traces()) {
    for (tf::span_ref r : t) {
      auto it = m.find(r->name);
      if (it == m.end()) it = m.emplace(std::string(r->name), hand_acc{}).first;
      it->second.add(r->duration_ns());
    }
  }
  std::map<std::string, stats> out;
  for (const auto& [k, v] : m) out.emplace(k, v.result());
  return out;
}

// ---- separate passes: one run per fold ----

stats separate_stats(const tf::trace_set& ts) {
  const std::uint64_t c = tf::run(folds::count, ts.spans());
  const std::int64_t s = tf::run(tf::premap(folds::duration, folds::sum), ts.spans());
  const auto lo = tf::run(tf::premap(folds::duration, folds::min), ts.spans());
  const auto hi = tf::run(tf::premap(folds::duration, folds::max), ts.spans());
  return {c, s, lo, hi};
}

std::map<std::string, stats> separate_groups(const tf::trace_set& ts) {
  auto c = tf::run(tf::group_by(folds::name, folds::count), ts.spans());
  auto s = tf::run(tf::group_by(folds::name, tf::premap(folds::duration, folds::sum)), ts.spans());
  auto lo = tf::run(tf::group_by(folds::name, tf::premap(folds::duration, folds::min)), ts.spans());
  auto hi = tf::run(tf::group_by(folds::name, tf::premap(folds::duration, folds::max)), ts.spans());
  std::map<std::string, stats> out;
  for (const auto& [k, n] : c) out[k] = {n, s.at(k), lo.at(k), hi.at(k)};
  return out;
}

std::map<std::string, stats> to_stats_map(const std::map<std::string, stats_tuple>& m) {
  std::map<std::string, stats> out;
  for (const auto& [k, v] : m) out.emplace(k, to_stats(v));
  return out;
}

void set_rate(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(data().span_count()));
  state.counters["spans"] = static_cast<double>(data().span_count());
  state.counters["traces"] = static_cast<double>(data().trace_count());
}

// ---- count ----

void count_fused(benchmark::State& state) {
  const tf::trace_set& ts = data();
  const std::uint64_t got = tf::run(folds::count, ts.spans());
  if (!same_count(state, got)) return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run(folds::count, ts.spans()));
  set_rate(state);
}

void count_fused_each_span(benchmark::State& state) {
  const tf::trace_set& ts = data();
  const auto f = tf::each_span(folds::count);
  const std::uint64_t got = tf::run(f, ts.traces());
  if (!same_count(state, got)) return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run(f, ts.traces()));
  set_rate(state);
}

void count_hand(benchmark::State& state) {
  const tf::trace_set& ts = data();
  const std::uint64_t got = hand_count(ts);
  if (!same_count(state, got)) return;
  for (auto _ : state) benchmark::DoNotOptimize(hand_count(ts));
  set_rate(state);
}

// ---- product(count, sum, min, max) ----

void stats_fused(benchmark::State& state) {
  const tf::trace_set& ts = data();
  const stats got = to_stats(tf::run(stats_fold, ts.spans()));
  if (!same_stats(state, got)) return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run(stats_fold, ts.spans()));
  set_rate(state);
}

void stats_fused_each_span(benchmark::State& state) {
  const tf::trace_set& ts = data();
  const auto f = tf::each_span(stats_fold);
  const stats got = to_stats(tf::run(f, ts.traces()));
  if (!same_stats(state, got)) return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run(f, ts.traces()));
  set_rate(state);
}

void stats_separate(benchmark::State& state) {
  const tf::trace_set& ts = data();
  const stats got = separate_stats(ts);
  if (!same_stats(state, got)) return;
  for (auto _ : state) benchmark::DoNotOptimize(separate_stats(ts));
  set_rate(state);
}

void stats_hand(benchmark::State& state) {
  const tf::trace_set& ts = data();
  const stats got = hand_stats(ts);
  if (!same_stats(state, got)) return;
  for (auto _ : state) benchmark::DoNotOptimize(hand_stats(ts));
  set_rate(state);
}

// ---- group_by(name, product(count, sum, min, max)) ----

void group_by_fused(benchmark::State& state) {
  const tf::trace_set& ts = data();
  if (!same_groups(state, to_stats_map(tf::run(by_name, ts.spans())), "fused")) return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run(by_name, ts.spans()));
  set_rate(state);
}

void group_by_fused_each_span(benchmark::State& state) {
  const tf::trace_set& ts = data();
  const auto f = tf::each_span(by_name);
  if (!same_groups(state, to_stats_map(tf::run(f, ts.traces())), "fused_each_span")) return;
  for (auto _ : state) benchmark::DoNotOptimize(tf::run(f, ts.traces()));
  set_rate(state);
}

void group_by_separate(benchmark::State& state) {
  const tf::trace_set& ts = data();
  if (!same_groups(state, separate_groups(ts), "separate")) return;
  for (auto _ : state) benchmark::DoNotOptimize(separate_groups(ts));
  set_rate(state);
}

void group_by_hand(benchmark::State& state) {
  const tf::trace_set& ts = data();
  if (!same_groups(state, hand_groups(ts), "hand")) return;
  for (auto _ : state) benchmark::DoNotOptimize(hand_groups(ts));
  set_rate(state);
}

BENCHMARK(count_fused)->Name("count/fused")->Unit(benchmark::kMillisecond);
BENCHMARK(count_fused_each_span)->Name("count/fused_each_span")->Unit(benchmark::kMillisecond);
BENCHMARK(count_hand)->Name("count/hand")->Unit(benchmark::kMillisecond);
BENCHMARK(stats_fused)->Name("stats/fused")->Unit(benchmark::kMillisecond);
BENCHMARK(stats_fused_each_span)->Name("stats/fused_each_span")->Unit(benchmark::kMillisecond);
BENCHMARK(stats_separate)->Name("stats/separate")->Unit(benchmark::kMillisecond);
BENCHMARK(stats_hand)->Name("stats/hand")->Unit(benchmark::kMillisecond);
BENCHMARK(group_by_fused)->Name("group_by/fused")->Unit(benchmark::kMillisecond);
BENCHMARK(group_by_fused_each_span)
    ->Name("group_by/fused_each_span")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(group_by_separate)->Name("group_by/separate")->Unit(benchmark::kMillisecond);
BENCHMARK(group_by_hand)->Name("group_by/hand")->Unit(benchmark::kMillisecond);

}  // namespace

TRACEFOLD_BENCHMARK_MAIN();
