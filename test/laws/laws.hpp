#pragma once
// Generic law checkers for the fold algebra (DESIGN.md, "The fold algebra"), in the manner of
// hana's test/_include/laws: each law is one function template that returns a `law_result`
// (false, with the place where it broke, when the law does not hold). The test files apply
// every law to families of folds over seeded random trace_sets of every shape.
//
// Every checker takes the combinators it tests as defaulted parameters, so a test can hand it a
// deliberately broken one and CHECK_FALSE that the checker notices.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <random>
#include <ranges>
#include <string>
#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/cata.hpp>
#include <tracefold/fold/descend.hpp>
#include <tracefold/fold/each_node.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/fold_over.hpp>
#include <tracefold/fold/group_by.hpp>
#include <tracefold/fold/map_result.hpp>
#include <tracefold/fold/prefilter.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
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
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace tfl {

namespace tf = tracefold;
namespace folds = tracefold::folds;

// ---------------------------------------------------------------------------------------------
// Verdicts and equality
// ---------------------------------------------------------------------------------------------

/// What a law checker found: `ok`, or where the law broke. Prints itself in doctest's
/// "values:" line, so a failing CHECK names the split point, node, or chunk.
struct law_result {
  bool ok = true;   ///< the law held everywhere it was tried
  std::string why;  ///< where it broke, when it did

  explicit operator bool() const noexcept { return ok; }
  friend std::ostream& operator<<(std::ostream& os, const law_result& r) {
    return os << (r.ok ? std::string("law holds") : "law broken: " + r.why);
  }
};

inline law_result holds() { return {}; }
inline law_result broken(std::string why) { return {false, std::move(why)}; }

template <class T>
inline constexpr bool is_optional = false;
template <class T>
inline constexpr bool is_optional<std::optional<T>> = true;

template <class T>
concept tuple_like = requires {
  std::tuple_size<std::remove_cvref_t<T>>::value;
};

/// Structural equality of fold results: optionals, tuples, pairs and ranges (vectors, maps)
/// element-wise; floating-point leaves within a relative tolerance `rel` (0: exactly);
/// everything else with `==`.
struct equal_within {
  double rel = 0;  ///< relative tolerance for floating-point leaves

  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    if constexpr (std::is_floating_point_v<A> && std::is_floating_point_v<B>) {
      if (a == b) return true;
      if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
      const double scale =
          std::max({1.0, std::fabs(static_cast<double>(a)), std::fabs(static_cast<double>(b))});
      return std::fabs(static_cast<double>(a) - static_cast<double>(b)) <= rel * scale;
    } else if constexpr (is_optional<A> && is_optional<B>) {
      if (a.has_value() != b.has_value()) return false;
      return !a.has_value() || (*this)(*a, *b);
    } else if constexpr (tuple_like<A> && tuple_like<B>) {
      if constexpr (std::tuple_size_v<A> != std::tuple_size_v<B>) {
        return false;
      } else {
        return elementwise(a, b, std::make_index_sequence<std::tuple_size_v<A>>{});
      }
    } else if constexpr (std::is_convertible_v<const A&, std::string_view> &&
                         std::is_convertible_v<const B&, std::string_view>) {
      return std::string_view(a) == std::string_view(b);
    } else if constexpr (std::ranges::input_range<const A&> && std::ranges::input_range<const B&>) {
      auto ia = std::ranges::begin(a);
      auto ib = std::ranges::begin(b);
      const auto ea = std::ranges::end(a);
      const auto eb = std::ranges::end(b);
      for (; ia != ea && ib != eb; ++ia, ++ib)
        if (!(*this)(*ia, *ib)) return false;
      return ia == ea && ib == eb;
    } else {
      return a == b;
    }
  }

 private:
  template <class A, class B, std::size_t... I>
  bool elementwise(const A& a, const B& b, std::index_sequence<I...>) const {
    return ((*this)(std::get<I>(a), std::get<I>(b)) && ...);
  }
};

/// Exact equality: for laws where both sides do the same arithmetic in the same order.
inline constexpr equal_within exact{0.0};

