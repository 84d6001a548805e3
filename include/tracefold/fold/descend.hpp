#pragma once
/// @file
/// `descend(d, trace)`: evaluate a top-down algebra over every node of a trace.

#include <cstddef>
#include <tracefold/fold/top_down_algebra.hpp>
#include <tracefold/model/trace.hpp>
#include <utility>
#include <vector>

namespace tracefold {

/// Evaluates top-down algebra `d` on every node of `t`; `out[i]` is the value of `t[i]`.
///
/// One forward sweep over the pre-order (a parent always comes before its children).
/// O(n) time, no recursion. `out` is cleared and refilled.
struct descend_into_fn {
  /// See `descend_into_fn`.
  template <class D>
  void operator()(const D& d, const trace& t, std::vector<inherited_t<D>>& out) const {
    static_assert(top_down_algebra<D>,
                  "tracefold::descend(d, t) requires 'd' to satisfy top_down_algebra<D>");
    const std::size_t n = t.size();
    out.clear();
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const span_ref node = t[i];
      if (auto p = node.parent()) {
        auto v = d.down(out[p->index()], node);
        out.push_back(std::move(v));
      } else {
        out.push_back(d.root(node));
      }
    }
  }
};

/// See `descend_into_fn`.
inline constexpr descend_into_fn descend_into{};

/// The top-down twin of `cata`: the inherited value at every node of `t`, in pre-order.
struct descend_fn {
  /// See `descend_fn`.
  template <class D>
  [[nodiscard]] std::vector<inherited_t<D>> operator()(const D& d, const trace& t) const {
    std::vector<inherited_t<D>> out;
    descend_into(d, t, out);
    return out;
  }
};

/// See `descend_fn`.
inline constexpr descend_fn descend{};

}  // namespace tracefold
