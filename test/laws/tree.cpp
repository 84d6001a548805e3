// Laws of tree algebras (DESIGN.md, the fold algebra): cata and descend of a product are the
// products of cata and descend, node by node; and each algebra agrees with a brute-force
// reference computed another way. Each runs on every trace of every trace_set of
// tfl::for_each_trace_set (240 sets).

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <laws/laws.hpp>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

// Brute-force references, each computed from the tree structure without the algebra.

std::uint32_t ref_subtree_size(tf::span_ref r) {
  return static_cast<std::uint32_t>(r.subtree().size());
}

std::uint32_t ref_leaf_count(tf::span_ref r) {
  return static_cast<std::uint32_t>(
      std::ranges::count_if(r.subtree(), [](tf::span_ref x) { return !x.has_children(); }));
}

std::int64_t ref_max_duration(tf::span_ref r) {
  std::int64_t m = r->duration_ns();
  for (tf::span_ref x : r.subtree()) m = std::max(m, x->duration_ns());
  return m;
}

tfl::child_order_alg::value ref_child_order(tf::span_ref r) {
  std::uint64_t h = tfl::child_order_alg{}.begin(r);
  for (tf::span_ref c : r.children()) h = (h ^ (c.index() + 1)) * 0x100000001b3ull;
  return {r.index(), h};
}

std::uint32_t ref_depth(tf::span_ref r) {
  std::uint32_t d = 0;
  while (auto p = r.parent()) {
    r = *p;
    ++d;
  }
  return d;
}

std::uint32_t ref_root_index(tf::span_ref r) { return tfl::root_of(r).index(); }

std::int64_t ref_start_offset(tf::span_ref r) {
  return static_cast<std::int64_t>(r->start_time_unix_nano - tfl::root_of(r)->start_time_unix_nano);
}

/// Subtree size, wrongly: counts direct children only.
struct children_only_alg {
  std::uint32_t begin(tf::span_ref) const { return 1; }
  std::uint32_t child(std::uint32_t acc, tf::span_ref, std::uint32_t) const { return acc + 1; }
  std::uint32_t finish(std::uint32_t acc, tf::span_ref) const { return acc; }
};

/// Depth, wrongly: forgets to add one.
struct flat_depth_alg {
  std::uint32_t root(tf::span_ref) const { return 0; }
  std::uint32_t down(std::uint32_t p, tf::span_ref) const { return p; }
};

}  // namespace

TEST_CASE("law: cata(product(a, b), t)[i] == {cata(a, t)[i], cata(b, t)[i]}") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    for (const tf::trace t : ts.traces()) {
      CHECK(tfl::cata_product_law(t, tfl::subtree_size_alg{}, tfl::max_duration_alg{}));
      CHECK(tfl::cata_product_law(t, tfl::subtree_size_alg{}, tfl::leaf_count_alg{},
                                  tfl::child_order_alg{}, tfl::max_duration_alg{}));
      // Nested: a product of algebras is an algebra, so it can be a component again.
      CHECK(tfl::cata_product_law(t, tf::product(tfl::subtree_size_alg{}, tfl::leaf_count_alg{}),
                                  tfl::child_order_alg{}));
    }
  });
  CHECK(sets >= 200);
}

TEST_CASE("law: descend(product(d, e), t)[i] == {descend(d, t)[i], descend(e, t)[i]}") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    for (const tf::trace t : ts.traces()) {
      CHECK(tfl::descend_product_law(t, tfl::depth_alg{}, tfl::root_index_alg{}));
      CHECK(tfl::descend_product_law(t, tfl::depth_alg{}, tfl::root_index_alg{},
                                     tfl::start_offset_alg{}));
      CHECK(tfl::descend_product_law(t, tf::product(tfl::depth_alg{}, tfl::start_offset_alg{}),
                                     tfl::root_index_alg{}));
    }
  });
  CHECK(sets >= 200);
}

TEST_CASE("law: cata and descend agree with brute-force references") {
  const std::size_t sets = tfl::for_each_trace_set([](const tf::trace_set& ts, tfl::trace_case) {
    for (const tf::trace t : ts.traces()) {
      CHECK(tfl::matches_reference(tf::cata, tfl::subtree_size_alg{}, t, &ref_subtree_size));
      CHECK(tfl::matches_reference(tf::cata, tfl::subtree_size_alg{}, t,
                                   [](tf::span_ref r) { return r.subtree_size(); }));
      CHECK(tfl::matches_reference(tf::cata, tfl::leaf_count_alg{}, t, &ref_leaf_count));
      CHECK(tfl::matches_reference(tf::cata, tfl::max_duration_alg{}, t, &ref_max_duration));
      CHECK(tfl::matches_reference(tf::cata, tfl::child_order_alg{}, t, &ref_child_order));
      CHECK(tfl::matches_reference(tf::descend, tfl::depth_alg{}, t, &ref_depth));
      CHECK(tfl::matches_reference(tf::descend, tfl::depth_alg{}, t,
                                   [](tf::span_ref r) { return r.depth(); }));
      CHECK(tfl::matches_reference(tf::descend, tfl::root_index_alg{}, t, &ref_root_index));
      CHECK(tfl::matches_reference(tf::descend, tfl::start_offset_alg{}, t, &ref_start_offset));
    }
  });
  CHECK(sets >= 200);
}

TEST_CASE("sanity: the tree-law checkers detect wrong algebras and a wrong product") {
  // 1 -> {2 -> 3 -> 4, 5}: depth 3, so subtree size differs from child count.
  const tf::trace_set ts = tft::build({{1, 1, 0, 0, 100},
                                       {1, 2, 1, 10, 50},
                                       {1, 3, 2, 20, 40},
                                       {1, 4, 3, 25, 30},
                                       {1, 5, 1, 60, 90}});
  REQUIRE(ts.trace_count() == 1);
  const tf::trace t = ts.traces()[0];
  CHECK(tfl::matches_reference(tf::cata, tfl::subtree_size_alg{}, t, &ref_subtree_size));
  CHECK_FALSE(tfl::matches_reference(tf::cata, children_only_alg{}, t, &ref_subtree_size));
  CHECK_FALSE(tfl::matches_reference(tf::descend, flat_depth_alg{}, t, &ref_depth));

  // A product that swaps its components: same types, different values.
  auto swapped = [](auto a, auto b) { return tf::product(b, a); };
  CHECK(tfl::algebra_product_law_with(tf::cata, tf::product, t, tfl::subtree_size_alg{},
                                      tfl::leaf_count_alg{}));
  CHECK_FALSE(tfl::algebra_product_law_with(tf::cata, swapped, t, tfl::subtree_size_alg{},
                                            tfl::leaf_count_alg{}));
  CHECK_FALSE(tfl::algebra_product_law_with(tf::descend, swapped, t, tfl::depth_alg{},
                                            tfl::root_index_alg{}));
}
