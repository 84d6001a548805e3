#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/max.hpp>
#include <tracefold/folds/name.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

struct point {
  int x;
  int y;
  int norm1() const { return (x < 0 ? -x : x) + (y < 0 ? -y : y); }
};

}  // namespace

TEST_CASE("premap feeds the fold g(x)") {
  const std::vector<int> xs{1, 2, 3};
  CHECK(tf::run(tf::premap([](int x) { return x * x; }, folds::sum), xs) == 14);
  CHECK(tf::run(tf::premap([](int x) { return std::to_string(x); }, folds::to_vector<std::string>),
                xs) == std::vector<std::string>{"1", "2", "3"});
  // Nested premaps compose right to left: premap(g, premap(h, f)) feeds f with h(g(x)).
  auto f = tf::premap([](int x) { return x + 1; },
                      tf::premap([](int x) { return x * 10; }, folds::to_vector<int>));
  CHECK(tf::run(f, xs) == std::vector<int>{20, 30, 40});
  CHECK(tf::run(f, std::vector<int>{}).empty());
}

TEST_CASE("premap accepts member pointers and other invocables") {
  const std::vector<point> ps{{1, 2}, {-3, 4}};
  CHECK(tf::run(tf::premap(&point::x, folds::sum), ps) == -2);
  CHECK(tf::run(tf::premap(&point::norm1, folds::max), ps) == 7);
}

TEST_CASE("premap with the span projections") {
  auto ts =
      tft::build({{1, 1, 0, 0, 100, "root"}, {1, 2, 1, 10, 30, "child"}, {2, 1, 0, 5, 6, "other"}});
  CHECK(tf::run(tf::premap(folds::duration, folds::sum), ts.spans()) == 121);
  CHECK(tf::run(tf::premap(folds::duration, folds::max), ts.spans()) == 100);
  CHECK(tf::run(tf::premap(folds::name, folds::to_vector<std::string_view>), ts.spans()) ==
        std::vector<std::string_view>{"root", "child", "other"});
}

TEST_CASE("premap distributes over product and merges through") {
  const std::vector<int> xs{5, -2, 9};
  auto g = [](int x) { return x * 3; };
  CHECK(tf::run(tf::premap(g, tf::product(folds::sum, folds::max)), xs) ==
        tf::run(tf::product(tf::premap(g, folds::sum), tf::premap(g, folds::max)), xs));
  auto f = tf::premap(g, folds::to_vector<int>);
  auto a = f.step(f.init(), 1);
  auto b = f.step(f.step(f.init(), 2), 3);
  CHECK(f.done(f.merge(std::move(a), std::move(b))) == std::vector<int>{3, 6, 9});
}

TEST_CASE("premap of the identity is the fold itself") {
  const std::vector<int> xs{4, 1, 7};
  auto id = [](int x) { return x; };
  CHECK(tf::run(tf::premap(id, folds::to_vector<int>), xs) == tf::run(folds::to_vector<int>, xs));
  CHECK(tf::run(tf::premap(id, folds::count), xs) == tf::run(folds::count, xs));
}

// premap narrows what the fold takes to what g takes, and g's result to what the fold takes.
static_assert(tf::fold_over<decltype(tf::premap(folds::duration, folds::sum)), tf::span_ref>);
static_assert(!tf::fold_over<decltype(tf::premap(folds::duration, folds::sum)), int>);
static_assert(!tf::fold_over<decltype(tf::premap(folds::name, folds::sum)), tf::span_ref>);
