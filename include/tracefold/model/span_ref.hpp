#pragma once
/// @file
/// `span_ref`: a span in its tree, the usual input of a span fold.

#include <cstdint>
#include <optional>
#include <tracefold/model/detail/position_range.hpp>
#include <tracefold/model/detail/trace_header.hpp>
#include <tracefold/model/span.hpp>

namespace tracefold {

class trace;

/// A handle to one span in its trace tree: 12 bytes, trivially copyable.
///
/// Valid while the owning `trace_set` lives; so is every view it hands out. All accessors
/// are O(1) except `children()`, whose iteration costs O(number of children).
class span_ref {
 public:
  /// Random-access range of nodes (pre-order), as returned by `subtree()` and `trace::spans()`.
  using range = detail::position_range<span_ref>;
  /// Forward range of sibling nodes, as returned by `children()` and `trace::roots()`.
  using sibling_range = detail::sibling_range<span_ref>;

  /// A null handle; only assignment and comparison are valid on it.
  span_ref() = default;
  /// The node at pre-order `position` of the trace described by `h` (library use).
  span_ref(const detail::trace_header* h, std::uint32_t position) noexcept : h_(h), pos_(position) {}

  /// The span's data.
  [[nodiscard]] const tracefold::span& span() const noexcept { return h_->spans[pos_]; }
  /// Member access to the span's data: `ref->name`.
  [[nodiscard]] const tracefold::span* operator->() const noexcept { return h_->spans + pos_; }
  /// Position in the trace's pre-order (0 is the first root).
  [[nodiscard]] std::uint32_t index() const noexcept { return pos_; }
  /// Distance from the root (roots are 0).
  [[nodiscard]] std::uint32_t depth() const noexcept { return node().depth; }
  /// True for a root: a span with no parent, an orphan, or a span made root to break a cycle.
  [[nodiscard]] bool is_root() const noexcept { return node().parent == detail::no_parent; }
  /// The parent node, or nullopt for a root.
  [[nodiscard]] std::optional<span_ref> parent() const noexcept {
    const std::uint32_t p = node().parent;
    if (p == detail::no_parent) return std::nullopt;
    return span_ref(h_, p);
  }
  /// The direct children, ordered by start time, then span id.
  [[nodiscard]] sibling_range children() const noexcept {
    return {h_, pos_ + 1, node().subtree_end};
  }
  /// True when the node has at least one child.
  [[nodiscard]] bool has_children() const noexcept { return node().subtree_end > pos_ + 1; }
  /// This node and all its descendants, in pre-order: a contiguous range.
  [[nodiscard]] range subtree() const noexcept { return {h_, pos_, node().subtree_end}; }
  /// Number of nodes in the subtree, this one included.
  [[nodiscard]] std::uint32_t subtree_size() const noexcept { return node().subtree_end - pos_; }
  /// The trace this node belongs to. Defined in trace.hpp.
  [[nodiscard]] tracefold::trace trace() const noexcept;

  /// The span names a parent that is not in the trace, so it was made a root.
  [[nodiscard]] bool is_orphan() const noexcept { return (node().flags & detail::node_orphan) != 0; }
  /// The span was made a root to break a parent cycle.
  [[nodiscard]] bool broke_cycle() const noexcept {
    return (node().flags & detail::node_cycle_broken) != 0;
  }
  /// Another span of this trace has the same span id.
  [[nodiscard]] bool has_duplicate_id() const noexcept {
    return (node().flags & detail::node_duplicate_id) != 0;
  }

  /// Same trace, same position.
  friend bool operator==(const span_ref& a, const span_ref& b) noexcept {
    return a.h_ == b.h_ && a.pos_ == b.pos_;
  }

 private:
  [[nodiscard]] const detail::tree_node& node() const noexcept { return h_->nodes[pos_]; }

  const detail::trace_header* h_ = nullptr;
  std::uint32_t pos_ = 0;
};

}  // namespace tracefold

#include <tracefold/model/trace.hpp>
