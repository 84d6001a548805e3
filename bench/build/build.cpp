/// @file
/// trace_set_builder on 1,000,000 spans: spans/s and bytes held per span.
///
/// One iteration is what a reader does with a dump: add one resource and scope per service,
/// `reserve`, `add_span` for every span (a deep copy of its strings and attributes into the
/// arena), then `build()` (group by trace id, resolve parents, lay each tree out in pre-order).
/// Two input orders:
/// - `trace_order`: trace by trace, parents first (what one collector writes);
/// - `random_order`: the same spans shuffled (several collectors' files concatenated).
/// Counters: `bytes_per_span` = trace_set::bytes_held() / span_count (arrays and arena
/// capacity of the built set; the builder's transient scratch is not included);
/// `add_ns_per_span` and `build_ns_per_span` split the (thread CPU) time between the phases.
/// Before timing, the built set is checked: every span present exactly once, in the right
/// trace, with a tree whose parent links match the input's parent ids and no diagnostics.

#include <cstdint>
#include <ctime>
#include <string>
#include <tracefold/tracefold.hpp>
#include <unordered_map>
#include <vector>

#include "../support/bench_main.hpp"
#include "../support/span_corpus.hpp"

namespace {

namespace tf = tracefold;
using tracefold::bench::check;

constexpr std::size_t span_count = 1'000'000;

/// The corpus, in trace order or shuffled (each built once, on first use).
const tf::bench::span_corpus& corpus(bool shuffled = false) {
  static const tf::bench::span_corpus in_order(span_count);
  if (!shuffled) return in_order;
  static tf::bench::span_corpus random(span_count);
  static const bool once = [] {
    random.shuffle();
    return true;
  }();
  (void)once;
  return random;
}

/// Empty when `ts` holds exactly the corpus as well-formed trees; else what is wrong.
std::string verify(const tf::trace_set& ts, const tf::bench::span_corpus& c) {
  if (ts.span_count() != c.spans.size())
    return "span count " + std::to_string(ts.span_count()) +
           " != " + std::to_string(c.spans.size());
  if (ts.trace_count() != c.trace_count)
    return "trace count " + std::to_string(ts.trace_count()) +
           " != " + std::to_string(c.trace_count);
  if (!ts.diagnostics().empty()) return "unexpected diagnostic: " + to_string(ts.diagnostics()[0]);
  // Span ids are random 64-bit values: unique in this corpus (checked by the seen count).
  std::unordered_map<tf::span_id, const tf::span*> input;
  input.reserve(c.spans.size());
  for (const tf::span& s : c.spans) input.emplace(s.span_id, &s);
  if (input.size() != c.spans.size()) return "corpus has duplicate span ids";
  std::size_t seen = 0;
  for (tf::trace t : ts.traces()) {
    if (t.root_count() != 1) return "trace " + t.id().to_hex() + " has several roots";
    for (tf::span_ref r : t) {
      ++seen;
      auto it = input.find(r->span_id);
      if (it == input.end()) return "unknown span " + r->span_id.to_hex();
      const tf::span& in = *it->second;
      if (r->trace_id != t.id() || in.trace_id != t.id()) return "span in the wrong trace";
      if (r->name != in.name || r->duration_ns() != in.duration_ns() ||
          !tf::attributes_equal(r->attributes, in.attributes))
        return "span " + r->span_id.to_hex() + " differs from its input";
      const auto p = r.parent();
      if (p ? (*p)->span_id != in.parent_span_id : !in.parent_span_id.empty())
        return "span " + r->span_id.to_hex() + " has the wrong parent";
      if (r->service_name() !=
          c.service_names[c.service_of[static_cast<std::size_t>(it->second - c.spans.data())]])
        return "span " + r->span_id.to_hex() + " has the wrong service";
    }
  }
  if (seen != c.spans.size()) return "iterated " + std::to_string(seen) + " spans";
  return {};
}

/// CPU time of this thread in ns (what the benchmark's CPU column counts), so the phase split
/// is not skewed by other processes on a loaded machine.
double thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

void build_bench(benchmark::State& state, bool shuffled) {
  const auto& c = corpus(shuffled);
  double bytes_per_span = 0;
  {
    tf::trace_set_builder b;
    c.add_to(b);
    const tf::trace_set ts = std::move(b).build();
    const std::string err = verify(ts, c);
    if (!check(state, err.empty(), err)) return;
    bytes_per_span = static_cast<double>(ts.bytes_held()) / static_cast<double>(ts.span_count());
  }
  double add_ns = 0, build_ns = 0;
  for (auto _ : state) {
    const double t0 = thread_cpu_ns();
    tf::trace_set_builder b;
    c.add_to(b);
    const double t1 = thread_cpu_ns();
    tf::trace_set ts = std::move(b).build();
    const double t2 = thread_cpu_ns();
    benchmark::DoNotOptimize(ts.span_count());
    add_ns += t1 - t0;
    build_ns += t2 - t1;
  }
  const double spans =
      static_cast<double>(state.iterations()) * static_cast<double>(c.spans.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(spans));
  state.counters["bytes_per_span"] = bytes_per_span;
  state.counters["add_ns_per_span"] = add_ns / spans;
  state.counters["build_ns_per_span"] = build_ns / spans;
}

void build_trace_order(benchmark::State& state) { build_bench(state, false); }
void build_random_order(benchmark::State& state) { build_bench(state, true); }

BENCHMARK(build_trace_order)->Name("build/trace_order")->Unit(benchmark::kMillisecond);
BENCHMARK(build_random_order)->Name("build/random_order")->Unit(benchmark::kMillisecond);

}  // namespace

TRACEFOLD_BENCHMARK_MAIN();
