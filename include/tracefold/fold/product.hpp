#pragma once
/// @file
/// `product(f, g, ...)`: several folds (or tree algebras) as one, run in a single pass.

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>
#include <cstddef>
#include <tuple>
#include <tracefold/fold/fold_over.hpp>
#include <tracefold/fold/top_down_algebra.hpp>
#include <tracefold/fold/tree_algebra.hpp>
#include <utility>

namespace tracefold {

/// The product of folds `Fs...`: one fold whose state is a `boost::hana::tuple` of their
/// states and whose result is a `std::tuple` of their results (so structured bindings work).
///
/// Banana-split law (tested): running `product(f, g)` once gives exactly
/// `{run(f, xs), run(g, xs)}`. It takes an input when every component does, and is
/// mergeable when every component is. The state lives on the stack: no allocation of its own.
template <class... Fs>
struct product_fold {
  /// The component folds.
  boost::hana::tuple<Fs...> folds;

  /// A tuple of the components' initial states.
  constexpr auto init() const { return init_(std::index_sequence_for<Fs...>{}); }

  /// Steps every component with the same input.
  template <class In>
    requires(fold_over<Fs, In> && ...)
  constexpr boost::hana::tuple<state_t<Fs>...> step(boost::hana::tuple<state_t<Fs>...> s, const In& x) const {
    step_(s, x, std::index_sequence_for<Fs...>{});
    return s;
  }

  /// Merges component-wise.
  constexpr boost::hana::tuple<state_t<Fs>...> merge(boost::hana::tuple<state_t<Fs>...> a,
                                                     boost::hana::tuple<state_t<Fs>...> b) const
    requires(detail::has_merge<Fs> && ...)
  {
    merge_(a, b, std::index_sequence_for<Fs...>{});
    return a;
  }

  /// A `std::tuple` of the components' results.
  constexpr auto done(boost::hana::tuple<state_t<Fs>...> s) const {
    return done_(s, std::index_sequence_for<Fs...>{});
  }

 private:
  template <std::size_t... I>
  constexpr boost::hana::tuple<state_t<Fs>...> init_(std::index_sequence<I...>) const {
    return boost::hana::tuple<state_t<Fs>...>(boost::hana::at_c<I>(folds).init()...);
  }
  template <class S, class In, std::size_t... I>
  constexpr void step_(S& s, const In& x, std::index_sequence<I...>) const {
    ((boost::hana::at_c<I>(s) = boost::hana::at_c<I>(folds).step(std::move(boost::hana::at_c<I>(s)), x)), ...);
  }
  template <class S, std::size_t... I>
  constexpr void merge_(S& a, S& b, std::index_sequence<I...>) const {
    ((boost::hana::at_c<I>(a) = boost::hana::at_c<I>(folds).merge(std::move(boost::hana::at_c<I>(a)),
                                                                  std::move(boost::hana::at_c<I>(b)))),
     ...);
  }
  template <class S, std::size_t... I>
  constexpr auto done_(S& s, std::index_sequence<I...>) const {
    return std::tuple<result_t<Fs>...>(boost::hana::at_c<I>(folds).done(std::move(boost::hana::at_c<I>(s)))...);
  }
};

/// The product of tree algebras: a tree algebra whose value is a `std::tuple` of their values,
/// computed in the same sweep.
template <class... As>
struct algebra_product {
  /// The component algebras.
  boost::hana::tuple<As...> algebras;

  /// Begins every component.
  auto begin(span_ref n) const { return begin_(n, std::index_sequence_for<As...>{}); }
  /// Feeds one child's tuple of values to every component.
  auto child(boost::hana::tuple<accumulator_t<As>...> acc, span_ref n,
             const std::tuple<algebra_value_t<As>...>& v) const {
    child_(acc, n, v, std::index_sequence_for<As...>{});
    return acc;
  }
  /// Finishes every component.
  std::tuple<algebra_value_t<As>...> finish(boost::hana::tuple<accumulator_t<As>...> acc, span_ref n) const {
    return finish_(acc, n, std::index_sequence_for<As...>{});
  }

 private:
  template <std::size_t... I>
  boost::hana::tuple<accumulator_t<As>...> begin_(span_ref n, std::index_sequence<I...>) const {
    return boost::hana::tuple<accumulator_t<As>...>(boost::hana::at_c<I>(algebras).begin(n)...);
  }
  template <class Acc, class V, std::size_t... I>
  void child_(Acc& acc, span_ref n, const V& v, std::index_sequence<I...>) const {
    ((boost::hana::at_c<I>(acc) =
          boost::hana::at_c<I>(algebras).child(std::move(boost::hana::at_c<I>(acc)), n, std::get<I>(v))),
     ...);
  }
  template <class Acc, std::size_t... I>
  std::tuple<algebra_value_t<As>...> finish_(Acc& acc, span_ref n, std::index_sequence<I...>) const {
    return {boost::hana::at_c<I>(algebras).finish(std::move(boost::hana::at_c<I>(acc)), n)...};
  }
};

/// The product of top-down algebras: inherited values computed side by side.
template <class... Ds>
struct top_down_product {
  /// The component algebras.
  boost::hana::tuple<Ds...> algebras;

  /// Every component's root value.
  std::tuple<inherited_t<Ds>...> root(span_ref n) const { return root_(n, std::index_sequence_for<Ds...>{}); }
  /// Every component's child value from its parent's.
  std::tuple<inherited_t<Ds>...> down(const std::tuple<inherited_t<Ds>...>& p, span_ref n) const {
    return down_(p, n, std::index_sequence_for<Ds...>{});
  }

 private:
  template <std::size_t... I>
  std::tuple<inherited_t<Ds>...> root_(span_ref n, std::index_sequence<I...>) const {
    return {boost::hana::at_c<I>(algebras).root(n)...};
  }
  template <class P, std::size_t... I>
  std::tuple<inherited_t<Ds>...> down_(const P& p, span_ref n, std::index_sequence<I...>) const {
    return {boost::hana::at_c<I>(algebras).down(std::get<I>(p), n)...};
  }
};

/// `product(x...)`: folds combine into a `product_fold`; tree algebras into an
/// `algebra_product`; top-down algebras into a `top_down_product`.
struct product_fn {
  /// See `product_fn`.
  template <class... Xs>
  constexpr auto operator()(Xs... xs) const {
    static_assert(sizeof...(Xs) > 0, "tracefold::product() needs at least one argument");
    if constexpr ((tree_algebra<Xs> && ...)) {
      return algebra_product<Xs...>{boost::hana::tuple<Xs...>(std::move(xs)...)};
    } else if constexpr ((top_down_algebra<Xs> && ...)) {
      return top_down_product<Xs...>{boost::hana::tuple<Xs...>(std::move(xs)...)};
    } else {
      return product_fold<Xs...>{boost::hana::tuple<Xs...>(std::move(xs)...)};
    }
  }
};

/// See `product_fn`.
inline constexpr product_fn product{};

}  // namespace tracefold
