// Laws of prefilter, map_result and group_by (DESIGN.md, the fold algebra):
//   run(prefilter(p, f), xs)  == run(f, filter(p, xs))
//   run(map_result(h, f), xs) == h(run(f, xs))
//   run(group_by(k, f), xs)   == {key: run(f, [x in xs | k(x) == key])}
// Each runs on every trace_set of tfl::for_each_trace_set (240 sets), for every representative
// fold and several predicates, result functions and keys.

#include <doctest/doctest.h>

#include <cstdint>
#include <laws/laws.hpp>
#include <optional>
#include <tracefold/folds/service_and_name.hpp>
#include <tracefold/folds/service_name.hpp>
#include <tuple>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

bool is_error(tf::span_ref r) { return r->status.code == tf::status_code::error; }
bool is_root(tf::span_ref r) { return r.is_root(); }
bool is_long(tf::span_ref r) { return r->duration_ns() > 10'000'000; }
bool has_many_spans(const tf::trace& t) { return t.size() > 20; }

/// Generic result functions: the law must hold for any h.
struct wrap_fn {
  template <class R>
  auto operator()(const R& r) const {
    return std::make_tuple(std::optional<R>(r), 42);
  }
};

struct drop_fn {
  template <class R>
  int operator()(const R&) const {
    return 0;
  }
};

/// Runs `check(p)` for every span predicate.
template <class Check>
void for_each_span_predicate(Check&& check) {
  {
    INFO("predicate: is_error");
    check(&is_error);
  }
  {
    INFO("predicate: is_root");
    check(&is_root);
  }
  {
    INFO("predicate: is_long");
    check(&is_long);
  }
}

}  // namespace

TEST_CASE("law: run(prefilter(p, f), xs) == run(f, filter(p, xs))") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    const auto xs = tfl::spans_of(ts);
    tfl::for_each_fold(tfl::span_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      for_each_span_predicate([&](auto p) { CHECK(tfl::prefilter_law(p, nf.fold, xs)); });
    });
    tfl::for_each_fold(tfl::trace_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::prefilter_law(&has_many_spans, nf.fold, ts.traces()));
    });
    // prefilter(p, .) distributes over product, like premap.
    auto prefilter_long = [](auto f) { return tf::prefilter(&is_long, std::move(f)); };
    std::apply(
        [&](const auto&... nf) {
          CHECK(tfl::distributes_over_product(prefilter_long, xs, nf.fold...));
        },
        tfl::span_folds());
  });
  CHECK(sets >= 200);
}

TEST_CASE("law: run(map_result(h, f), xs) == h(run(f, xs))") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    const auto xs = tfl::spans_of(ts);
    tfl::for_each_fold(tfl::span_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::map_result_law(wrap_fn{}, nf.fold, xs));
      CHECK(tfl::map_result_law(drop_fn{}, nf.fold, xs));
    });
    tfl::for_each_fold(tfl::trace_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::map_result_law(wrap_fn{}, nf.fold, ts.traces()));
    });
    // Result functions that compute something.
    CHECK(tfl::map_result_law([](std::uint64_t n) { return 3 * n + 1; }, folds::count, xs));
    CHECK(tfl::map_result_law([](std::optional<double> m) { return m.value_or(-1.0) / 1e3; },
                              tf::premap(folds::duration, folds::mean), xs));
    CHECK(
        tfl::map_result_law([](const auto& groups) { return groups.size(); }, tfl::by_name(), xs));
  });
  CHECK(sets >= 200);
}

TEST_CASE("law: run(group_by(k, f), xs) == {key: run(f, part of xs with that key)}") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    const auto xs = tfl::spans_of(ts);
    auto depth = [](tf::span_ref r) -> std::uint32_t { return r.depth(); };
    tfl::for_each_fold(tfl::span_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::group_by_law(folds::name, nf.fold, xs));
      CHECK(tfl::group_by_law(folds::service_name, nf.fold, xs));
      CHECK(tfl::group_by_law(folds::service_and_name, nf.fold, xs));
      CHECK(tfl::group_by_law(depth, nf.fold, xs));
      CHECK(tfl::group_by_law(&is_error, nf.fold, xs));
    });
    auto roots = [](const tf::trace& t) -> std::size_t { return t.root_count(); };
    tfl::for_each_fold(tfl::trace_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::group_by_law(roots, nf.fold, ts.traces()));
    });
  });
  CHECK(sets >= 200);
}

TEST_CASE("sanity: the combinator checkers detect broken prefilter, map_result, group_by") {
  const tf::trace_set ts = tft::random_set(5, tft::shape::many_roots, tfl::max_spans);
  const auto xs = tfl::spans_of(ts);
  REQUIRE(xs.size() >= 2);
  REQUIRE(!std::ranges::all_of(xs, &is_root));

  auto ignores_predicate = [](auto, auto f) { return f; };
  CHECK(tfl::prefilter_law(&is_root, folds::count, xs));
  CHECK_FALSE(tfl::prefilter_law(&is_root, folds::count, xs, ignores_predicate));

  auto plus_one = [](std::uint64_t n) { return n + 1; };
  auto applies_twice = [](auto h, auto f) { return tf::map_result(h, tf::map_result(h, f)); };
  CHECK(tfl::map_result_law(plus_one, folds::count, xs));
  CHECK_FALSE(tfl::map_result_law(plus_one, folds::count, xs, applies_twice));

  auto steps_twice = [](auto k, auto f) { return tf::group_by(k, tfl::make_twice(f)); };
  CHECK(tfl::group_by_law(folds::name, folds::count, xs));
  CHECK_FALSE(tfl::group_by_law(folds::name, folds::count, xs, steps_twice));
}