/// Equality up to rounding, for results that hold a floating-point mean when the law changes
/// where the input is split: `folds::mean` steps by Welford's update but merges by Chan's
/// formula, so `merge(run(a), run(b))` and `run(a ++ b)` round differently in the last bits
/// (floating-point addition is not associative). Integers, strings and span_refs inside the
/// same result are still compared exactly.
inline constexpr equal_within approx{1e-9};

// ---------------------------------------------------------------------------------------------
// Inputs: seeded random trace_sets of every shape
// ---------------------------------------------------------------------------------------------

/// Seeds per shape: 6 shapes x 40 seeds = 240 trace_sets for every law.
inline constexpr std::uint64_t seeds_per_shape = 40;
/// Spans per trace at most (up to 4 traces per set): keeps the sanitizer build fast.
inline constexpr std::size_t max_spans = 120;

/// The enumerator's name, for failure messages.
inline std::string_view shape_name(tft::shape s) {
  switch (s) {
    case tft::shape::random:
      return "random";
    case tft::shape::deep:
      return "deep";
    case tft::shape::wide:
      return "wide";
    case tft::shape::many_roots:
      return "many_roots";
    case tft::shape::single:
      return "single";
    case tft::shape::empty:
      return "empty";
  }
  return "?";
}

/// One generated input: how to rebuild it.
struct trace_case {
  std::uint64_t seed = 0;  ///< seed of tft::random_set, also seeds split points
  tft::shape shape{};      ///< shape of tft::random_set
};

/// Calls `fn(ts, case)` on `seeds_per_shape` seeded random trace_sets of each shape in
/// `tft::all_shapes`, with the seed and shape in doctest's INFO so any failing CHECK inside
/// names the set. Returns how many sets were tried.
template <class Fn>
std::size_t for_each_trace_set(Fn&& fn) {
  std::size_t tried = 0;
  for (tft::shape sh : tft::all_shapes) {
    for (std::uint64_t seed = 1; seed <= seeds_per_shape; ++seed) {
      INFO("input: tft::random_set(", seed, ", tft::shape::", shape_name(sh), ", ", max_spans, ")");
      const tf::trace_set ts = tft::random_set(seed, sh, max_spans);
      fn(ts, trace_case{seed, sh});
      ++tried;
    }
  }
  return tried;
}

/// Every span of `ts` (trace by trace, pre-order) as a random-access range, so laws can split it.
inline std::vector<tf::span_ref> spans_of(const tf::trace_set& ts) {
  return {ts.spans().begin(), ts.spans().end()};
}

/// `[i, j)` positions of a random-access range.
struct chunk {
  std::size_t lo = 0;
  std::size_t hi = 0;
};

/// A random chunk of `[0, n)`, possibly empty.
inline chunk random_chunk(std::size_t n, std::mt19937_64& rng) {
  const std::size_t lo = std::uniform_int_distribution<std::size_t>(0, n)(rng);
  const std::size_t hi = std::uniform_int_distribution<std::size_t>(lo, n)(rng);
  return {lo, hi};
}

/// Split points of `[0, n]`: all of them when `n` is small, else both ends, the middle and
/// `extra` random ones.
inline std::vector<std::size_t> split_points(std::size_t n, std::uint64_t seed,
                                             std::size_t extra = 6) {
  std::vector<std::size_t> ks;
  if (n <= 16) {
    for (std::size_t k = 0; k <= n; ++k) ks.push_back(k);
    return ks;
  }
  ks = {0, 1, n / 2, n - 1, n};
  std::mt19937_64 rng(seed);
  for (std::size_t i = 0; i < extra; ++i)
    ks.push_back(std::uniform_int_distribution<std::size_t>(0, n)(rng));
  return ks;
}

/// The state of `f` after folding `[first, last)`: `foldl step init`, without `done`.
template <class F, class It>
tf::state_t<F> run_state(const F& f, It first, It last) {
  tf::state_t<F> s = f.init();
  for (; first != last; ++first) s = f.step(std::move(s), *first);
  return s;
}

