#pragma once
/// @file
/// `tree_algebra<A>`: a bottom-up computation over a span tree (the algebra of a catamorphism).

#include <concepts>
#include <type_traits>
#include <tracefold/model/span_ref.hpp>
#include <utility>

namespace tracefold {

/// The accumulator type of tree algebra `A`: what `a.begin(node)` returns.
template <class A>
using accumulator_t = std::remove_cvref_t<decltype(std::declval<const A&>().begin(std::declval<span_ref>()))>;

/// The value type of tree algebra `A`: what `a.finish(acc, node)` returns.
template <class A>
using algebra_value_t = std::remove_cvref_t<decltype(std::declval<const A&>().finish(
    std::declval<accumulator_t<A>>(), std::declval<span_ref>()))>;

/// A bottom-up algebra: a node's value from the node and its children's values.
///
/// - `a.begin(node) -> Acc`                   start a node
/// - `a.child(Acc, node, const V& child) -> Acc`  fold in one child's value (children in order)
/// - `a.finish(Acc, node) -> V`               the node's value
///
/// `cata(a, trace)` evaluates it for every node in one reverse sweep, no recursion.
/// The product of tree algebras (`product(a, b)`) is a tree algebra.
template <class A>
concept tree_algebra = requires(const A& a, span_ref n) { a.begin(n); } &&
                       requires(const A& a, span_ref n, accumulator_t<A> acc) { a.finish(std::move(acc), n); } &&
                       requires(const A& a, span_ref n, accumulator_t<A> acc, const algebra_value_t<A>& v) {
                         { a.child(std::move(acc), n, v) } -> std::convertible_to<accumulator_t<A>>;
                       };

}  // namespace tracefold
