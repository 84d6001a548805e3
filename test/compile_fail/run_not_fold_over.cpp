// compile_fail: run(f, r) with a fold that cannot take the range's elements.
// folds::sum takes numbers, and ts.traces() yields traces: the misuse must fail with the
// static_assert of run() naming fold_over. The control premaps each trace to its size first.
#include <cstdint>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/model/trace.hpp>
#include <tracefold/model/trace_set.hpp>

std::int64_t total(const tracefold::trace_set& ts) {
  namespace folds = tracefold::folds;
#ifdef TRACEFOLD_COMPILE_FAIL
  return tracefold::run(folds::sum, ts.traces());
#else
  auto size = [](const tracefold::trace& t) { return static_cast<std::int64_t>(t.size()); };
  return tracefold::run(tracefold::premap(size, folds::sum), ts.traces());
#endif
}
