// Laws of merge (DESIGN.md, the fold algebra; mergeable_fold.hpp): merge is associative with
// init() as its identity, a fold run on two halves then merged equals the fold run on the
// whole, and so run_parallel equals run. Each runs on every trace_set of
// tfl::for_each_trace_set (240 sets), for every representative span and trace fold.
//
// Folds holding a mean compare with tfl::approx here (see laws.hpp): re-splitting the input
// changes the order of floating-point operations, so the last bits of a mean may differ.

#include <doctest/doctest.h>

#include <laws/laws.hpp>

namespace tf = tracefold;
namespace folds = tracefold::folds;

TEST_CASE("law: init() is a left and right identity of merge") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case c) {
    const auto xs = tfl::spans_of(ts);
    tfl::for_each_fold(tfl::span_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::merge_identity(nf.fold, xs, c.seed, nf.eq));
    });
    tfl::for_each_fold(tfl::trace_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::merge_identity(nf.fold, ts.traces(), c.seed, nf.eq));
    });
  });
  CHECK(sets >= 200);
}

TEST_CASE("law: merge is associative") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case c) {
    const auto xs = tfl::spans_of(ts);
    tfl::for_each_fold(tfl::span_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::merge_associative(nf.fold, xs, c.seed, nf.eq));
    });
    tfl::for_each_fold(tfl::trace_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::merge_associative(nf.fold, ts.traces(), c.seed, nf.eq));
    });
  });
  CHECK(sets >= 200);
}

TEST_CASE("law: merge of the halves equals the whole; run_parallel equals run") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case c) {
    const auto xs = tfl::spans_of(ts);
    tfl::for_each_fold(tfl::span_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::split_merge(nf.fold, xs, c.seed, nf.eq));
      CHECK(tfl::parallel_equals_run(nf.fold, xs, nf.eq));
    });
    tfl::for_each_fold(tfl::trace_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::split_merge(nf.fold, ts.traces(), c.seed, nf.eq));
      CHECK(tfl::parallel_equals_run(nf.fold, ts.traces(), nf.eq));
    });
  });
  CHECK(sets >= 200);
}

TEST_CASE("sanity: the merge checkers detect broken merges") {
  // The first seed whose set has several traces, so a split can fall between them.
  std::uint64_t seed = 1;
  while (tft::random_set(seed, tft::shape::random, tfl::max_spans).trace_count() < 2) ++seed;
  const tf::trace_set ts = tft::random_set(seed, tft::shape::random, tfl::max_spans);
  const auto xs = tfl::spans_of(ts);
  REQUIRE(xs.size() >= 4);

  // A merge that drops its right argument loses the second half, and init() is no left
  // identity for it (merge(init(), s) == init()).
  const tfl::drops_right<folds::count_fn> dropping{folds::count};
  CHECK_FALSE(tfl::split_merge(dropping, xs, seed));
  CHECK_FALSE(tfl::parallel_equals_run(dropping, xs));
  CHECK_FALSE(tfl::merge_identity(dropping, xs, seed));
  CHECK_FALSE(tfl::split_merge(tf::each_span(dropping), ts.traces(), seed));
  const tfl::drops_right<decltype(tfl::by_name())> dropping_groups{tfl::by_name()};
  CHECK_FALSE(tfl::split_merge(dropping_groups, xs, seed));

  // merge(a, b) = 2a + b is not associative and has no right identity.
  CHECK_FALSE(tfl::merge_associative(tfl::lopsided_count{}, xs, seed));
  CHECK_FALSE(tfl::merge_identity(tfl::lopsided_count{}, xs, seed));

  // The tolerance used for means is tight: it accepts rounding, not a wrong mean.
  CHECK(tfl::approx(1.0e7, 1.0e7 * (1 + 1e-12)));
  CHECK_FALSE(tfl::approx(1.0e7, 1.0e7 + 1.0));
  CHECK_FALSE(tfl::exact(1.0, 1.0 + 1e-15));
}
