#pragma once
/// @file
/// `top_down_algebra<D>`: a computation that flows from parents to children.

#include <concepts>
#include <type_traits>
#include <tracefold/model/span_ref.hpp>
#include <utility>

namespace tracefold {

/// The value type of top-down algebra `D`: what `d.root(node)` returns.
template <class D>
using inherited_t = std::remove_cvref_t<decltype(std::declval<const D&>().root(std::declval<span_ref>()))>;

/// A top-down algebra: each node's value from its parent's value (inherited context such as
/// offsets, lanes or a path).
///
/// - `d.root(node) -> V`                   value of a root
/// - `d.down(const V& parent, node) -> V`  value of a child from its parent's
///
/// `descend(d, trace)` evaluates it for every node in one forward sweep, no recursion.
template <class D>
concept top_down_algebra = requires(const D& d, span_ref n) { d.root(n); } &&
                           requires(const D& d, span_ref n, const inherited_t<D>& v) {
                             { d.down(v, n) } -> std::convertible_to<inherited_t<D>>;
                           };

}  // namespace tracefold
