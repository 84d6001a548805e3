#pragma once
/// @file
/// `cata(a, trace)`: evaluate a tree algebra bottom-up over every node of a trace.

#include <algorithm>
#include <cstddef>
#include <tracefold/fold/tree_algebra.hpp>
#include <tracefold/model/trace.hpp>
#include <utility>
#include <vector>

namespace tracefold {

/// Evaluates tree algebra `a` on every node of `t`; `out[i]` is the value of `t[i]`.
///
/// One reverse sweep over the pre-order (children always sit after their parent), so a
/// node's children are finished before it. O(n) time, no recursion: a 100,000-deep chain
/// is fine. `out` is cleared and refilled, so a caller can reuse its capacity.
struct cata_into_fn {
  /// See `cata_into_fn`.
  template <class A>
  void operator()(const A& a, const trace& t, std::vector<algebra_value_t<A>>& out) const {
    static_assert(tree_algebra<A>, "tracefold::cata(a, t) requires 'a' to satisfy tree_algebra<A>");
    const std::size_t n = t.size();
    out.clear();
    out.reserve(n);
    // out is filled in reverse position order: the value of position i is at out[n-1-i].
    for (std::size_t i = n; i-- > 0;) {
      const span_ref node = t[i];
      auto acc = a.begin(node);
      for (span_ref c : node.children()) acc = a.child(std::move(acc), node, out[n - 1 - c.index()]);
      out.push_back(a.finish(std::move(acc), node));
    }
    std::reverse(out.begin(), out.end());
  }
};

/// See `cata_into_fn`.
inline constexpr cata_into_fn cata_into{};

/// The catamorphism: the value of tree algebra `a` at every node of `t`, in pre-order.
///
/// `values[0]` is the first root's value (the whole tree's, for a complete trace).
/// Allocates one vector of `t.size()` values; use `cata_into` to reuse one.
struct cata_fn {
  /// See `cata_fn`.
  template <class A>
  [[nodiscard]] std::vector<algebra_value_t<A>> operator()(const A& a, const trace& t) const {
    std::vector<algebra_value_t<A>> out;
    cata_into(a, t, out);
    return out;
  }
};

/// See `cata_fn`.
inline constexpr cata_fn cata{};

}  // namespace tracefold
