#include <doctest/doctest.h>

#include <support/algebras.hpp>

#include <cstdint>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/descend.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/top_down_algebra.hpp>
#include <tracefold/fold/tree_algebra.hpp>
#include <tracefold/folds/count.hpp>
#include <tuple>
#include <type_traits>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

using tft::depth_down;
using tft::size_alg;

// The path from the root, as a string.
struct path_down {
  std::string root(tf::span_ref n) const { return std::string(n->name); }
  std::string down(const std::string& p, tf::span_ref n) const {
    return p + "/" + std::string(n->name);
  }
};

// down may return something convertible to the root type.
struct converting_down {
  long root(tf::span_ref) const { return 0; }
  int down(const long& p, tf::span_ref) const { return static_cast<int>(p) + 1; }
};

struct no_down {
  int root(tf::span_ref) const { return 0; }
};
struct no_root {
  int down(const int& p, tf::span_ref) const { return p; }
};
struct down_wrong_type {
  int root(tf::span_ref) const { return 0; }
  std::string down(const int&, tf::span_ref) const { return {}; }
};
}  // namespace

static_assert(tf::top_down_algebra<depth_down>);
static_assert(tf::top_down_algebra<path_down>);
static_assert(tf::top_down_algebra<converting_down>);
static_assert(!tf::top_down_algebra<no_down>);
static_assert(!tf::top_down_algebra<no_root>);
static_assert(!tf::top_down_algebra<down_wrong_type>);
static_assert(!tf::top_down_algebra<size_alg>);
static_assert(!tf::top_down_algebra<folds::count_fn>);
static_assert(!tf::tree_algebra<depth_down>);

static_assert(std::is_same_v<tf::inherited_t<depth_down>, std::uint32_t>);
static_assert(std::is_same_v<tf::inherited_t<path_down>, std::string>);
static_assert(std::is_same_v<tf::inherited_t<converting_down>, long>);

using depth_path = decltype(tf::product(depth_down{}, path_down{}));
static_assert(tf::top_down_algebra<depth_path>);
static_assert(!tf::tree_algebra<depth_path>);
static_assert(std::is_same_v<tf::inherited_t<depth_path>, std::tuple<std::uint32_t, std::string>>);
static_assert(tf::top_down_algebra<decltype(tf::product(depth_path{}, depth_down{}))>);

TEST_CASE("a top-down algebra computes each node from its parent") {
  auto ts = tft::build(
      {{1, 1, 0, 0, 10, "a"}, {1, 2, 1, 1, 5, "b"}, {1, 3, 2, 2, 3, "c"}, {1, 4, 1, 6, 7, "d"}});
  const auto t = ts.traces()[0];
  CHECK(tf::descend(path_down{}, t) == std::vector<std::string>{"a", "a/b", "a/b/c", "a/d"});
  CHECK(tf::descend(converting_down{}, t) == std::vector<long>{0, 1, 2, 1});
}
