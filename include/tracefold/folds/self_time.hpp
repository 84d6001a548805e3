#pragma once
/// @file
/// `folds::self_time`: a span's duration minus the time covered by its direct children.

#include <algorithm>
#include <cstdint>
#include <tracefold/model/span.hpp>
#include <tracefold/model/span_ref.hpp>

namespace tracefold::folds {

/// Self time in nanoseconds: the part of a span's `[start, end)` that no direct child covers.
///
/// `self(p) = |[p.start, p.end)| - |⋃ₖ ([cₖ.start, cₖ.end) ∩ [p.start, p.end))|` over the
/// direct children `cₖ` of `p`. Overlapping children count once; a child that starts before
/// or ends after its parent is clipped to the parent; a child entirely outside contributes
/// nothing; a span with `end <= start` has self time 0. Grandchildren matter only through
/// their parent's interval. Always `0 <= self(p) <= max(0, duration(p))`.
///
/// Algorithm: the model keeps children ordered by start time (`span_ref::children()`), and
/// clipping `start ↦ max(start, p.start)` keeps that order, so one sweep measures the union:
/// keep `reach`, the end of the covered prefix, and add `ce - max(cs, reach)` for each
/// clipped child `[cs, ce)` reaching past it. O(children) time per span, O(n) for a whole
/// trace, O(1) extra space: no allocation, no recursion (a 100,000-deep chain or a
/// 100,000-wide star is fine).
///
/// Self time depends only on a span and its direct children, so `self_time` has two faces:
///
/// - a **tree algebra** (`tree_algebra<self_time_fn>`, value `std::uint64_t`) for `cata`,
///   `cata_into`, `each_node` and `product` with other algebras:
///   `cata(folds::self_time, t)[i]` is the self time of `t[i]`; and per-span self time as a
///   span fold is `each_node(folds::self_time, f)` where `f` takes
///   `annotated<std::uint64_t>` (`a.node` the span, `a.value` its self time), e.g.
///   `each_node(folds::self_time, premap([](const auto& a) { return a.value; }, folds::sum))`;
/// - a **projection** `self_time(span_ref) -> std::uint64_t` for `premap`:
///   `premap(folds::self_time, folds::max)` over spans, no per-trace buffer needed.
///
/// Both give the same numbers. Requires the model's invariant that children are ordered by
/// start time (every `trace_set` the builder makes satisfies it).
struct self_time_fn {
  /// The algebra's accumulator: empty, the work is done in `finish` from the node's children.
  struct accumulator {};

  /// Self time of the span at `r`, in nanoseconds. O(children of `r`), no allocation.
  [[nodiscard]] std::uint64_t operator()(span_ref r) const noexcept {
    const span& p = r.span();
    const std::uint64_t start = p.start_time_unix_nano;
    const std::uint64_t end = p.end_time_unix_nano;
    if (end <= start) return 0;
    // Children arrive by start time, so clipped starts are non-decreasing: `reach` is the end
    // of the union seen so far, and only the part of a child past it adds coverage.
    std::uint64_t reach = start;
    std::uint64_t covered = 0;
    for (span_ref c : r.children()) {
      const span& s = c.span();
      if (s.start_time_unix_nano >= end) break;  // this and every later sibling start after p
      const std::uint64_t cs = std::max(s.start_time_unix_nano, reach);
      const std::uint64_t ce = std::min(s.end_time_unix_nano, end);
      if (ce <= cs) continue;  // empty, reversed, before p, or inside the covered prefix
      covered += ce - cs;
      reach = ce;
      if (reach == end) break;  // the parent is fully covered
    }
    return (end - start) - covered;
  }

  /// Starts a node (tree algebra).
  [[nodiscard]] constexpr accumulator begin(span_ref) const noexcept { return {}; }
  /// Takes one child's value (tree algebra); self time needs only the child's interval,
  /// which `finish` reads from the node's children.
  [[nodiscard]] constexpr accumulator child(accumulator acc, span_ref,
                                            const std::uint64_t&) const noexcept {
    return acc;
  }
  /// The node's self time (tree algebra): `(*this)(node)`.
  [[nodiscard]] std::uint64_t finish(accumulator, span_ref node) const noexcept {
    return (*this)(node);
  }
};

/// See `self_time_fn`.
inline constexpr self_time_fn self_time{};

}  // namespace tracefold::folds
