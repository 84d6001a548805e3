#pragma once
/// @file
/// `prefilter(p, f)`: feed the fold only the inputs that satisfy a predicate.

#include <concepts>
#include <functional>
#include <tracefold/fold/fold_over.hpp>
#include <utility>

namespace tracefold {

/// Fold `F` over the inputs `x` with `p(x)` true; other inputs leave the state unchanged.
template <class P, class F>
struct prefilter_fold {
  P pred;  ///< which inputs to keep
  F fold;  ///< the fold over kept inputs

  /// `fold.init()`.
  constexpr state_t<F> init() const { return fold.init(); }
  /// `p(x) ? fold.step(s, x) : s`.
  template <class In>
    requires std::predicate<const P&, const In&> && fold_over<F, In>
  constexpr state_t<F> step(state_t<F> s, const In& x) const {
    if (std::invoke(pred, x)) return fold.step(std::move(s), x);
    return s;
  }
  /// `fold.merge(a, b)`.
  constexpr state_t<F> merge(state_t<F> a, state_t<F> b) const
    requires detail::has_merge<F>
  {
    return fold.merge(std::move(a), std::move(b));
  }
  /// `fold.done(s)`.
  constexpr auto done(state_t<F> s) const { return fold.done(std::move(s)); }
};

/// `prefilter(p, f)`: see `prefilter_fold`.
struct prefilter_fn {
  /// See `prefilter_fold`.
  template <class P, class F>
  constexpr prefilter_fold<P, F> operator()(P p, F f) const {
    return {std::move(p), std::move(f)};
  }
};

/// See `prefilter_fold`.
inline constexpr prefilter_fn prefilter{};

}  // namespace tracefold