/// The state of `f` after folding positions `[c.lo, c.hi)` of random-access range `xs`.
template <class F, class R>
tf::state_t<F> run_state(const F& f, const R& xs, chunk c) {
  auto first = std::ranges::begin(xs);
  using diff = std::ranges::range_difference_t<const R&>;
  return run_state(f, first + static_cast<diff>(c.lo), first + static_cast<diff>(c.hi));
}

/// Number of elements of a range.
template <class R>
std::size_t size_of(const R& xs) {
  return static_cast<std::size_t>(std::ranges::distance(xs));
}

/// `what`, saying how long the input was.
template <class R>
std::string where(std::string_view what, const R& xs) {
  return std::string(what) + " (input of " + std::to_string(size_of(xs)) + ")";
}

// ---------------------------------------------------------------------------------------------
// Laws of premap, product and the other combinators (on whole runs)
// ---------------------------------------------------------------------------------------------

/// Functor identity: `run(premap(id, f), xs) == run(f, xs)`.
template <class F, class R, class Premap = tf::premap_fn>
law_result premap_identity(const F& f, const R& xs, Premap premap = {}) {
  if (exact(tf::run(premap(std::identity{}, f), xs), tf::run(f, xs))) return holds();
  return broken(where("run(premap(id, f), xs) != run(f, xs)", xs));
}

/// `lift` distributes over product:
/// `run(lift(product(fs...)), xs) == run(product(lift(fs)...), xs)`.
/// With `lift = premap(g, .)` this is premap's law; with `each_span` and `prefilter(p, .)`
/// the same holds.
template <class Lift, class R, class... Fs>
law_result distributes_over_product(const Lift& lift, const R& xs, const Fs&... fs) {
  if (exact(tf::run(lift(tf::product(fs...)), xs), tf::run(tf::product(lift(fs)...), xs)))
    return holds();
  return broken(where("run(lift(product(fs...)), xs) != run(product(lift(fs)...), xs)", xs));
}

/// Banana split, with the product under test given: one pass of `product(fs...)` gives the
/// tuple of the separate runs, `run(product(fs...), xs) == {run(fs, xs)...}`.
template <class Product, class R, class... Fs>
law_result banana_split_with(const Product& product, const R& xs, const Fs&... fs) {
  const std::tuple<tf::result_t<Fs>...> separate{tf::run(fs, xs)...};
  if (exact(tf::run(product(fs...), xs), separate)) return holds();
  return broken(where("run(product(fs...), xs) != {run(fs, xs)...}", xs));
}

/// Banana split for `tracefold::product`.
template <class R, class... Fs>
law_result banana_split(const R& xs, const Fs&... fs) {
  return banana_split_with(tf::product, xs, fs...);
}

/// each_span flattens: `run(each_span(f), ts.traces()) == run(f, every span of ts)`.
template <class F, class EachSpan = tf::each_span_fn>
law_result each_span_flattens(const F& f, const tf::trace_set& ts, EachSpan each_span = {}) {
  if (exact(tf::run(each_span(f), ts.traces()), tf::run(f, ts.spans()))) return holds();
  return broken("run(each_span(f), ts.traces()) != run(f, ts.spans()) (" +
                std::to_string(ts.span_count()) + " spans)");
}

/// `run(prefilter(p, f), xs) == run(f, [x in xs | p(x)])`.
template <class P, class F, class R, class Prefilter = tf::prefilter_fn>
law_result prefilter_law(const P& p, const F& f, const R& xs, Prefilter prefilter = {}) {
  std::vector<std::ranges::range_value_t<const R&>> kept;
  for (auto&& x : xs)
    if (std::invoke(p, x)) kept.push_back(x);
  if (exact(tf::run(prefilter(p, f), xs), tf::run(f, kept))) return holds();
  return broken("run(prefilter(p, f), xs) != run(f, filter(p, xs)) (" +
                std::to_string(kept.size()) + " of " + std::to_string(size_of(xs)) + " kept)");
}

