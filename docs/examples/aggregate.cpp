// Calls, errors and latency per operation (folds::red_stats), computed on two shards that
// pass through the serialized partial state and merge into what one run gives, then
// written for people and as OTLP metrics.
// Built and run as a test (docs/examples/meson.build): it checks its own answers.
#include <cstdio>
#include <string>
#include <tracefold/tracefold.hpp>

namespace tf = tracefold;
namespace folds = tracefold::folds;
namespace emit = tracefold::emit;

int main() {
  // A realistic generated dump (eight services, ~750 bytes per span), read back in.
  tf::emit::generate_options gen;
  gen.target_bytes = 2'000'000;
  std::string dump;
  const auto info = emit::generate_otlp(gen, [&](std::string_view c) { dump += c; });
  const tf::trace_set ts = tf::ingest::read_otlp_json(dump).value();

  // One run over every trace, on all cores.
  const folds::red_stats stats{{.attributes = {"http.route"}}};
  const folds::red_table whole = tf::run_parallel(stats, ts.traces(), 0);

  // The same work as two shards (two processes, say), each writing its partial state...
  const std::size_t half = ts.trace_count() / 2;
  std::string shard[2];
  for (int s = 0; s < 2; ++s) {
    auto state = stats.init();
    std::size_t i = 0;
    for (tf::trace t : ts.traces())
      if ((i++ < half) == (s == 0)) state = stats.step(std::move(state), t);
    shard[s] = emit::to_red_partial(stats.done(std::move(state)));
  }
  // ...which a later step reads back and merges: exactly the whole run, bucket for bucket.
  folds::red_table merged = tf::ingest::read_red_partial(shard[0], "shard0").value();
  merged.merge(tf::ingest::read_red_partial(shard[1], "shard1").value());

  std::fputs(emit::to_red_text(merged, {.max_groups = 8}).c_str(), stdout);
  const std::string otlp = emit::to_red_otlp_metrics(merged);

  const bool ok = merged == whole && merged.spans == info.spans && merged.traces == info.traces &&
                  otlp.find("traces.span.metrics.duration") != std::string::npos;
  std::printf("%s: %llu spans, %zu groups, shards merged %s the whole run\n", ok ? "ok" : "FAILED",
              static_cast<unsigned long long>(merged.spans), merged.groups.size(),
              merged == whole ? "equal" : "differ from");
  return ok ? 0 : 1;
}
