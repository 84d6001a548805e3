#pragma once
/// @file
/// `premap(g, f)`: transform each input before the fold sees it.

#include <functional>
#include <type_traits>
#include <tracefold/fold/fold_over.hpp>
#include <utility>

namespace tracefold {

/// Fold `F` fed with `g(x)` for each input `x` (Control.Foldl's `premap`).
///
/// Laws: `premap(id, f) == f`; `premap(g, product(f, h)) == product(premap(g, f), premap(g, h))`.
template <class G, class F>
struct premap_fold {
  G fn;    ///< the input transformation
  F fold;  ///< the fold that sees transformed inputs

  /// `fold.init()`.
  constexpr state_t<F> init() const { return fold.init(); }
  /// `fold.step(s, g(x))`.
  template <class In>
    requires std::invocable<const G&, const In&> && fold_over<F, std::invoke_result_t<const G&, const In&>>
  constexpr state_t<F> step(state_t<F> s, const In& x) const {
    return fold.step(std::move(s), std::invoke(fn, x));
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

/// `premap(g, f)`: see `premap_fold`.
struct premap_fn {
  /// See `premap_fold`.
  template <class G, class F>
  constexpr premap_fold<G, F> operator()(G g, F f) const {
    return {std::move(g), std::move(f)};
  }
};

/// See `premap_fold`.
inline constexpr premap_fn premap{};

}  // namespace tracefold
