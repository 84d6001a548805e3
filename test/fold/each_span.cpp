#include <doctest/doctest.h>

#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/name.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

TEST_CASE("each_span steps the span fold with every span of each trace, in pre-order") {
  // Trace 1 given out of order: a -> {c (t=5), b (t=20)}; trace 2: d.
  auto ts = tft::build(
      {{1, 2, 1, 20, 30, "b"}, {1, 1, 0, 0, 100, "a"}, {2, 1, 0, 5, 6, "d"}, {1, 3, 1, 5, 6, "c"}});
  auto names = tf::each_span(tf::premap(folds::name, folds::to_vector<std::string_view>));
  CHECK(tf::run(names, ts.traces()) == std::vector<std::string_view>{"a", "c", "b", "d"});
  // The same as running the span fold over every span of the set.
  CHECK(tf::run(names, ts.traces()) ==
        tf::run(tf::premap(folds::name, folds::to_vector<std::string_view>), ts.spans()));
  CHECK(tf::run(tf::each_span(folds::count), ts.traces()) == 4);
  CHECK(tf::run(tf::each_span(tf::premap(folds::duration, folds::sum)), ts.traces()) ==
        100 + 10 + 1 + 1);
}

TEST_CASE("each_span on one trace, on no traces, and merged") {
  auto ts = tft::random_set(9, tft::shape::random);
  auto f = tf::each_span(folds::to_vector<tf::span_ref>);
  CHECK(tf::run(f, std::vector<tf::trace>{}).empty());
  REQUIRE(ts.trace_count() >= 1);
  const tf::trace t = ts.traces()[0];
  CHECK(f.done(f.step(f.init(), t)) == std::vector<tf::span_ref>(t.begin(), t.end()));
  // Merge: states of two halves of the traces concatenate to the whole.
  auto a = f.init();
  auto b = f.init();
  const std::size_t half = ts.trace_count() / 2;
  for (std::size_t i = 0; i < ts.trace_count(); ++i)
    (i < half ? a : b) = f.step(std::move(i < half ? a : b), ts.traces()[i]);
  const auto all = f.done(f.merge(std::move(a), std::move(b)));
  CHECK(all.size() == ts.span_count());
  CHECK(all == tf::run(folds::to_vector<tf::span_ref>, ts.spans()));
}

TEST_CASE("each_span in a product with a fold over traces") {
  auto ts = tft::build({{1, 1, 0, 0, 10}, {1, 2, 1, 1, 2}, {1, 3, 1, 3, 4}, {2, 1, 0, 0, 1}});
  auto [traces, spans] =
      tf::run(tf::product(folds::count, tf::each_span(folds::count)), ts.traces());
  CHECK(traces == 2);
  CHECK(spans == 4);
}
