#include <doctest/doctest.h>

#include <support/algebras.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/annotated.hpp>
#include <tracefold/fold/each_node.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/group_by.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/prefilter.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/errors.hpp>
#include <tracefold/folds/is_error.hpp>
#include <tracefold/folds/service_name.hpp>
#include <tracefold/model/span.hpp>
#include <tracefold/model/status.hpp>
#include <tuple>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<tf::state_t<folds::errors_fn>, std::uint64_t>);
static_assert(std::is_same_v<tf::result_t<folds::errors_fn>, std::uint64_t>);
static_assert(tf::mergeable_fold<folds::errors_fn, tf::span_ref>);
static_assert(tf::mergeable_fold<folds::errors_fn, tf::span>);
static_assert(tf::mergeable_fold<folds::errors_fn, tf::annotated<std::uint64_t>>);
static_assert(!tf::fold_over<folds::errors_fn, int>);
static_assert(!tf::fold_over<folds::errors_fn, tf::trace>);
static_assert(std::is_invocable_r_v<bool, folds::is_error_fn, tf::span_ref>);
static_assert(!std::is_invocable_v<folds::is_error_fn, int>);

namespace {

tf::span with_status(tf::status_code c) {
  tf::span s;
  s.status.code = c;
  return s;
}

}  // namespace

TEST_CASE("is_error is true only for status ERROR") {
  CHECK_FALSE(folds::is_error(with_status(tf::status_code::unset)));
  CHECK_FALSE(folds::is_error(with_status(tf::status_code::ok)));
  CHECK(folds::is_error(with_status(tf::status_code::error)));
  CHECK_FALSE(folds::is_error(with_status(static_cast<tf::status_code>(7))));  // unknown code kept
  auto s = with_status(tf::status_code::error);
  s.status.message = "";  // the code decides, not the message
  CHECK(folds::is_error(s));
  auto t = with_status(tf::status_code::ok);
  t.status.message = "error: looks bad";
  CHECK_FALSE(folds::is_error(t));
}

TEST_CASE("errors counts failed spans") {
  auto ts = tft::build({{1, 1, 0, 0, 10, "GET /", "frontend", tf::status_code::error},
                        {1, 2, 1, 1, 2, "SELECT", "db", tf::status_code::ok},
                        {1, 3, 1, 2, 3, "SELECT", "db", tf::status_code::error},
                        {1, 4, 1, 3, 4, "SELECT", "db", tf::status_code::unset},
                        {2, 1, 0, 0, 1, "charge", "payments", tf::status_code::error}});
  SUBCASE("over span_refs") { CHECK(tf::run(folds::errors, ts.spans()) == 3); }
  SUBCASE("over spans") {
    std::vector<tf::span> spans;
    for (tf::span_ref r : ts.spans()) spans.push_back(r.span());
    CHECK(tf::run(folds::errors, spans) == 3);
  }
  SUBCASE("per trace, with each_span") {
    CHECK(tf::run(tf::each_span(folds::errors), ts.traces()) == 3);
    CHECK(tf::run(folds::errors, ts.traces()[0].spans()) == 2);
    CHECK(tf::run(folds::errors, ts.traces()[1].spans()) == 1);
  }
  SUBCASE("over annotated nodes, with each_node") {
    CHECK(tf::run(tf::each_node(tft::size_alg{}, folds::errors), ts.traces()) == 3);
  }
  SUBCASE("grouped, in a product with count (the R and E of RED)") {
    const auto by_service = tf::run(
        tf::group_by(folds::service_name, tf::product(folds::count, folds::errors)), ts.spans());
    using ne = std::tuple<std::uint64_t, std::uint64_t>;
    CHECK(by_service ==
          std::map<std::string, ne>{{"db", {3, 1}}, {"frontend", {1, 1}}, {"payments", {1, 1}}});
  }
  SUBCASE("nothing") {
    auto empty = tft::build({});
    CHECK(tf::run(folds::errors, empty.spans()) == 0);
    auto fine = tft::build({{1, 1, 0, 0, 10}, {1, 2, 1, 1, 2, "op", "svc", tf::status_code::ok}});
    CHECK(tf::run(folds::errors, fine.spans()) == 0);
  }
}

TEST_CASE("errors equals prefilter(is_error, count), merges and runs in parallel") {
  for (tft::shape sh : tft::all_shapes) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      auto ts = tft::random_set(seed, sh, 300);
      const auto n = tf::run(folds::errors, ts.spans());
      std::vector<tf::span_ref> spans;
      std::uint64_t brute = 0;
      for (tf::span_ref r : ts.spans()) {
        spans.push_back(r);
        brute += r->status.code == tf::status_code::error ? 1 : 0;
      }
      CHECK(n == brute);
      CHECK(n == tf::run(tf::prefilter(folds::is_error, folds::count), ts.spans()));
      CHECK(tf::run_parallel(folds::errors, spans, 3) == n);
      // Split at every tenth position: the halves merged equal the whole.
      for (std::size_t cut = 0; cut <= spans.size(); cut += 10) {
        std::uint64_t a = folds::errors.init();
        std::uint64_t b = folds::errors.init();
        for (std::size_t i = 0; i < spans.size(); ++i) {
          if (i < cut)
            a = folds::errors.step(a, spans[i]);
          else
            b = folds::errors.step(b, spans[i]);
        }
        CHECK(folds::errors.done(folds::errors.merge(a, b)) == n);
      }
    }
  }
}

TEST_CASE("errors: merge has init() as identity and is usable in constant expressions") {
  constexpr auto f = folds::errors;
  static_assert(f.merge(f.init(), 5) == 5);
  static_assert(f.merge(5, f.init()) == 5);
  static_assert(f.merge(f.merge(1, 2), 3) == f.merge(1, f.merge(2, 3)));
  constexpr auto n = [] {
    tf::span bad;
    bad.status.code = tf::status_code::error;
    const tf::span good{};
    const auto e = folds::errors;
    return e.done(e.step(e.step(e.step(e.init(), bad), good), bad));
  }();
  static_assert(n == 2);
  CHECK(n == 2);
}
