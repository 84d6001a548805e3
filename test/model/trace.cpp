#include <doctest/doctest.h>

#include <random>
#include <support/make_traces.hpp>
#include <support/tree_invariants.hpp>
#include <tracefold/model/trace.hpp>
#include <vector>

using tracefold::span_ref;
using tracefold::trace;

TEST_CASE("trace exposes its spans, roots and size") {
  auto ts = tft::build({{1, 1, 0, 0, 10}, {1, 2, 1, 1, 2}, {1, 3, 99, 5, 6}});
  const trace t = ts.traces()[0];
  CHECK(t.size() == 3);
  CHECK_FALSE(t.empty());
  CHECK(t.root_count() == 2);
  std::size_t n = 0;
  for (span_ref r : t) n += r.index() == n;
  CHECK(n == 3);
  CHECK(t.spans().size() == 3);
  CHECK(t.spans()[2] == t[2]);
  std::vector<std::uint32_t> roots;
  for (span_ref r : t.roots()) roots.push_back(r.index());
  CHECK(roots == std::vector<std::uint32_t>{0, 2});
}

TEST_CASE("span ranges are random-access ranges") {
  static_assert(std::ranges::random_access_range<span_ref::range>);
  static_assert(std::ranges::sized_range<span_ref::range>);
  static_assert(std::ranges::forward_range<span_ref::sibling_range>);
  static_assert(std::ranges::random_access_range<tracefold::trace_set::trace_range>);
  static_assert(std::ranges::forward_range<tracefold::trace_set::span_range>);
  auto ts = tft::build({{1, 1, 0, 0, 10}, {1, 2, 1, 1, 2}, {1, 3, 1, 3, 4}});
  auto sub = ts.traces()[0][0].subtree();
  CHECK(sub.end() - sub.begin() == 3);
  CHECK((*(sub.begin() + 2)).index() == 2);
}

TEST_CASE("random trace sets of every shape satisfy the tree invariants") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    for (tft::shape sh : tft::all_shapes) {
      auto specs = tft::random_specs(seed, sh);
      auto ts = tft::build(std::span<const tft::spec>(specs));
      CAPTURE(seed);
      CAPTURE(static_cast<int>(sh));
      CHECK(tft::check_tree_invariants(ts, specs.size()) == "");
    }
  }
}

TEST_CASE("random bytes as spans (collisions, cycles, duplicates) keep every span") {
  // The same decoding the builder fuzzer uses, on seeded bytes.
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(rng() % 400));
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng() % (round % 2 ? 8 : 256));
    tracefold::trace_set_builder b;
    auto s = b.add_scope(b.add_resource({}), {});
    const std::size_t n = tft::add_spans_from_bytes(b, s, bytes.data(), bytes.size());
    auto ts = std::move(b).build();
    CAPTURE(round);
    CHECK(tft::check_tree_invariants(ts, n) == "");
  }
}
