// detail::sort_values (the sort behind exact quantiles) against std::sort.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <tracefold/folds/detail/sort_values.hpp>
#include <vector>

namespace {

void check_sorts(std::vector<std::uint64_t> v) {
  std::vector<std::uint64_t> want = v;
  std::sort(want.begin(), want.end());
  tracefold::detail::sort_values(v);
  CHECK(v == want);
}

}  // namespace

TEST_CASE("sort_values sorts as std::sort does") {
  std::mt19937_64 rng(7);
  SUBCASE("sizes around the radix threshold, full 64-bit values") {
    for (std::size_t n : {0, 1, 2, 255, 256, 257, 1000, 4096, 100'000}) {
      CAPTURE(n);
      std::vector<std::uint64_t> v(n);
      for (auto& x : v) x = rng();
      check_sorts(v);
    }
  }
  SUBCASE("durations: a few low bytes vary, the high ones are shared") {
    for (std::uint64_t range : {std::uint64_t{1} << 8, std::uint64_t{1} << 20, 10'000'000'000u}) {
      CAPTURE(range);
      std::vector<std::uint64_t> v(5000);
      for (auto& x : v) x = rng() % range;
      check_sorts(v);
    }
  }
  SUBCASE("all equal, already sorted, reversed, and the extremes") {
    check_sorts(std::vector<std::uint64_t>(1000, 42));
    std::vector<std::uint64_t> up(3000);
    for (std::size_t i = 0; i < up.size(); ++i) up[i] = i * 977;
    check_sorts(up);
    check_sorts({up.rbegin(), up.rend()});
    std::vector<std::uint64_t> ends(600);
    for (std::size_t i = 0; i < ends.size(); ++i)
      ends[i] = i % 3 == 0 ? 0 : i % 3 == 1 ? UINT64_MAX : i;
    check_sorts(ends);
  }
}
