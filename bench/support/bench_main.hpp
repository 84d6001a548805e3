#pragma once
/// @file
/// Shared benchmark plumbing: a result check that fails the benchmark and the process.

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <string>

namespace tracefold::bench {

/// Set when any benchmark's result check failed; `main` then exits non-zero so that
/// `meson test --benchmark` and scripts/bench report a failure, not just a skipped row.
inline bool any_check_failed = false;

/// Fails `state` with `what` unless `ok`. Returns `ok`; call before the timing loop:
/// `if (!check(state, got == want, "...")) return;`.
inline bool check(benchmark::State& state, bool ok, const std::string& what) {
  if (!ok) {
    any_check_failed = true;
    state.SkipWithError(("wrong result: " + what).c_str());
  }
  return ok;
}

}  // namespace tracefold::bench

/// `main` for a benchmark executable: Google Benchmark's, plus a non-zero exit status when a
/// result check failed.
#define TRACEFOLD_BENCHMARK_MAIN()                                           \
  int main(int argc, char** argv) {                                          \
    benchmark::Initialize(&argc, argv);                                      \
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;        \
    benchmark::RunSpecifiedBenchmarks();                                     \
    benchmark::Shutdown();                                                   \
    return tracefold::bench::any_check_failed ? EXIT_FAILURE : EXIT_SUCCESS; \
  }                                                                          \
  static_assert(true, "require a semicolon")