/// Functor law of the result: `run(map_result(h, f), xs) == h(run(f, xs))`.
template <class H, class F, class R, class MapResult = tf::map_result_fn>
law_result map_result_law(const H& h, const F& f, const R& xs, MapResult map_result = {}) {
  if (exact(tf::run(map_result(h, f), xs), std::invoke(h, tf::run(f, xs)))) return holds();
  return broken(where("run(map_result(h, f), xs) != h(run(f, xs))", xs));
}

/// `tracefold::group_by` as a function object (it is a function template).
struct group_by_fn {
  template <class K, class F>
  auto operator()(K k, F f) const {
    return tf::group_by(std::move(k), std::move(f));
  }
};

/// `run(group_by(k, f), xs)` maps each key to `run(f, [x in xs | k(x) == key])`, computed
/// here the slow way: partition the input by key first, then run `f` on each part.
template <class K, class F, class R, class GroupBy = group_by_fn>
law_result group_by_law(const K& k, const F& f, const R& xs, GroupBy group_by = {}) {
  const auto grouped = tf::run(group_by(k, f), xs);
  using result_map = std::remove_cvref_t<decltype(grouped)>;
  using key_type = typename result_map::key_type;
  std::map<key_type, std::vector<std::ranges::range_value_t<const R&>>> parts;
  for (auto&& x : xs) parts[key_type(std::invoke(k, x))].push_back(x);
  result_map expected;
  for (const auto& [key, part] : parts) expected.emplace(key, tf::run(f, part));
  if (exact(grouped, expected)) return holds();
  return broken("run(group_by(k, f), xs) != {key: run(f, part of key)} (" +
                std::to_string(grouped.size()) + " groups vs " + std::to_string(expected.size()) +
                " keys)");
}

// ---------------------------------------------------------------------------------------------
// Laws of merge: a mergeable fold's states form a monoid that agrees with the input order
// ---------------------------------------------------------------------------------------------

/// `init()` is a left and right identity of `merge`, on states of random chunks of `xs`
/// (compared through `done`: states need not be comparable, results are).
template <class F, class R, class Eq = equal_within>
law_result merge_identity(const F& f, const R& xs, std::uint64_t seed, Eq eq = exact) {
  const std::size_t n = size_of(xs);
  std::mt19937_64 rng(seed);
  std::vector<chunk> chunks = {{0, 0}, {0, n}};
  for (int i = 0; i < 4; ++i) chunks.push_back(random_chunk(n, rng));
  for (const chunk c : chunks) {
    const auto s = run_state(f, xs, c);
    const auto alone = f.done(s);
    const std::string at = " for the chunk [" + std::to_string(c.lo) + ", " + std::to_string(c.hi) +
                           ") of " + std::to_string(n);
    if (!eq(f.done(f.merge(f.init(), s)), alone)) return broken("merge(init(), s) != s" + at);
    if (!eq(f.done(f.merge(s, f.init())), alone)) return broken("merge(s, init()) != s" + at);
  }
  return holds();
}

/// `merge` is associative: `merge(merge(a, b), c) == merge(a, merge(b, c))` for states of
/// random (possibly empty, possibly overlapping) chunks of `xs`, compared through `done`.
template <class F, class R, class Eq = equal_within>
law_result merge_associative(const F& f, const R& xs, std::uint64_t seed, Eq eq = exact) {
  const std::size_t n = size_of(xs);
  std::mt19937_64 rng(seed);
  for (int trial = 0; trial < 6; ++trial) {
    // The first trial uses adjacent thirds, the way run_parallel cuts its input.
    const chunk ca = trial == 0 ? chunk{0, n / 3} : random_chunk(n, rng);
    const chunk cb = trial == 0 ? chunk{n / 3, 2 * n / 3} : random_chunk(n, rng);
    const chunk cc = trial == 0 ? chunk{2 * n / 3, n} : random_chunk(n, rng);
    const auto a = run_state(f, xs, ca);
    const auto b = run_state(f, xs, cb);
    const auto c = run_state(f, xs, cc);
    const auto left = f.done(f.merge(f.merge(a, b), c));
    const auto right = f.done(f.merge(a, f.merge(b, c)));
    if (!eq(left, right)) {
      auto show = [](chunk x) {
        return "[" + std::to_string(x.lo) + ", " + std::to_string(x.hi) + ")";
      };
      return broken("merge(merge(a, b), c) != merge(a, merge(b, c)) for chunks " + show(ca) + ", " +
                    show(cb) + ", " + show(cc) + " of " + std::to_string(n));
    }
  }
  return holds();
}

