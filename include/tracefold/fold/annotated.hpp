#pragma once
/// @file
/// `annotated<V>`: a node together with the value an algebra computed for it.

#include <tracefold/model/span_ref.hpp>

namespace tracefold {

/// The input `each_node` hands its fold: a node and its algebra value.
/// `value` refers to storage that lives only during the step: copy what you keep.
template <class V>
struct annotated {
  span_ref node;   ///< the span in its tree
  const V& value;  ///< the algebra's value at `node`

  /// Member access to the span's data: `a->name`.
  [[nodiscard]] const span* operator->() const noexcept { return node.operator->(); }
};

}  // namespace tracefold
