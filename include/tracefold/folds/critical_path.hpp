#pragma once
/// @file
/// `folds::critical_path`: the spans whose time the trace's end waited on.

#include <algorithm>
#include <cstdint>
#include <tracefold/model/trace.hpp>
#include <utility>
#include <vector>

namespace tracefold::folds {

/// The critical path of a trace: which spans it runs through, and for how long.
struct critical_path_result {
  /// `on_path[i]` is true when the span at pre-order position `i` is on the path.
  std::vector<bool> on_path;
  /// `path_ns[i]`: the time the span at position `i` contributes to the path itself (its
  /// part of the path not spent waiting on a child that is on the path); 0 off the path.
  std::vector<std::uint64_t> path_ns;
  /// Pre-order position of the root the path starts from (the root that ends last).
  std::uint32_t root = 0;
  /// Length of the path: the root's duration (the sum of `path_ns`).
  std::uint64_t length_ns = 0;
};

/// Finds the critical path: the chain of work the trace's end had to wait for.
///
/// Starting from the root that ends last, with a cursor at its end: among the span's
/// children, take the one that finishes last no later than the cursor (a child running past
/// the cursor counts up to the cursor), put it on the path up to the cursor, move the cursor
/// to that child's start, and repeat until the cursor reaches the span's start or no child
/// ends before it; the gaps between path children are the span's own time on the path. Each
/// path child is then treated the same way within its own window. This is the usual
/// definition (the one Jaeger's UI draws); it assumes children run inside their parent,
/// clipping them where they do not.
///
/// O(n log n) for n spans (each span's children are sorted by end time once); an explicit
/// work list, no recursion, so a 100,000-deep chain is fine. Allocates per trace. An empty
/// trace gives an empty result.
struct critical_path_fn {
  /// The critical path of `t`.
  [[nodiscard]] critical_path_result operator()(const trace& t) const {
    critical_path_result r;
    const std::size_t n = t.size();
    r.on_path.assign(n, false);
    r.path_ns.assign(n, 0);
    if (n == 0) return r;
    const auto end_of = [&](std::uint32_t i) {
      const span& s = t[i].span();
      return std::max(s.start_time_unix_nano, s.end_time_unix_nano);
    };
    std::uint64_t latest = 0;
    for (span_ref root : t.roots()) {
      if (end_of(root.index()) > latest || root.index() == 0) {
        latest = end_of(root.index());
        r.root = root.index();
      }
    }
    // Work list: a span on the path and the window [start, limit) it owns on the path.
    struct item {
      std::uint32_t pos;
      std::uint64_t from;
      std::uint64_t limit;
    };
    std::vector<item> work;
    std::vector<std::uint32_t> kids;
    const span& root = t[r.root].span();
    work.push_back({r.root, root.start_time_unix_nano, end_of(r.root)});
    r.length_ns = end_of(r.root) - root.start_time_unix_nano;
    while (!work.empty()) {
      const item it = work.back();
      work.pop_back();
      r.on_path[it.pos] = true;
      kids.clear();
      for (span_ref c : t[it.pos].children()) kids.push_back(c.index());
      // Latest end first; ties by later start, then position, so the result is deterministic.
      std::sort(kids.begin(), kids.end(), [&](std::uint32_t a, std::uint32_t b) {
        const std::uint64_t ea = end_of(a), eb = end_of(b);
        if (ea != eb) return ea > eb;
        const std::uint64_t sa = t[a].span().start_time_unix_nano;
        const std::uint64_t sb = t[b].span().start_time_unix_nano;
        return sa != sb ? sa > sb : a < b;
      });
      std::uint64_t cursor = it.limit;
      std::uint64_t own = 0;
      for (const std::uint32_t k : kids) {
        if (cursor <= it.from) break;
        const std::uint64_t ks = std::max(t[k].span().start_time_unix_nano, it.from);
        const std::uint64_t ke = std::min(end_of(k), cursor);
        if (ks >= cursor || ke <= ks) continue;  // starts after the cursor, or empty
        own += cursor - ke;                      // the parent's own time after this child
        work.push_back({k, ks, ke});
        cursor = ks;
      }
      if (cursor > it.from) own += cursor - it.from;
      r.path_ns[it.pos] = own;
    }
    return r;
  }
};

/// See `critical_path_fn`: `folds::critical_path(t).on_path[i]`.
inline constexpr critical_path_fn critical_path{};

}  // namespace tracefold::folds
