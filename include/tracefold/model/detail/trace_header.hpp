#pragma once
/// @file
/// Storage records shared by `trace`, `span_ref` and `trace_set`.

#include <cstdint>
#include <tracefold/model/span.hpp>
#include <tracefold/model/trace_id.hpp>

namespace tracefold::detail {

/// Sentinel for "no parent".
inline constexpr std::uint32_t no_parent = 0xFFFFFFFFu;

/// Flag bits of a tree node.
enum node_flag : std::uint32_t {
  node_orphan = 1u,         ///< parent id set but no such span in the trace
  node_cycle_broken = 2u,   ///< made a root to break a parent cycle
  node_duplicate_id = 4u,   ///< another span of the trace has the same span id
};

/// A span's place in its tree; indices are positions within the trace (pre-order).
struct tree_node {
  std::uint32_t parent = no_parent;  ///< parent position, or `no_parent` for a root
  std::uint32_t depth = 0;           ///< 0 for roots
  std::uint32_t subtree_end = 0;     ///< one past the last position of this subtree
  std::uint32_t flags = 0;           ///< `node_flag` bits
};

/// One trace's slice of the trace_set arrays.
struct trace_header {
  tracefold::trace_id id;       ///< the trace id
  const span* spans = nullptr;  ///< `size` spans in pre-order
  const tree_node* nodes = nullptr;  ///< `size` nodes, parallel to `spans`
  std::uint32_t size = 0;       ///< number of spans
  std::uint32_t root_count = 0;  ///< number of roots (1 for a complete trace)
};

}  // namespace tracefold::detail
