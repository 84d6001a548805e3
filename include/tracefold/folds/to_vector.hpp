#pragma once
/// @file
/// `folds::to_vector<T>`: every input, in order.

#include <concepts>
#include <vector>

namespace tracefold::folds {

/// Collects the inputs as `T` into a vector (amortised O(1) per input; allocates as the
/// vector grows). Mergeable by concatenation. With a view type such as `span_ref` the
/// result refers to the input and must not outlive its `trace_set`: not for streaming.
template <class T>
struct to_vector_fn {
  /// Empty.
  std::vector<T> init() const { return {}; }
  /// Appends `x`.
  template <class In>
    requires std::constructible_from<T, const In&> std::vector<T> step(std::vector<T> v,
                                                                       const In& x)
  const {
    v.emplace_back(x);
    return v;
  }
  /// `a ++ b`.
  std::vector<T> merge(std::vector<T> a, std::vector<T> b) const {
    a.insert(a.end(), std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()));
    return a;
  }
  /// The collected inputs.
  std::vector<T> done(std::vector<T> v) const { return v; }
};

/// `folds::to_vector<T>`: see `to_vector_fn`.
template <class T>
inline constexpr to_vector_fn<T> to_vector{};

}  // namespace tracefold::folds
