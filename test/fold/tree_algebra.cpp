#include <doctest/doctest.h>

#include <support/algebras.hpp>

#include <cstdint>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/cata.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/tree_algebra.hpp>
#include <tracefold/folds/count.hpp>
#include <tuple>
#include <type_traits>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

using tft::size_alg;

// Accumulator and value of different types: Acc = (count, names), V = string.
struct names_alg {
  struct acc {
    int children = 0;
    std::string text;
  };
  acc begin(tf::span_ref n) const { return {0, std::string(n->name)}; }
  acc child(acc a, tf::span_ref, const std::string& c) const {
    ++a.children;
    a.text += "(" + c + ")";
    return a;
  }
  std::string finish(acc a, tf::span_ref) const {
    return a.text + "#" + std::to_string(a.children);
  }
};

// Wrong shapes.
struct no_child {
  int begin(tf::span_ref) const { return 0; }
  int finish(int a, tf::span_ref) const { return a; }
};
struct no_finish {
  int begin(tf::span_ref) const { return 0; }
  int child(int a, tf::span_ref, const int&) const { return a; }
};
struct child_wrong_value {  // child takes a value type that finish does not produce
  int begin(tf::span_ref) const { return 0; }
  int child(int a, tf::span_ref, const std::string&) const { return a; }
  int finish(int a, tf::span_ref) const { return a; }
};
struct child_returns_void {
  int begin(tf::span_ref) const { return 0; }
  void child(int, tf::span_ref, const int&) const {}
  int finish(int a, tf::span_ref) const { return a; }
};
struct top_down_only {
  int root(tf::span_ref) const { return 0; }
  int down(const int& p, tf::span_ref) const { return p + 1; }
};

}  // namespace

static_assert(tf::tree_algebra<size_alg>);
static_assert(tf::tree_algebra<names_alg>);
static_assert(!tf::tree_algebra<no_child>);
static_assert(!tf::tree_algebra<no_finish>);
static_assert(!tf::tree_algebra<child_wrong_value>);
static_assert(!tf::tree_algebra<child_returns_void>);
static_assert(!tf::tree_algebra<top_down_only>);
static_assert(!tf::tree_algebra<folds::count_fn>);
static_assert(!tf::tree_algebra<int>);

static_assert(std::is_same_v<tf::accumulator_t<size_alg>, std::uint64_t>);
static_assert(std::is_same_v<tf::algebra_value_t<size_alg>, std::uint64_t>);
static_assert(std::is_same_v<tf::accumulator_t<names_alg>, names_alg::acc>);
static_assert(std::is_same_v<tf::algebra_value_t<names_alg>, std::string>);

// The product of tree algebras is a tree algebra with a tuple value (and nests).
using size_names = decltype(tf::product(size_alg{}, names_alg{}));
static_assert(tf::tree_algebra<size_names>);
static_assert(
    std::is_same_v<tf::algebra_value_t<size_names>, std::tuple<std::uint64_t, std::string>>);
using nested = decltype(tf::product(tf::product(size_alg{}, names_alg{}), size_alg{}));
static_assert(tf::tree_algebra<nested>);
static_assert(std::is_same_v<tf::algebra_value_t<nested>,
                             std::tuple<std::tuple<std::uint64_t, std::string>, std::uint64_t>>);

TEST_CASE("a tree algebra with distinct accumulator and value types sees children in order") {
  // a -> {b (t=1), c (t=2) -> d}
  auto ts = tft::build(
      {{1, 1, 0, 0, 10, "a"}, {1, 3, 1, 2, 5, "c"}, {1, 2, 1, 1, 2, "b"}, {1, 4, 3, 3, 4, "d"}});
  const auto v = tf::cata(names_alg{}, ts.traces()[0]);
  REQUIRE(v.size() == 4);
  CHECK(v[0] == "a(b#0)(c(d#0)#1)#2");
  CHECK(v[1] == "b#0");
  CHECK(v[2] == "c(d#0)#1");
  CHECK(v[3] == "d#0");
}
