#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<tf::result_t<folds::to_vector_fn<int>>, std::vector<int>>);
static_assert(tf::mergeable_fold<folds::to_vector_fn<int>, int>);
static_assert(tf::mergeable_fold<folds::to_vector_fn<double>, int>);
static_assert(!tf::fold_over<folds::to_vector_fn<int>, std::string>);

TEST_CASE_TEMPLATE("to_vector keeps inputs in order", T, int, long, double) {
  const auto f = folds::to_vector<T>;
  CHECK(tf::run(f, std::vector<int>{}).empty());
  CHECK(tf::run(f, std::vector<int>{3}) == std::vector<T>{T(3)});
  CHECK(tf::run(f, std::vector<int>{3, 1, 2, 1}) == std::vector<T>{T(3), T(1), T(2), T(1)});
  // Merge concatenates left then right.
  auto a = f.step(f.step(f.init(), 1), 2);
  auto b = f.step(f.init(), 3);
  CHECK(f.done(f.merge(a, b)) == std::vector<T>{T(1), T(2), T(3)});
  CHECK(f.done(f.merge(b, a)) == std::vector<T>{T(3), T(1), T(2)});
  CHECK(f.done(f.merge(f.init(), a)) == std::vector<T>{T(1), T(2)});
  CHECK(f.done(f.merge(a, f.init())) == std::vector<T>{T(1), T(2)});
}

TEST_CASE("to_vector of strings moves on merge") {
  const auto f = folds::to_vector<std::string>;
  CHECK(tf::run(f, std::vector<const char*>{"x", "y"}) == std::vector<std::string>{"x", "y"});
  // Merging moves the right side's elements.
  auto a = f.step(f.init(), std::string(100, 'a'));
  auto b = f.step(f.init(), std::string(100, 'b'));
  const char* data = b[0].data();
  auto m = f.merge(std::move(a), std::move(b));
  REQUIRE(m.size() == 2);
  CHECK(m[1].data() == data);  // moved, not copied
}

TEST_CASE("to_vector of span_refs in pre-order") {
  auto ts = tft::build({{1, 1, 0, 0, 100, "a"}, {1, 3, 1, 50, 60, "c"}, {1, 2, 1, 10, 20, "b"}});
  const auto refs = tf::run(folds::to_vector<tf::span_ref>, ts.spans());
  REQUIRE(refs.size() == 3);
  CHECK(refs[0]->name == "a");
  CHECK(refs[1]->name == "b");
  CHECK(refs[2]->name == "c");
  for (std::size_t i = 0; i < refs.size(); ++i) CHECK(refs[i].index() == i);
}
