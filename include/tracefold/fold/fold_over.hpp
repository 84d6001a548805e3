#pragma once
/// @file
/// `fold_over<F, In>`: the concept of a fold, and `state_t` / `result_t`.

#include <concepts>
#include <type_traits>
#include <utility>

namespace tracefold {

/// The state type of fold `F`: what `f.init()` returns.
template <class F>
using state_t = std::remove_cvref_t<decltype(std::declval<const F&>().init())>;

/// The result type of fold `F`: what `f.done(state)` returns.
template <class F>
using result_t = decltype(std::declval<const F&>().done(std::declval<state_t<F>>()));

/// A fold over inputs of type `In`: Control.Foldl's `Fold In R` as a C++ value.
///
/// - `f.init() -> S`            the initial state
/// - `f.step(S, const In&) -> S`  one input; the runner always writes `s = f.step(std::move(s), x)`
/// - `f.done(S) -> R`           the result
///
/// `f` itself is immutable: all that changes is the separate state, so one fold value can
/// run many times, on many threads. Signature: `S × (S × In → S) × (S → R)`.
template <class F, class In>
concept fold_over = requires(const F& f) { f.init(); } && std::movable<state_t<F>> &&
                    requires(const F& f, state_t<F> s, const In& in) {
                      { f.step(std::move(s), in) } -> std::convertible_to<state_t<F>>;
                      f.done(std::move(s));
                    };

namespace detail {
/// `F` has a `merge(S, S) -> S` (whatever its input type).
template <class F>
concept has_merge = requires(const F& f) { f.init(); } &&
                    requires(const F& f, state_t<F> a, state_t<F> b) {
                      { f.merge(std::move(a), std::move(b)) } -> std::convertible_to<state_t<F>>;
                    };
/// Always false, for static_asserts in discarded `if constexpr` branches.
template <class...>
inline constexpr bool always_false = false;
}  // namespace detail

}  // namespace tracefold