/// Split-merge equals whole: for split points k of `xs`,
/// `done(merge(run_state(xs[0:k]), run_state(xs[k:]))) == run(f, xs)`.
template <class F, class R, class Eq = equal_within>
law_result split_merge(const F& f, const R& xs, std::uint64_t seed, Eq eq = exact) {
  const std::size_t n = size_of(xs);
  const auto whole = tf::run(f, xs);
  for (const std::size_t k : split_points(n, seed)) {
    auto merged = f.done(f.merge(run_state(f, xs, chunk{0, k}), run_state(f, xs, chunk{k, n})));
    if (!eq(merged, whole))
      return broken("done(merge(run_state(xs[0:k]), run_state(xs[k:]))) != run(f, xs) at k = " +
                    std::to_string(k) + " of " + std::to_string(n));
  }
  return holds();
}

/// `run_parallel(f, xs, t) == run(f, xs)` for 1 to 4 threads.
template <class F, class R, class Eq = equal_within>
law_result parallel_equals_run(const F& f, const R& xs, Eq eq = exact) {
  const auto whole = tf::run(f, xs);
  for (unsigned t = 1; t <= 4; ++t)
    if (!eq(tf::run_parallel(f, xs, t), whole))
      return broken("run_parallel(f, xs, " + std::to_string(t) + ") != run(f, xs), input of " +
                    std::to_string(size_of(xs)));
  return holds();
}

// ---------------------------------------------------------------------------------------------
// Laws of tree algebras
// ---------------------------------------------------------------------------------------------

/// A product of algebras is computed component-wise:
/// `eval(product(as...), t)[i] == {eval(as, t)[i]...}` for every node `i`, where `eval` is
/// `cata` (tree algebras) or `descend` (top-down algebras).
template <class Eval, class Product, class... As>
law_result algebra_product_law_with(const Eval& eval, const Product& product, const tf::trace& t,
                                    const As&... as) {
  const auto whole = eval(product(as...), t);
  const auto parts = std::make_tuple(eval(as, t)...);
  if (whole.size() != t.size())
    return broken("product gives " + std::to_string(whole.size()) + " values for " +
                  std::to_string(t.size()) + " nodes");
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto expected =
        std::apply([&](const auto&... vs) { return std::make_tuple(vs[i]...); }, parts);
    if (!exact(whole[i], expected))
      return broken("eval(product(as...), t)[i] != {eval(as, t)[i]...} at node " +
                    std::to_string(i) + " of " + std::to_string(t.size()));
  }
  return holds();
}

/// `cata` of a product of tree algebras, component-wise.
template <class... As>
law_result cata_product_law(const tf::trace& t, const As&... as) {
  return algebra_product_law_with(tf::cata, tf::product, t, as...);
}

/// `descend` of a product of top-down algebras, component-wise.
template <class... Ds>
law_result descend_product_law(const tf::trace& t, const Ds&... ds) {
  return algebra_product_law_with(tf::descend, tf::product, t, ds...);
}

/// `eval(a, t)[i] == reference(t[i])` for every node: the algebra agrees with a value computed
/// another way (brute force over `subtree()`, `parent()` chains, ...).
template <class Eval, class A, class Ref>
law_result matches_reference(const Eval& eval, const A& a, const tf::trace& t,
                             const Ref& reference) {
  const auto values = eval(a, t);
  if (values.size() != t.size()) return broken("wrong number of values");
  for (std::size_t i = 0; i < t.size(); ++i)
    if (!exact(values[i], reference(t[i])))
      return broken("value at node " + std::to_string(i) + " of " + std::to_string(t.size()) +
                    " differs from the reference");
  return holds();
}

