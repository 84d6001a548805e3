#include <doctest/doctest.h>

#include <string_view>
#include <tracefold/fold/each_node.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/group_by.hpp>
#include <tracefold/fold/map_result.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/prefilter.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/first.hpp>
#include <tracefold/folds/last.hpp>
#include <tracefold/folds/max.hpp>
#include <tracefold/folds/mean.hpp>
#include <tracefold/folds/min.hpp>
#include <tracefold/folds/name.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tracefold/model/span_ref.hpp>
#include <tracefold/model/trace.hpp>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

// A fold without merge: the sequence matters (last minus first), so no monoid is offered.
struct no_merge {
  int init() const { return 0; }
  int step(int s, int x) const { return s * 10 + x; }
  int done(int s) const { return s; }
};

// A merge of the wrong type does not count.
struct bad_merge {
  int init() const { return 0; }
  int step(int s, int x) const { return s + x; }
  void merge(int, int) const {}
  int done(int s) const { return s; }
};

struct depth_down {
  std::uint32_t root(tf::span_ref) const { return 0; }
  std::uint32_t down(std::uint32_t p, tf::span_ref) const { return p + 1; }
};

}  // namespace

static_assert(tf::mergeable_fold<folds::count_fn, int>);
static_assert(tf::mergeable_fold<folds::count_fn, tf::span_ref>);
static_assert(tf::mergeable_fold<folds::sum_fn<std::int64_t>, int>);
static_assert(tf::mergeable_fold<folds::min_fn<std::int64_t>, int>);
static_assert(tf::mergeable_fold<folds::max_fn<std::int64_t>, int>);
static_assert(tf::mergeable_fold<folds::mean_fn, double>);
static_assert(tf::mergeable_fold<folds::first_fn<int>, int>);
static_assert(tf::mergeable_fold<folds::last_fn<int>, int>);
static_assert(tf::mergeable_fold<folds::to_vector_fn<int>, int>);

// Mergeable needs a fold over the input first.
static_assert(!tf::mergeable_fold<folds::sum_fn<std::int64_t>, tf::span_ref>);
static_assert(tf::fold_over<no_merge, int> && !tf::mergeable_fold<no_merge, int>);
static_assert(tf::fold_over<bad_merge, int> && !tf::mergeable_fold<bad_merge, int>);

// Combinators are mergeable exactly when their components are.
static_assert(tf::mergeable_fold<decltype(tf::product(folds::count, folds::sum)), int>);
static_assert(!tf::mergeable_fold<decltype(tf::product(folds::count, no_merge{})), int>);
static_assert(tf::fold_over<decltype(tf::product(folds::count, no_merge{})), int>);
static_assert(
    tf::mergeable_fold<decltype(tf::premap([](int x) { return x * 2; }, folds::sum)), int>);
static_assert(
    !tf::mergeable_fold<decltype(tf::premap([](int x) { return x * 2; }, no_merge{})), int>);
static_assert(
    tf::mergeable_fold<decltype(tf::prefilter([](int x) { return x > 0; }, folds::sum)), int>);
static_assert(
    !tf::mergeable_fold<decltype(tf::prefilter([](int x) { return x > 0; }, no_merge{})), int>);
static_assert(
    tf::mergeable_fold<decltype(tf::map_result([](auto x) { return x; }, folds::sum)), int>);
static_assert(
    !tf::mergeable_fold<decltype(tf::map_result([](auto x) { return x; }, no_merge{})), int>);

// group_by is mergeable only when its inner fold is.
using by_sign_sum = decltype(tf::group_by([](int x) -> bool { return x < 0; }, folds::sum));
using by_sign_nm = decltype(tf::group_by([](int x) -> bool { return x < 0; }, no_merge{}));
static_assert(tf::mergeable_fold<by_sign_sum, int>);
static_assert(tf::fold_over<by_sign_nm, int>);
static_assert(!tf::mergeable_fold<by_sign_nm, int>);
static_assert(tf::mergeable_fold<decltype(tf::group_by(folds::name, folds::count)), tf::span_ref>);

// each_span and each_node over traces.
static_assert(tf::mergeable_fold<decltype(tf::each_span(folds::count)), tf::trace>);
static_assert(!tf::mergeable_fold<decltype(tf::each_span(folds::count)), tf::span_ref>);
static_assert(tf::mergeable_fold<decltype(tf::each_node(depth_down{}, folds::count)), tf::trace>);

TEST_CASE("merging two halves of a mergeable fold gives the whole") {
  const int xs[] = {4, 8, 15, 16, 23, 42};
  auto f = tf::product(folds::count, folds::sum, folds::min, folds::max, folds::to_vector<int>);
  for (std::size_t cut = 0; cut <= std::size(xs); ++cut) {
    CAPTURE(cut);
    auto a = f.init();
    auto b = f.init();
    auto whole = f.init();
    for (std::size_t i = 0; i < std::size(xs); ++i) {
      (i < cut ? a : b) = f.step(std::move(i < cut ? a : b), xs[i]);
      whole = f.step(std::move(whole), xs[i]);
    }
    CHECK(f.done(f.merge(a, b)) == f.done(whole));
    // init() is an identity on either side.
    CHECK(f.done(f.merge(f.init(), whole)) == f.done(whole));
    CHECK(f.done(f.merge(whole, f.init())) == f.done(whole));
  }
}
