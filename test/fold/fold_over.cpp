#include <doctest/doctest.h>

#include <string>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/fold_over.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tracefold/model/span_ref.hpp>
#include <tracefold/model/trace.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

// A fold with no merge, over ints only.
struct int_only {
  int init() const { return 0; }
  int step(int s, int x) const { return s + x; }
  int done(int s) const { return s; }
};

// Missing pieces of the triple.
struct no_done {
  int init() const { return 0; }
  int step(int s, int) const { return s; }
};
struct no_init {
  int step(int s, int) const { return s; }
  int done(int s) const { return s; }
};
struct bad_step {  // step returns something that is not the state
  int init() const { return 0; }
  std::string step(int, int) const { return {}; }
  int done(int s) const { return s; }
};

// A state that cannot be moved is not a fold state.
struct pinned {
  pinned() = default;
  pinned(pinned&&) = delete;
};

}  // namespace

// count takes anything; sum only what converts to int64.
static_assert(tf::fold_over<folds::count_fn, int>);
static_assert(tf::fold_over<folds::count_fn, tf::span_ref>);
static_assert(tf::fold_over<folds::count_fn, tf::trace>);
static_assert(tf::fold_over<folds::sum_fn<std::int64_t>, int>);
static_assert(tf::fold_over<folds::sum_fn<std::int64_t>, double>);
static_assert(!tf::fold_over<folds::sum_fn<std::int64_t>, tf::span_ref>);
static_assert(!tf::fold_over<folds::sum_fn<std::int64_t>, std::string>);
static_assert(tf::fold_over<folds::to_vector_fn<tf::span_ref>, tf::span_ref>);
static_assert(!tf::fold_over<folds::to_vector_fn<tf::span_ref>, int>);

// Products take an input only when every component does.
using count_sum = decltype(tf::product(folds::count, folds::sum));
static_assert(tf::fold_over<count_sum, int>);
static_assert(!tf::fold_over<count_sum, tf::span_ref>);

// premap changes what the fold accepts.
using sum_durations = decltype(tf::premap(folds::duration, folds::sum));
static_assert(tf::fold_over<sum_durations, tf::span_ref>);
static_assert(!tf::fold_over<sum_durations, int>);

// each_span lifts a span fold to traces, and only a span fold.
static_assert(tf::fold_over<decltype(tf::each_span(sum_durations{})), tf::trace>);
static_assert(!tf::fold_over<decltype(tf::each_span(sum_durations{})), tf::span_ref>);
static_assert(!tf::fold_over<decltype(tf::each_span(folds::sum)), tf::trace>);

// The triple must be complete and well typed.
static_assert(tf::fold_over<int_only, int>);
static_assert(!tf::fold_over<int_only, std::string>);
static_assert(!tf::fold_over<no_done, int>);
static_assert(!tf::fold_over<no_init, int>);
static_assert(!tf::fold_over<bad_step, int>);

// state_t and result_t.
static_assert(std::is_same_v<tf::state_t<folds::count_fn>, std::uint64_t>);
static_assert(std::is_same_v<tf::result_t<folds::count_fn>, std::uint64_t>);
static_assert(std::is_same_v<tf::state_t<folds::to_vector_fn<int>>, std::vector<int>>);
static_assert(std::is_same_v<tf::result_t<count_sum>, std::tuple<std::uint64_t, std::int64_t>>);

// has_merge is about merge alone, whatever the input.
static_assert(tf::detail::has_merge<folds::count_fn>);
static_assert(!tf::detail::has_merge<int_only>);

TEST_CASE("a fold_over value runs by hand as init, step, done") {
  constexpr int_only f;
  static_assert(tf::fold_over<decltype(f), int>);
  int s = f.init();
  for (int x : {1, 2, 3}) s = f.step(std::move(s), x);
  CHECK(f.done(s) == 6);
  // The fold is a constant: the same value runs twice from scratch.
  CHECK(f.done(f.step(f.init(), 5)) == 5);
}

TEST_CASE("fold_over holds for count in a constant expression") {
  constexpr auto n =
      folds::count.done(folds::count.step(folds::count.step(folds::count.init(), 'a'), 1.5));
  static_assert(n == 2);
  CHECK(n == 2);
}
