#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/count.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<tf::state_t<folds::count_fn>, std::uint64_t>);
static_assert(std::is_same_v<tf::result_t<folds::count_fn>, std::uint64_t>);

TEST_CASE_TEMPLATE("count over containers of any element type", T, int, double, std::string,
                   std::vector<int>) {
  static_assert(tf::mergeable_fold<folds::count_fn, T>);
  CHECK(tf::run(folds::count, std::vector<T>{}) == 0);
  CHECK(tf::run(folds::count, std::vector<T>(1)) == 1);
  CHECK(tf::run(folds::count, std::vector<T>(7)) == 7);
  const auto f = folds::count;
  auto a = f.step(f.step(f.init(), T{}), T{});
  auto b = f.step(f.init(), T{});
  CHECK(f.done(f.merge(a, b)) == 3);
  CHECK(f.done(f.merge(f.init(), b)) == 1);
  CHECK(f.done(f.merge(a, f.init())) == 2);
}

TEST_CASE("count over spans and traces") {
  auto ts = tft::build({{1, 1, 0, 0, 10}, {1, 2, 1, 1, 2}, {2, 1, 0, 0, 1}});
  CHECK(tf::run(folds::count, ts.spans()) == 3);
  CHECK(tf::run(folds::count, ts.traces()) == 2);
  CHECK(tf::run(folds::count, ts.traces()[0].spans()) == 2);
  auto empty = tft::build({});
  CHECK(tf::run(folds::count, empty.spans()) == 0);
}

TEST_CASE("count is usable in constant expressions") {
  constexpr auto f = folds::count;
  constexpr auto n = f.done(f.merge(f.step(f.init(), 1), f.step(f.step(f.init(), 'x'), 2.0)));
  static_assert(n == 3);
  CHECK(n == 3);
}
