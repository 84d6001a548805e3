// compile_fail: run_parallel(f, r) with a fold that has no merge(state, state).
// `deepest` is a valid fold over traces, but not a monoid: the misuse must fail with the
// static_assert of run_parallel() naming mergeable_fold. The control runs the same fold
// sequentially and a mergeable one (folds::count) in parallel.
#include <algorithm>
#include <cstdint>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/model/trace.hpp>
#include <tracefold/model/trace_set.hpp>

namespace {

// The largest trace size: a fold without merge.
struct deepest_fn {
  std::size_t init() const { return 0; }
  std::size_t step(std::size_t s, const tracefold::trace& t) const { return std::max(s, t.size()); }
  std::size_t done(std::size_t s) const { return s; }
};

}  // namespace

std::size_t check(const tracefold::trace_set& ts) {
#ifdef TRACEFOLD_COMPILE_FAIL
  return tracefold::run_parallel(deepest_fn{}, ts.traces(), 2);
#else
  return tracefold::run(deepest_fn{}, ts.traces()) +
         static_cast<std::size_t>(tracefold::run_parallel(tracefold::folds::count, ts.traces(), 2));
#endif
}