// ---------------------------------------------------------------------------------------------
// Fixtures: tree algebras
// ---------------------------------------------------------------------------------------------

/// Number of nodes in the subtree.
struct subtree_size_alg {
  std::uint32_t begin(tf::span_ref) const { return 1; }
  std::uint32_t child(std::uint32_t acc, tf::span_ref, std::uint32_t v) const { return acc + v; }
  std::uint32_t finish(std::uint32_t acc, tf::span_ref) const { return acc; }
};

/// Number of leaves in the subtree.
struct leaf_count_alg {
  std::uint32_t begin(tf::span_ref) const { return 0; }
  std::uint32_t child(std::uint32_t acc, tf::span_ref, std::uint32_t v) const { return acc + v; }
  std::uint32_t finish(std::uint32_t acc, tf::span_ref n) const {
    return n.has_children() ? acc : 1;
  }
};

/// Largest span duration in the subtree.
struct max_duration_alg {
  std::int64_t begin(tf::span_ref n) const { return n->duration_ns(); }
  std::int64_t child(std::int64_t acc, tf::span_ref, std::int64_t v) const {
    return std::max(acc, v);
  }
  std::int64_t finish(std::int64_t acc, tf::span_ref) const { return acc; }
};

/// `{node index, hash of the children's indices in the order they were fed}`: checks that
/// `cata` hands a node exactly its children, in order.
struct child_order_alg {
  using value = std::pair<std::uint32_t, std::uint64_t>;
  std::uint64_t begin(tf::span_ref) const { return 0xcbf29ce484222325ull; }
  std::uint64_t child(std::uint64_t acc, tf::span_ref, const value& v) const {
    return (acc ^ (v.first + 1)) * 0x100000001b3ull;
  }
  value finish(std::uint64_t acc, tf::span_ref n) const { return {n.index(), acc}; }
};

/// Depth, top-down: roots 0, children one more than their parent.
struct depth_alg {
  std::uint32_t root(tf::span_ref) const { return 0; }
  std::uint32_t down(std::uint32_t p, tf::span_ref) const { return p + 1; }
};

/// Index of the node's root, top-down.
struct root_index_alg {
  std::uint32_t root(tf::span_ref n) const { return n.index(); }
  std::uint32_t down(std::uint32_t p, tf::span_ref) const { return p; }
};

/// Start time relative to the root's, accumulated parent by parent.
struct start_offset_alg {
  std::int64_t root(tf::span_ref) const { return 0; }
  std::int64_t down(std::int64_t p, tf::span_ref n) const {
    return p + static_cast<std::int64_t>(n->start_time_unix_nano -
                                         n.parent()->span().start_time_unix_nano);
  }
};

/// The root of `n`, by walking parent links.
inline tf::span_ref root_of(tf::span_ref n) {
  while (auto p = n.parent()) n = *p;
  return n;
}

/// The value an `annotated<V>` carries, as a projection for `premap`.
struct node_value_fn {
  template <class V>
  V operator()(const tf::annotated<V>& a) const {
    return a.value;
  }
};

// ---------------------------------------------------------------------------------------------
// Fixtures: the folds the laws are applied to
// ---------------------------------------------------------------------------------------------

/// A fold with a name for failure messages and the equality its merge laws use.
template <class F, class Eq>
struct named_fold {
  std::string_view name;  ///< what INFO prints
  F fold;                 ///< the fold
  Eq eq;                  ///< result equality for laws that re-split the input
};

template <class F, class Eq = equal_within>
named_fold<F, Eq> named(std::string_view name, F f, Eq eq = exact) {
  return {name, std::move(f), eq};
}

/// Calls `fn(nf)` for each `named_fold` in tuple `folds`.
template <class Tuple, class Fn>
void for_each_fold(const Tuple& folds, Fn&& fn) {
  std::apply([&](const auto&... nf) { (fn(nf), ...); }, folds);
}

