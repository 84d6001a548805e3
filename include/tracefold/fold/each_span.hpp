#pragma once
/// @file
/// `each_span(f)`: lift a fold over spans to a fold over traces.

#include <tracefold/fold/fold_over.hpp>
#include <tracefold/model/span_ref.hpp>
#include <tracefold/model/trace.hpp>
#include <utility>

namespace tracefold {

/// Fold `F` (over `span_ref`) stepped with every span of each trace, in pre-order.
/// Mergeable when `F` is; adds no allocation.
template <class F>
struct each_span_fold {
  F fold;  ///< the span fold

  /// `fold.init()`.
  constexpr state_t<F> init() const { return fold.init(); }
  /// Steps `fold` with each span of `t`.
  constexpr state_t<F> step(state_t<F> s, const trace& t) const
    requires fold_over<F, span_ref>
  {
    for (span_ref r : t.spans()) s = fold.step(std::move(s), r);
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

/// `each_span(f)`: see `each_span_fold`.
struct each_span_fn {
  /// See `each_span_fold`.
  template <class F>
  constexpr each_span_fold<F> operator()(F f) const {
    return {std::move(f)};
  }
};

/// See `each_span_fold`.
inline constexpr each_span_fn each_span{};

}  // namespace tracefold
