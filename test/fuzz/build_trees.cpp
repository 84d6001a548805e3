// libFuzzer target: arbitrary bytes become spans (colliding ids, cycles, self-parents,
// duplicates, orphans); the builder must keep every span and produce well-formed trees.
// Build with clang: meson setup build-fuzz -Dfuzz=true (CXX=clang++), then
//   ./build-fuzz/test/fuzz/fuzz_build_trees -max_total_time=60
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <support/tree_invariants.hpp>
#include <tracefold/model/trace_set_builder.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tracefold::trace_set_builder b;
  auto s = b.add_scope(b.add_resource({}), {});
  const std::size_t n = tft::add_spans_from_bytes(b, s, data, size);
  const tracefold::trace_set ts = std::move(b).build();
  const std::string err = tft::check_tree_invariants(ts, n);
  if (!err.empty()) {
    std::fprintf(stderr, "invariant violated: %s\n", err.c_str());
    std::abort();
  }
  return 0;
}
