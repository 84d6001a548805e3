#pragma once
// Structural invariants every built trace_set must satisfy, as one checker shared by the
// unit tests and the builder fuzzer. Returns an empty string when all hold, else the first
// violation in words.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tracefold/model/trace_set.hpp>
#include <tracefold/model/trace_set_builder.hpp>

namespace tft {

inline std::string check_tree_invariants(const tracefold::trace_set& ts, std::size_t spans_added) {
  using std::to_string;
  std::size_t total = 0;
  for (tracefold::trace t : ts.traces()) {
    if (t.empty()) return "empty trace";
    total += t.size();
    std::size_t roots = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      const tracefold::span_ref r = t[i];
      if (r.index() != i) return "index mismatch at " + to_string(i);
      if (r->trace_id != t.id()) return "span in the wrong trace at " + to_string(i);
      if (r->resource == nullptr || r->scope == nullptr) return "span without resource/scope";
      const std::size_t end = i + r.subtree_size();
      if (end > t.size() || end <= i) return "subtree out of range at " + to_string(i);
      if (auto p = r.parent()) {
        if (p->index() >= i) return "parent after child at " + to_string(i);
        if (r.depth() != p->depth() + 1) return "depth is not parent depth + 1 at " + to_string(i);
        if (end > p->index() + p->subtree_size()) return "subtree escapes parent at " + to_string(i);
        if (r.is_orphan()) return "orphan with a parent at " + to_string(i);
      } else {
        ++roots;
        if (r.depth() != 0) return "root with depth at " + to_string(i);
      }
      // Children are consecutive subtrees that exactly tile (i, end), in start order.
      std::size_t next = i + 1;
      std::uint64_t prev_start = 0;
      for (tracefold::span_ref c : r.children()) {
        if (c.index() != next) return "children do not tile the subtree at " + to_string(i);
        if (c.parent()->index() != i) return "child with another parent at " + to_string(i);
        if (c->start_time_unix_nano < prev_start) return "children out of start order at " + to_string(i);
        prev_start = c->start_time_unix_nano;
        next = c.index() + c.subtree_size();
      }
      if (next != end) return "children do not reach the subtree end at " + to_string(i);
    }
    if (roots != t.root_count()) return "root_count disagrees with the roots";
    std::size_t via_roots = 0;
    for (tracefold::span_ref r : t.roots()) via_roots += r.subtree_size();
    if (via_roots != t.size()) return "roots do not tile the trace";
  }
  if (total != ts.span_count()) return "trace sizes do not add up to span_count";
  if (total != spans_added) return "spans lost: added " + to_string(spans_added) + ", kept " + to_string(total);
  return {};
}

/// Turns arbitrary bytes into spans (7 bytes each: trace, id, parent, start, length, name,
/// flags) so that small inputs make many collisions, cycles, orphans and duplicates.
inline std::size_t add_spans_from_bytes(tracefold::trace_set_builder& b, tracefold::scope_handle s, const std::uint8_t* data,
                                 std::size_t size) {
  static const char* names[] = {"a", "b", "c", "d"};
  std::size_t n = 0;
  for (std::size_t i = 0; i + 7 <= size; i += 7) {
    tracefold::span sp;
    std::array<std::uint8_t, 16> t{};
    t[15] = static_cast<std::uint8_t>(data[i] % 4);
    sp.trace_id = tracefold::trace_id(t);
    std::array<std::uint8_t, 8> id{}, parent{};
    id[7] = data[i + 1];
    parent[7] = data[i + 2];
    sp.span_id = tracefold::span_id(id);
    sp.parent_span_id = tracefold::span_id(parent);
    sp.start_time_unix_nano = data[i + 3];
    sp.end_time_unix_nano = sp.start_time_unix_nano + data[i + 4];
    sp.name = names[data[i + 5] % 4];
    sp.flags = data[i + 6];
    b.add_span(s, sp);
    ++n;
  }
  return n;
}

}  // namespace tft
