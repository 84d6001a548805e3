// Laws of premap (DESIGN.md, the fold algebra): premap(id, f) == f, and premap distributes
// over product. Each runs on every trace_set of tfl::for_each_trace_set (240 sets).

#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <laws/laws.hpp>
#include <memory>
#include <string_view>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

/// `premap(g, .)` as a function of the fold, for `distributes_over_product`.
template <class G>
auto premap_by(G g) {
  return [g](auto f) { return tf::premap(g, std::move(f)); };
}

std::uint32_t depth_of(tf::span_ref r) { return r.depth(); }
std::uint64_t size_of_trace(const tf::trace& t) { return t.size(); }

/// Not a function: returns how often it has been called. premap may call `g` once per input,
/// the product of premaps once per component, so the distribution law fails for it.
struct call_counter {
  std::shared_ptr<std::int64_t> calls = std::make_shared<std::int64_t>(0);
  std::int64_t operator()(tf::span_ref) const { return ++*calls; }
};

}  // namespace

TEST_CASE("law: premap(id, f) == f") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    const auto xs = tfl::spans_of(ts);
    tfl::for_each_fold(tfl::span_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::premap_identity(nf.fold, xs));
    });
    tfl::for_each_fold(tfl::trace_folds(), [&](const auto& nf) {
      INFO("fold: ", nf.name);
      CHECK(tfl::premap_identity(nf.fold, ts.traces()));
    });
  });
  CHECK(sets >= 200);
}

TEST_CASE("law: premap(g, product(f, h)) == product(premap(g, f), premap(g, h))") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    const auto xs = tfl::spans_of(ts);
    CHECK(tfl::distributes_over_product(premap_by(folds::duration), xs, folds::sum, folds::max));
    CHECK(tfl::distributes_over_product(premap_by(folds::duration), xs, folds::count, folds::sum,
                                        folds::min, folds::max, folds::mean));
    CHECK(tfl::distributes_over_product(
        premap_by(folds::name), xs, folds::to_vector<std::string_view>, folds::count,
        folds::first<std::string_view>, folds::last<std::string_view>));
    CHECK(tfl::distributes_over_product(premap_by(&depth_of), xs, folds::sum, folds::max,
                                        folds::mean));
    // g = id, over products that nest further products and group_by.
    CHECK(tfl::distributes_over_product(premap_by(std::identity{}), xs, tfl::all_span_folds(),
                                        tfl::by_name()));
    // Over traces.
    CHECK(tfl::distributes_over_product(premap_by(&size_of_trace), ts.traces(), folds::sum,
                                        folds::max, folds::count));
  });
  CHECK(sets >= 200);
}

TEST_CASE("sanity: the premap checkers detect a broken premap and an impure g") {
  const tf::trace_set ts = tft::random_set(7, tft::shape::random, tfl::max_spans);
  const auto xs = tfl::spans_of(ts);
  REQUIRE(xs.size() >= 2);
  // A premap that steps its fold twice per input is not the identity for premap(id, .).
  auto doubled_premap = [](auto g, auto f) { return tf::premap(g, tfl::make_twice(f)); };
  CHECK(tfl::premap_identity(folds::count, xs));
  CHECK_FALSE(tfl::premap_identity(folds::count, xs, doubled_premap));
  // The law needs g to be a function: one that counts its calls breaks it.
  CHECK_FALSE(tfl::distributes_over_product(premap_by(call_counter{}), xs, folds::sum, folds::max));
}
