#pragma once
/// @file
/// `each_node(alg, f)`: fold over traces that feeds `f` every node with an algebra's value.

#include <tracefold/fold/annotated.hpp>
#include <tracefold/fold/cata.hpp>
#include <tracefold/fold/descend.hpp>
#include <tracefold/fold/fold_over.hpp>
#include <tracefold/fold/top_down_algebra.hpp>
#include <tracefold/fold/tree_algebra.hpp>
#include <tracefold/model/trace.hpp>
#include <utility>
#include <vector>

namespace tracefold {

namespace detail {
template <class A>
constexpr auto node_value_type() {
  if constexpr (tree_algebra<A>) {
    return std::type_identity<algebra_value_t<A>>{};
  } else if constexpr (top_down_algebra<A>) {
    return std::type_identity<inherited_t<A>>{};
  } else {
    static_assert(always_false<A>,
                  "tracefold::each_node(a, f) requires 'a' to satisfy tree_algebra or top_down_algebra");
  }
}
}  // namespace detail

/// A fold over traces: for each trace, evaluates algebra `A` on every node (bottom-up with
/// `cata` for a tree algebra, top-down with `descend` for a top-down one), then steps span
/// fold `F` with `annotated<V>{node, value}` for each node in pre-order.
///
/// This is how a tree computation (self time, subtree size, depth offsets) joins a `product`
/// with ordinary folds. The state keeps a scratch vector reused across traces, so there is
/// no allocation per trace once it has grown. Mergeable when `F` is.
template <class A, class F>
struct each_node_fold {
  A algebra;  ///< the tree or top-down algebra
  F fold;     ///< the fold over `annotated<V>`

  /// The algebra's node value type.
  using value_type = typename decltype(detail::node_value_type<A>())::type;

  /// The inner state plus a scratch buffer for node values.
  struct state_type {
    state_t<F> inner;               ///< `F`'s state
    std::vector<value_type> scratch;  ///< node values of the current trace
  };

  /// `F`'s initial state and an empty scratch buffer.
  state_type init() const { return {fold.init(), {}}; }
  /// Evaluates the algebra on `t`, then steps `F` with each node and its value.
  state_type step(state_type s, const trace& t) const
    requires fold_over<F, annotated<value_type>>
  {
    if constexpr (tree_algebra<A>) {
      cata_into(algebra, t, s.scratch);
    } else {
      descend_into(algebra, t, s.scratch);
    }
    for (std::size_t i = 0; i < t.size(); ++i)
      s.inner = fold.step(std::move(s.inner), annotated<value_type>{t[i], s.scratch[i]});
    return s;
  }
  /// Merges the inner states.
  state_type merge(state_type a, state_type b) const
    requires detail::has_merge<F>
  {
    return {fold.merge(std::move(a.inner), std::move(b.inner)), std::move(a.scratch)};
  }
  /// `F`'s result.
  auto done(state_type s) const { return fold.done(std::move(s.inner)); }
};

/// `each_node(alg, f)`: see `each_node_fold`.
struct each_node_fn {
  /// See `each_node_fold`.
  template <class A, class F>
  constexpr each_node_fold<A, F> operator()(A a, F f) const {
    return {std::move(a), std::move(f)};
  }
};

/// See `each_node_fold`.
inline constexpr each_node_fn each_node{};

}  // namespace tracefold
