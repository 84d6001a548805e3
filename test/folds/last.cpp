#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/last.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<tf::result_t<folds::last_fn<int>>, std::optional<int>>);
static_assert(tf::mergeable_fold<folds::last_fn<int>, int>);
static_assert(tf::mergeable_fold<folds::last_fn<tf::trace>, tf::trace>);
static_assert(!tf::fold_over<folds::last_fn<int>, std::string>);

TEST_CASE_TEMPLATE("last on empty, one and several inputs", T, int, double, std::string) {
  const auto f = folds::last<T>;
  auto v = [](int i) {
    if constexpr (std::is_same_v<T, std::string>) {
      return std::to_string(i);
    } else {
      return T(i);
    }
  };
  CHECK_FALSE(tf::run(f, std::vector<T>{}).has_value());
  CHECK(tf::run(f, std::vector<T>{v(4)}) == v(4));
  CHECK(tf::run(f, std::vector<T>{v(4), v(1), v(9)}) == v(9));
  // Merge takes the right state when it has one.
  auto a = f.step(f.step(f.init(), v(1)), v(2));
  auto b = f.step(f.step(f.init(), v(3)), v(4));
  CHECK(f.done(f.merge(a, b)) == v(4));
  CHECK(f.done(f.merge(b, a)) == v(2));
  CHECK(f.done(f.merge(a, f.init())) == v(2));
  CHECK(f.done(f.merge(f.init(), b)) == v(4));
  CHECK_FALSE(f.done(f.merge(f.init(), f.init())).has_value());
}

TEST_CASE("last of a set's traces and spans") {
  auto ts = tft::build({{2, 5, 0, 10, 20, "a"},
                        {1, 1, 0, 0, 30, "b"},
                        {1, 2, 1, 1, 2, "c"},
                        {2, 6, 5, 11, 12, "d"}});
  const auto t = tf::run(folds::last<tf::trace>, ts.traces());
  REQUIRE(t.has_value());
  CHECK(*t == ts.traces()[1]);
  const auto r = tf::run(folds::last<tf::span_ref>, ts.spans());
  REQUIRE(r.has_value());
  CHECK((*r)->name == "c");  // last span of the last trace, in pre-order
}
