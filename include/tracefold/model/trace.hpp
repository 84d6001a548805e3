#pragma once
/// @file
/// `trace`: an immutable tree (or forest) of spans sharing one trace id.

#include <cstddef>
#include <cstdint>
#include <tracefold/model/detail/trace_header.hpp>
#include <tracefold/model/span_ref.hpp>
#include <tracefold/model/trace_id.hpp>

namespace tracefold {

/// A view of one trace: its spans in pre-order, children ordered by start time then span id.
///
/// Pointer-sized and trivially copyable; valid while its `trace_set` lives. Usually one
/// root; a trace with missing parents (a partial dump) or broken cycles has several, each
/// heading a contiguous subtree. `spans()` is random access, so a bottom-up fold is one
/// reverse sweep and a top-down fold one forward sweep, without recursion.
class trace {
 public:
  /// A null trace; only assignment and comparison are valid on it.
  trace() = default;
  /// A view of the trace stored in `h` (library use).
  explicit trace(const detail::trace_header* h) noexcept : h_(h) {}

  /// The trace id.
  [[nodiscard]] const trace_id& id() const noexcept { return h_->id; }
  /// Number of spans.
  [[nodiscard]] std::size_t size() const noexcept { return h_->size; }
  /// True for a trace with no spans (never produced by the builder).
  [[nodiscard]] bool empty() const noexcept { return h_->size == 0; }
  /// The node at pre-order position `i`; precondition `i < size()`.
  [[nodiscard]] span_ref operator[](std::size_t i) const noexcept {
    return span_ref(h_, static_cast<std::uint32_t>(i));
  }
  /// All nodes in pre-order (random access).
  [[nodiscard]] span_ref::range spans() const noexcept {
    return {h_, 0, static_cast<std::uint32_t>(h_->size)};
  }
  /// Start of `spans()`, so a trace is itself a range of `span_ref`.
  [[nodiscard]] span_ref::range::iterator begin() const noexcept { return {h_, 0}; }
  /// End of `spans()`.
  [[nodiscard]] span_ref::range::iterator end() const noexcept { return {h_, h_->size}; }
  /// The roots, in order of start time then span id.
  [[nodiscard]] span_ref::sibling_range roots() const noexcept { return {h_, 0, h_->size}; }
  /// Number of roots (1 for a complete trace).
  [[nodiscard]] std::size_t root_count() const noexcept { return h_->root_count; }

  /// Same stored trace.
  friend bool operator==(const trace& a, const trace& b) noexcept { return a.h_ == b.h_; }

 private:
  const detail::trace_header* h_ = nullptr;
};

inline trace span_ref::trace() const noexcept { return tracefold::trace(h_); }

}  // namespace tracefold
