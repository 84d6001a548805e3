#include <doctest/doctest.h>

#include <memory>
#include <range/v3/iterator/operations.hpp>
#include <range/v3/numeric/accumulate.hpp>
#include <range/v3/range/operations.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/transform.hpp>
#include <string>
#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/name.hpp>
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

TEST_CASE("to_vector<std::string> owns names taken through folds::name") {
  std::vector<std::string> names;
  {
    auto ts = tft::build({{1, 1, 0, 0, 10, "root"}, {1, 2, 1, 1, 2, "child"}});
    names = tracefold::run(
        tracefold::premap(tracefold::folds::name, tracefold::folds::to_vector<std::string>),
        ts.spans());
  }  // the trace_set is gone; the strings are owned
  CHECK(names == std::vector<std::string>{"root", "child"});
}

TEST_CASE("ranges from a trace_set pipe into range-v3 views as temporaries") {
  auto ts =
      tft::build({{1, 1, 0, 0, 10, "root"}, {1, 2, 1, 1, 2, "child"}, {2, 1, 0, 0, 1, "other"}});
  auto roots =
      ts.spans() | ranges::views::filter([](tracefold::span_ref r) { return r.is_root(); });
  CHECK(ranges::distance(roots) == 2);
  auto sizes = ts.traces() | ranges::views::transform([](tracefold::trace t) { return t.size(); });
  CHECK(ranges::accumulate(sizes, std::size_t{0}) == 3);
}
