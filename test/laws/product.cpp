// The banana-split law (DESIGN.md, the fold algebra): running a product once gives exactly the
// tuple of the separate runs, for flat and nested products, over spans and (with each_span)
// over traces. Each runs on every trace_set of tfl::for_each_trace_set (240 sets).

#include <doctest/doctest.h>

#include <laws/laws.hpp>
#include <string_view>
#include <tuple>

namespace tf = tracefold;
namespace folds = tracefold::folds;

TEST_CASE("law: banana split, run(product(f, g, ...), xs) == {run(f, xs), run(g, xs), ...}") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    const auto xs = tfl::spans_of(ts);
    tfl::for_each_fold(tfl::span_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::banana_split(xs, nf.fold));
      CHECK(tfl::banana_split(xs, nf.fold, folds::count));
      CHECK(tfl::banana_split(xs, folds::last<tf::span_ref>, nf.fold, nf.fold));
    });
    // Every representative fold in one product, over the split-able vector and over the
    // trace_set's own forward range of spans.
    std::apply([&](const auto&... nf) { CHECK(tfl::banana_split(xs, nf.fold...)); },
               tfl::span_folds());
    std::apply([&](const auto&... nf) { CHECK(tfl::banana_split(ts.spans(), nf.fold...)); },
               tfl::span_folds());
    // Over traces.
    std::apply([&](const auto&... nf) { CHECK(tfl::banana_split(ts.traces(), nf.fold...)); },
               tfl::trace_folds());
  });
  CHECK(sets >= 200);
}

TEST_CASE("law: banana split for nested products") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    const auto xs = tfl::spans_of(ts);
    const auto f = tf::premap(folds::duration, folds::sum);
    const auto g = folds::first<tf::span_ref>;
    const auto h = tfl::by_name();
    const auto rf = tf::run(f, xs);
    const auto rg = tf::run(g, xs);
    const auto rh = tf::run(h, xs);
    CHECK(tfl::exact(tf::run(tf::product(tf::product(f, g), h), xs),
                     std::make_tuple(std::make_tuple(rf, rg), rh)));
    CHECK(tfl::exact(tf::run(tf::product(f, tf::product(g, h)), xs),
                     std::make_tuple(rf, std::make_tuple(rg, rh))));
    CHECK(
        tfl::exact(tf::run(tf::product(tf::product(f), tf::product(tf::product(g, h))), xs),
                   std::make_tuple(std::make_tuple(rf), std::make_tuple(std::make_tuple(rg, rh)))));
    // The generic checker on nested arguments: the inner products' results are tuples too.
    CHECK(tfl::banana_split(xs, tf::product(f, g), tf::product(h, tfl::all_span_folds())));
  });
  CHECK(sets >= 200);
}

TEST_CASE("law: each_span of a product over ts.traces() gives the separate runs") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    const auto traces = ts.traces();
    tfl::for_each_fold(tfl::span_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      // run(each_span(f), traces) == run(f, spans)
      CHECK(tfl::each_span_flattens(nf.fold, ts));
      // each_span(product(f, g)) == product(each_span(f), each_span(g))
      CHECK(tfl::distributes_over_product(tf::each_span, traces, nf.fold, folds::count));
      // and so, by banana split, == {run(each_span(f)), run(each_span(g))}
      CHECK(tfl::exact(tf::run(tf::each_span(tf::product(nf.fold, folds::count)), traces),
                       std::make_tuple(tf::run(tf::each_span(nf.fold), traces),
                                       tf::run(tf::each_span(folds::count), traces))));
    });
    std::apply(
        [&](const auto&... nf) {
          CHECK(tfl::distributes_over_product(tf::each_span, traces, nf.fold...));
        },
        tfl::span_folds());
  });
  CHECK(sets >= 200);
}

TEST_CASE("sanity: the banana-split checkers detect a broken product and each_span") {
  const tf::trace_set ts = tft::random_set(3, tft::shape::wide, tfl::max_spans);
  const auto xs = tfl::spans_of(ts);
  REQUIRE(!xs.empty());
  // A "product" that steps each component twice per input.
  auto doubled_product = [](auto... fs) { return tf::product(tfl::make_twice(fs)...); };
  const auto sum = tf::premap(folds::duration, folds::sum);
  CHECK(tfl::banana_split_with(tf::product, xs, folds::count, sum));
  CHECK_FALSE(tfl::banana_split_with(doubled_product, xs, folds::count, sum));
  // An each_span that feeds every span twice does not flatten.
  auto doubled_each_span = [](auto f) { return tf::each_span(tfl::make_twice(f)); };
  CHECK(tfl::each_span_flattens(folds::count, ts));
  CHECK_FALSE(tfl::each_span_flattens(folds::count, ts, doubled_each_span));
}
