#pragma once
/// @file
/// `map_result(h, f)`: transform a fold's result.

#include <functional>
#include <tracefold/fold/fold_over.hpp>
#include <utility>

namespace tracefold {

/// Fold `F` whose result is passed through `h` (the Functor instance of Control.Foldl's Fold).
template <class H, class F>
struct map_result_fold {
  H fn;    ///< applied to the result
  F fold;  ///< the underlying fold

  /// `fold.init()`.
  constexpr state_t<F> init() const { return fold.init(); }
  /// `fold.step(s, x)`.
  template <class In>
    requires fold_over<F, In>
  constexpr state_t<F> step(state_t<F> s, const In& x) const {
    return fold.step(std::move(s), x);
  }
  /// `fold.merge(a, b)`.
  constexpr state_t<F> merge(state_t<F> a, state_t<F> b) const
    requires detail::has_merge<F>
  {
    return fold.merge(std::move(a), std::move(b));
  }
  /// `h(fold.done(s))`.
  constexpr auto done(state_t<F> s) const { return std::invoke(fn, fold.done(std::move(s))); }
};

/// `map_result(h, f)`: see `map_result_fold`.
struct map_result_fn {
  /// See `map_result_fold`.
  template <class H, class F>
  constexpr map_result_fold<H, F> operator()(H h, F f) const {
    return {std::move(h), std::move(f)};
  }
};

/// See `map_result_fold`.
inline constexpr map_result_fn map_result{};

}  // namespace tracefold