/// Per span name: count and the longest duration.
inline auto by_name() {
  return tf::group_by(folds::name,
                      tf::product(folds::count, tf::premap(folds::duration, folds::max)));
}

/// Every representative span fold in one product.
inline auto all_span_folds() {
  return tf::product(folds::count, tf::premap(folds::duration, folds::sum),
                     tf::premap(folds::duration, folds::min),
                     tf::premap(folds::duration, folds::max),
                     tf::premap(folds::duration, folds::mean), folds::first<tf::span_ref>,
                     folds::last<tf::span_ref>,
                     tf::premap(folds::name, folds::to_vector<std::string_view>), by_name());
}

/// The representative folds over `span_ref`.
inline auto span_folds() {
  return std::make_tuple(
      named("count", folds::count),
      named("sum of durations", tf::premap(folds::duration, folds::sum)),
      named("min of durations", tf::premap(folds::duration, folds::min)),
      named("max of durations", tf::premap(folds::duration, folds::max)),
      named("mean of durations", tf::premap(folds::duration, folds::mean), approx),
      named("first span", folds::first<tf::span_ref>),
      named("last span", folds::last<tf::span_ref>),
      named("names in order", tf::premap(folds::name, folds::to_vector<std::string_view>)),
      named("group_by(name, product(count, max duration))", by_name()),
      named("product of all span folds", all_span_folds(), approx));
}

/// The representative folds over `trace`: span folds lifted with each_span, and a tree
/// algebra joined to a fold with each_node.
inline auto trace_folds() {
  return std::make_tuple(
      named("each_span(count)", tf::each_span(folds::count)),
      named("each_span(names in order)",
            tf::each_span(tf::premap(folds::name, folds::to_vector<std::string_view>))),
      named("each_span(group_by(name, ...))", tf::each_span(by_name())),
      named("each_span(product of all span folds)", tf::each_span(all_span_folds()), approx),
      named("each_node(subtree size, sum)",
            tf::each_node(subtree_size_alg{}, tf::premap(node_value_fn{}, folds::sum))),
      named("each_node(depth, max)",
            tf::each_node(depth_alg{}, tf::premap(node_value_fn{}, folds::max))));
}

// ---------------------------------------------------------------------------------------------
// Deliberately broken folds and combinators, to show each checker can fail
// ---------------------------------------------------------------------------------------------

/// `F`, except that `merge` drops its right argument.
template <class F>
struct drops_right {
  F fold;
  tf::state_t<F> init() const { return fold.init(); }
  template <class In>
    requires tf::fold_over<F, In> tf::state_t<F> step(tf::state_t<F> s, const In& x)
  const { return fold.step(std::move(s), x); }
  tf::state_t<F> merge(tf::state_t<F> a, tf::state_t<F>) const { return a; }
  auto done(tf::state_t<F> s) const { return fold.done(std::move(s)); }
};

/// A count whose merge is `2a + b`: `init()` is still a left identity, but merge is neither
/// associative nor has a right identity.
struct lopsided_count {
  std::uint64_t init() const { return 0; }
  template <class In>
  std::uint64_t step(std::uint64_t n, const In&) const {
    return n + 1;
  }
  std::uint64_t merge(std::uint64_t a, std::uint64_t b) const { return 2 * a + b; }
  std::uint64_t done(std::uint64_t n) const { return n; }
};

/// `F`, stepped twice per input.
template <class F>
struct twice {
  F fold;
  tf::state_t<F> init() const { return fold.init(); }
  template <class In>
    requires tf::fold_over<F, In> tf::state_t<F> step(tf::state_t<F> s, const In& x)
  const { return fold.step(fold.step(std::move(s), x), x); }
  tf::state_t<F> merge(tf::state_t<F> a, tf::state_t<F> b) const requires tf::detail::has_merge<F> {
    return fold.merge(std::move(a), std::move(b));
  }
  auto done(tf::state_t<F> s) const { return fold.done(std::move(s)); }
};

template <class F>
twice<F> make_twice(F f) {
  return {std::move(f)};
}

}  // namespace tfl
