#pragma once
/// @file
/// `run(f, range)`: one pass of a fold over a range.

#include <ranges>
#include <tracefold/fold/fold_over.hpp>
#include <utility>

namespace tracefold {

/// Runs fold `f` over `r` in one pass: `done(foldl step init r)`.
///
/// `F × Range(In) → R`. O(|r|) steps; allocates only what the fold's state does.
/// A fold that cannot take the range's elements fails to compile with a message naming
/// `fold_over`.
struct run_fn {
  /// Folds every element of `r` into `f`'s state and returns `f.done(state)`.
  template <class F, class R>
  constexpr auto operator()(const F& f, R&& r) const {
    static_assert(std::ranges::input_range<R>,
                  "tracefold::run(f, r) requires 'r' to be an input range");
    using in_t = std::ranges::range_reference_t<R>;
    if constexpr (fold_over<F, in_t>) {
      auto s = f.init();
      for (auto&& x : r) s = f.step(std::move(s), x);
      return f.done(std::move(s));
    } else {
      static_assert(detail::always_false<F, R>,
                    "tracefold::run(f, r) requires fold_over<F, range_reference_t<R>>: "
                    "f.step(state, x) must accept the elements of 'r'");
    }
  }
};

/// See `run_fn`.
inline constexpr run_fn run{};

}  // namespace tracefold
