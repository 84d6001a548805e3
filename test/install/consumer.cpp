// A program using tracefold as a client would: it sees only the installed headers and
// links the installed library (test/install/check_install.py builds it with pkg-config
// flags, and as a meson subproject). It builds a small trace set and runs a product of
// folds over it in one pass, and a fold in parallel; the checker compares its output.
#include <cstdint>
#include <cstdio>
#include <tracefold/tracefold.hpp>
#include <utility>

namespace {

tracefold::span_id sid(std::uint8_t n) { return tracefold::span_id({0, 0, 0, 0, 0, 0, 0, n}); }

}  // namespace

int main() {
  namespace folds = tracefold::folds;
  const auto trace = tracefold::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  if (!trace) return 2;

  tracefold::trace_set_builder b;
  const tracefold::key_value attr{"service.name", tracefold::any_value::of_string("checkout")};
  const auto res = b.add_resource({.attributes = {&attr, 1}});
  const auto scope = b.add_scope(res, {.name = "consumer"});
  // root [0, 100] with children [10, 40] and [50, 90], added out of order
  b.add_span(scope, {.trace_id = *trace, .span_id = sid(3), .parent_span_id = sid(1),
                     .start_time_unix_nano = 50, .end_time_unix_nano = 90, .name = "db"});
  b.add_span(scope, {.trace_id = *trace, .span_id = sid(1), .start_time_unix_nano = 0,
                     .end_time_unix_nano = 100, .name = "GET /cart"});
  b.add_span(scope, {.trace_id = *trace, .span_id = sid(2), .parent_span_id = sid(1),
                     .start_time_unix_nano = 10, .end_time_unix_nano = 40, .name = "auth"});
  const tracefold::trace_set ts = std::move(b).build();

  const auto [spans, total_ns, longest_ns] =
      tracefold::run(tracefold::product(folds::count, tracefold::premap(folds::duration, folds::sum),
                                        tracefold::premap(folds::duration, folds::max)),
                     ts.spans());
  // run_parallel starts threads in this program's own code: the package must link -pthread.
  const auto traces = tracefold::run_parallel(folds::count, ts.traces(), 2);
  std::printf("traces=%llu spans=%llu total_ns=%lld max_ns=%lld diagnostics=%zu\n",
              static_cast<unsigned long long>(traces), static_cast<unsigned long long>(spans),
              static_cast<long long>(total_ns), static_cast<long long>(longest_ns.value_or(-1)),
              ts.diagnostics().size());
  return 0;
}
