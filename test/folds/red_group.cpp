#include <doctest/doctest.h>

#include <cstdint>
#include <tracefold/folds/red_group.hpp>

namespace folds = tracefold::folds;

TEST_CASE("red_group::merge adds counts and merges histograms exactly") {
  folds::red_group a, b, both;
  for (std::uint64_t v : {10u, 20u, 3000u}) {
    a.duration.record(v);
    a.self_time.record(v / 2);
    both.duration.record(v);
    both.self_time.record(v / 2);
  }
  for (std::uint64_t v : {7u, 1'000'000u}) {
    b.duration.record(v);
    b.self_time.record(v / 2);
    both.duration.record(v);
    both.self_time.record(v / 2);
  }
  a.count = 3;
  a.errors = 1;
  b.count = 2;
  b.errors = 2;
  both.count = 5;
  both.errors = 3;
  a.merge(b);
  CHECK(a == both);
  CHECK(a.duration.min() == 7);
  CHECK(a.duration.max() == 1'000'000);
}
