#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/first.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<tf::result_t<folds::first_fn<int>>, std::optional<int>>);
static_assert(tf::mergeable_fold<folds::first_fn<int>, int>);
static_assert(tf::mergeable_fold<folds::first_fn<tf::span_ref>, tf::span_ref>);
static_assert(!tf::fold_over<folds::first_fn<int>, std::string>);
static_assert(tf::fold_over<folds::first_fn<std::string>, const char*>);

TEST_CASE_TEMPLATE("first on empty, one and several inputs", T, int, double, std::string) {
  const auto f = folds::first<T>;
  auto v = [](int i) {
    if constexpr (std::is_same_v<T, std::string>) {
      return std::to_string(i);
    } else {
      return T(i);
    }
  };
  CHECK_FALSE(tf::run(f, std::vector<T>{}).has_value());
  CHECK(tf::run(f, std::vector<T>{v(4)}) == v(4));
  CHECK(tf::run(f, std::vector<T>{v(4), v(1), v(9)}) == v(4));
  // Merge keeps the left state when it has one.
  auto a = f.step(f.step(f.init(), v(1)), v(2));
  auto b = f.step(f.step(f.init(), v(3)), v(4));
  CHECK(f.done(f.merge(a, b)) == v(1));
  CHECK(f.done(f.merge(b, a)) == v(3));
  CHECK(f.done(f.merge(f.init(), b)) == v(3));
  CHECK(f.done(f.merge(a, f.init())) == v(1));
  CHECK_FALSE(f.done(f.merge(f.init(), f.init())).has_value());
}

TEST_CASE("first of a set's spans is the first root of the first trace") {
  auto ts =
      tft::build({{2, 5, 0, 10, 20, "late"}, {1, 1, 0, 0, 30, "root"}, {2, 6, 5, 11, 12, "child"}});
  const auto r = tf::run(folds::first<tf::span_ref>, ts.spans());
  REQUIRE(r.has_value());
  CHECK((*r)->name == "late");  // trace 2 came first in the input
  CHECK(tf::run(folds::first<std::string_view>, std::vector<std::string>{"a", "b"}) ==
        std::string_view("a"));
}
