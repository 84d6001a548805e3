// compile_fail: group_by(key, f) with a generic-lambda key and no explicit key type.
// The key type cannot be deduced from a template call operator: the misuse must fail with
// group_by's static_assert. The control names the key type: group_by<std::size_t>(key, f).
#include <cstddef>
#include <cstdint>
#include <map>
#include <tracefold/fold/group_by.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/model/trace.hpp>
#include <tracefold/model/trace_set.hpp>

std::map<std::size_t, std::uint64_t> traces_by_size(const tracefold::trace_set& ts) {
  auto size = [](const auto& t) { return t.size(); };
#ifdef TRACEFOLD_COMPILE_FAIL
  return tracefold::run(tracefold::group_by(size, tracefold::folds::count), ts.traces());
#else
  return tracefold::run(tracefold::group_by<std::size_t>(size, tracefold::folds::count),
                        ts.traces());
#endif
}
