#include <doctest/doctest.h>

#include <cstdint>
#include <tracefold/folds/red_group.hpp>
#include <vector>

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

TEST_CASE("red_group: kept values merge in order and give exact nearest-rank quantiles") {
  folds::red_group a, b;
  a.exact_duration = {1, 5, 9};
  b.exact_duration = {2, 3, 100};
  a.duration.record(1);
  a.merge(b);
  CHECK(a.exact_duration == std::vector<std::uint64_t>{1, 2, 3, 5, 9, 100});
  CHECK(a.duration_quantile(0.5) == 3.0);   // rank ceil(3) = 3
  CHECK(a.duration_quantile(0.51) == 5.0);  // rank ceil(3.06) = 4
  CHECK(a.duration_quantile(0.99) == 100.0);
  CHECK(a.duration_quantile(0.0) == 1.0);
  // Without kept values the histogram answers.
  CHECK(a.self_time_quantile(0.5) == a.self_time.quantile(0.5));
}
