// bench/emit: the OTLP-JSON writer on the traces of the generated dump. MB/s is output bytes.
#include <benchmark/benchmark.h>

#include <tracefold/emit/otlp_json.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>
#include "../support/bench_main.hpp"
#include "../support/dump.hpp"

namespace tb = tracefold::bench;
namespace emit = tracefold::emit;

namespace {

const tracefold::trace_set& traces() {
  static const tracefold::trace_set ts =
      tracefold::ingest::read_otlp_json_padded(tb::document_dump().text).traces;
  return ts;
}

void write(benchmark::State& state, emit::otlp_json_options options, bool to_sink) {
  const auto& ts = traces();
  const auto check = tracefold::run(emit::otlp_json{options, {}}, ts.traces());
  const auto back = tracefold::ingest::read_otlp_json(check.text);
  if (!tb::check(state, back.ok() && back.stats.spans_kept == ts.span_count(),
                 "written dump does not read back whole"))
    return;
  std::uint64_t sunk = 0;
  emit::sink discard = [&](std::string_view c) { sunk += c.size(); };
  for (auto _ : state) {
    auto r =
        tracefold::run(emit::otlp_json{options, to_sink ? discard : emit::sink{}}, ts.traces());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * check.bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * ts.span_count()));
  state.counters["MB"] = static_cast<double>(check.bytes) / 1e6;
}

void BM_export_document(benchmark::State& s) { write(s, {}, false); }
void BM_export_document_to_sink(benchmark::State& s) { write(s, {}, true); }
void BM_export_lines(benchmark::State& s) { write(s, {emit::otlp_layout::lines, 0}, false); }

}  // namespace

BENCHMARK(BM_export_document)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_export_document_to_sink)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_export_lines)->Unit(benchmark::kMillisecond)->UseRealTime();

TRACEFOLD_BENCHMARK_MAIN();
