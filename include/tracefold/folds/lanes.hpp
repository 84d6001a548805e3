#pragma once
/// @file
/// `folds::lanes`: Gantt lanes for a trace, packed greedily first-fit.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <tracefold/model/trace.hpp>
#include <tuple>
#include <utility>
#include <vector>

namespace tracefold::folds {

/// Which lane (Gantt row) each span of a trace is drawn in.
struct lane_layout {
  /// `lane[i]` is the lane of the span at pre-order position `i` (`trace::operator[]`).
  std::vector<std::uint32_t> lane;
  /// Number of lanes used: the largest number of spans running at one instant.
  std::uint32_t count = 0;
};

/// Packs a trace's spans into as few lanes as the concurrency needs.
///
/// Spans are taken in order of start time (ties: zero-length spans first, then pre-order, so a
/// parent sharing its child's start keeps the lower lane) and each goes into the lowest-numbered
/// lane that is free at its start, a new lane when none is. A lane is free once its last span has
/// ended: a span ending at `t` and one starting at `t` share a lane. A span whose end is before its
/// start is taken to end at its start; such an instant still needs a lane of its own where a longer
/// span is running, so that it stays visible. Taking spans in this order, first fit uses as many
/// lanes as the most spans that are running at one instant, which is the fewest possible.
///
/// O(n log n) for n spans (a sort, and two heaps: busy lanes by end time, free lanes by
/// number); no recursion. Allocates per trace, never per span; the second overload reuses
/// the caller's buffers.
struct lanes_fn {
  /// Reusable buffers for `operator()(t, out, scratch)`.
  struct scratch {
    /// (start, 0 for a zero-length span else 1, pre-order position)
    std::vector<std::tuple<std::uint64_t, std::uint32_t, std::uint32_t>> by_start;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> busy;  ///< heap of (end, lane)
    std::vector<std::uint32_t> free;                            ///< heap of free lanes
  };

  /// The lanes of `t`.
  [[nodiscard]] lane_layout operator()(const trace& t) const {
    lane_layout out;
    scratch s;
    (*this)(t, out, s);
    return out;
  }

  /// The lanes of `t` into `out`, reusing `out`'s and `s`'s storage.
  void operator()(const trace& t, lane_layout& out, scratch& s) const {
    const std::size_t n = t.size();
    out.lane.assign(n, 0);
    out.count = 0;
    s.by_start.clear();
    s.busy.clear();
    s.free.clear();
    s.by_start.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const span& sp = t[i].span();
      s.by_start.emplace_back(sp.start_time_unix_nano,
                              sp.end_time_unix_nano > sp.start_time_unix_nano ? 1u : 0u,
                              static_cast<std::uint32_t>(i));
    }
    std::sort(s.by_start.begin(), s.by_start.end());
    const auto later_end = std::greater<>{};  // min-heap of (end, lane)
    const auto higher = std::greater<>{};     // min-heap of lane numbers
    for (const auto& [start, nonempty, pos] : s.by_start) {
      while (!s.busy.empty() && s.busy.front().first <= start) {
        s.free.push_back(s.busy.front().second);
        std::push_heap(s.free.begin(), s.free.end(), higher);
        std::pop_heap(s.busy.begin(), s.busy.end(), later_end);
        s.busy.pop_back();
      }
      std::uint32_t lane;
      if (s.free.empty()) {
        lane = out.count++;
      } else {
        std::pop_heap(s.free.begin(), s.free.end(), higher);
        lane = s.free.back();
        s.free.pop_back();
      }
      out.lane[pos] = lane;
      const std::uint64_t end = nonempty != 0 ? t[pos].span().end_time_unix_nano : start;
      s.busy.emplace_back(end, lane);
      std::push_heap(s.busy.begin(), s.busy.end(), later_end);
    }
  }
};

/// See `lanes_fn`: `folds::lanes(t).lane[i]`.
inline constexpr lanes_fn lanes{};

}  // namespace tracefold::folds
