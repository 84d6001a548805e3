// bench/ingest: full-fidelity OTLP-JSON ingest against the simdjson ceiling, on the same
// generated dump (100 MB by default; TRACEFOLD_BENCH_MB to change). MB/s is input bytes.
#include <benchmark/benchmark.h>

#include <tracefold/ingest/read_otlp_json.hpp>
#include "../support/bench_main.hpp"
#include "../support/dump.hpp"

#include "ceiling.hpp"

namespace tb = tracefold::bench;
namespace ingest = tracefold::ingest;

namespace {

void report(benchmark::State& state, const tb::dump& d) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * d.text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.info.spans));
  state.counters["MB"] = static_cast<double>(d.text.size()) / 1e6;
}

void ceiling(benchmark::State& state, const tb::dump& d, bool lines) {
  const auto first = tb::ceiling_pass(d.text, lines);
  if (!tb::check(state, first.ok && first.spans == d.info.spans,
                 "ceiling pass saw " + std::to_string(first.spans) + " spans, generator wrote " +
                     std::to_string(d.info.spans)))
    return;
  for (auto _ : state) benchmark::DoNotOptimize(tb::ceiling_pass(d.text, lines));
  report(state, d);
}

void full(benchmark::State& state, const tb::dump& d, unsigned threads) {
  const ingest::read_options opt{.threads = threads};
  {
    const auto r = ingest::read_otlp_json_padded(d.text, opt);
    if (!tb::check(
            state,
            r.ok() && r.stats.spans_kept == d.info.spans && r.traces.trace_count() == d.info.traces,
            "ingest kept " + std::to_string(r.stats.spans_kept) + " spans, generator wrote " +
                std::to_string(d.info.spans)))
      return;
    state.counters["held/input"] =
        static_cast<double>(r.traces.bytes_held()) / static_cast<double>(d.text.size());
  }
  for (auto _ : state) benchmark::DoNotOptimize(ingest::read_otlp_json_padded(d.text, opt));
  report(state, d);
}

void BM_ceiling_document(benchmark::State& s) { ceiling(s, tb::document_dump(), false); }
void BM_ceiling_lines(benchmark::State& s) { ceiling(s, tb::lines_dump(), true); }
void BM_ingest_document(benchmark::State& s) { full(s, tb::document_dump(), 1); }
void BM_ingest_lines(benchmark::State& s) {
  full(s, tb::lines_dump(), static_cast<unsigned>(s.range(0)));
}

}  // namespace

BENCHMARK(BM_ceiling_document)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ingest_document)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ceiling_lines)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ingest_lines)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

TRACEFOLD_BENCHMARK_MAIN();
