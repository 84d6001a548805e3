#include <algorithm>
#include <bit>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <tracefold/model/trace_set_builder.hpp>
#include <utility>

namespace tracefold {

namespace {

constexpr std::uint32_t none = detail::no_parent;

// Points the strings and children of `v` at arena copies. Children that are themselves
// arrays or kvlists are queued on `pending` instead of recursed into.
void adopt_value(any_value& v, detail::arena& arena, std::vector<any_value*>& pending) {
  switch (v.kind()) {
    case value_kind::string:
      v = any_value::of_string(arena.copy(v.as_string()));
      break;
    case value_kind::bytes:
      v = any_value::of_bytes(arena.copy(v.as_bytes()));
      break;
    case value_kind::array:
    case value_kind::kvlist:
      pending.push_back(&v);
      break;
    default:
      break;
  }
}

std::string id_path(const trace_id& t, const span_id& s) {
  return "trace " + t.to_hex() + " span " + s.to_hex();
}

/// A span's trace id and its index in the input.
struct keyed {
  trace_id id;
  std::uint32_t idx;
};

/// The spans of one trace: `[begin, end)` of the keyed order.
struct group {
  std::uint32_t begin, end;
};

/// Sorts (trace id, input index), on `threads` threads for large inputs, and makes one group
/// per trace id, ordered by the trace's first span in the input.
void group_sorted(std::span<const span> spans, std::vector<keyed>& by_trace,
                  std::vector<group>& groups, unsigned threads) {
  const std::size_t n = spans.size();
  for (std::size_t i = 0; i < n; ++i)
    by_trace[i] = {spans[i].trace_id, static_cast<std::uint32_t>(i)};
  const auto by_id = [](const keyed& a, const keyed& b) {
    if (a.id != b.id) return a.id < b.id;
    return a.idx < b.idx;
  };
  if (threads > 1 && n >= (std::size_t{1} << 14)) {
    // Sort `threads` slices at once, then merge them pairwise: the same order (the keys are
    // distinct), on several cores.
    const std::size_t parts = std::min<std::size_t>(threads, 16);
    std::vector<std::size_t> cut(parts + 1);
    for (std::size_t p = 0; p <= parts; ++p) cut[p] = n * p / parts;
    const auto at = [&](std::size_t p) {
      return by_trace.begin() + static_cast<std::ptrdiff_t>(cut[std::min(p, parts)]);
    };
    {
      std::vector<std::jthread> sorters;
      for (std::size_t p = 1; p < parts; ++p)
        sorters.emplace_back([&, p] { std::sort(at(p), at(p + 1), by_id); });
      std::sort(at(0), at(1), by_id);
    }
    for (std::size_t width = 1; width < parts; width *= 2)
      for (std::size_t p = 0; p + width < parts; p += 2 * width)
        std::inplace_merge(at(p), at(p + width), at(p + 2 * width), by_id);
  } else {
    std::sort(by_trace.begin(), by_trace.end(), by_id);
  }
  groups.clear();
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && by_trace[j].id == by_trace[i].id) ++j;
    groups.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
    i = j;
  }
  std::sort(groups.begin(), groups.end(), [&](const group& a, const group& b) {
    return by_trace[a.begin].idx < by_trace[b.begin].idx;
  });
}

/// The usual input has each trace's spans adjacent (JSON Lines with one request per trace, a
/// batch written trace by trace). Then `runs`, the start of each run of spans of one trace
/// id (noted as the spans were added) and, last, `spans.size()`, are the groups
/// `group_sorted` would make, in the same order, with the spans of each in input order: trace
/// r is `spans[runs[r], runs[r + 1])` as it stands. False when a trace id has two runs (found
/// by sorting the runs, far fewer than the spans).
bool distinct_runs(std::span<const span> spans, std::vector<std::uint32_t>& runs) {
  std::vector<std::uint32_t> order(runs.size());
  for (std::uint32_t r = 0; r < order.size(); ++r) order[r] = r;
  const auto id = [&](std::uint32_t r) -> const trace_id& { return spans[runs[r]].trace_id; };
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return id(a) < id(b); });
  for (std::size_t r = 1; r < order.size(); ++r)
    if (id(order[r - 1]) == id(order[r])) return false;  // a trace in two runs
  runs.push_back(static_cast<std::uint32_t>(spans.size()));
  return true;
}

/// What building a trace's tree needs, reused from trace to trace (no allocation per span).
struct tree_scratch {
  std::vector<std::uint32_t> table, dup_count, dup_slots, parent, flags, color, path, order,
      child_begin, stack, local_pos, depth, size;
};

/// Steps 3-8 for one trace of `m` spans, `input(k)` the k-th in input order: writes the
/// trace's nodes `nodes[0, m)` in pre-order and `sc.local_pos[k]`, the pre-order position of
/// span k; appends what it finds wrong to `diags`; returns the number of roots.
template <class Input>
std::uint32_t build_tree(const Input& input, std::uint32_t m, const trace_id& tid,
                         detail::tree_node* nodes, tree_scratch& sc,
                         std::vector<diagnostic>& diags) {
  auto& table = sc.table;
  auto& dup_count = sc.dup_count;
  auto& dup_slots = sc.dup_slots;
  auto& parent = sc.parent;
  auto& flags = sc.flags;
  auto& color = sc.color;
  auto& path = sc.path;
  auto& order = sc.order;
  auto& child_begin = sc.child_begin;
  auto& stack = sc.stack;
  auto& local_pos = sc.local_pos;
  auto& depth = sc.depth;
  auto& size = sc.size;

  // 3. Index span ids: a hash table of input positions (open addressing, at most half
  //    full). Of the spans that share an id (duplicates) the one that starts first, then the
  //    first in the input, is canonical: it is the one the table keeps.
  std::size_t cap = 16;
  while (cap < 2 * std::size_t{m}) cap *= 2;
  table.assign(cap, 0);  // k + 1; 0: empty
  const int shift = 64 - std::countr_zero(cap);
  const auto home = [&](const span_id& id) {
    std::uint64_t w;
    std::memcpy(&w, id.bytes().data(), 8);
    return static_cast<std::size_t>((w * 0x9E3779B97F4A7C15u) >> shift);
  };
  flags.assign(m, 0);
  dup_slots.clear();
  for (std::uint32_t k = 0; k < m; ++k) {
    const span& x = input(k);
    for (std::size_t i = home(x.span_id);; i = (i + 1) & (cap - 1)) {
      const std::uint32_t e = table[i];
      if (e == 0) {
        table[i] = k + 1;
        break;
      }
      const span& y = input(e - 1);
      if (y.span_id == x.span_id) {
        if (dup_slots.empty()) dup_count.assign(cap, 0);  // (the first duplicate of the trace)
        if (dup_count[i]++ == 0) dup_slots.push_back(static_cast<std::uint32_t>(i));
        flags[e - 1] |= detail::node_duplicate_id;
        flags[k] |= detail::node_duplicate_id;
        if (x.start_time_unix_nano < y.start_time_unix_nano) table[i] = k + 1;
        break;
      }
    }
  }
  // One warning per shared id, in the order of the ids.
  std::sort(dup_slots.begin(), dup_slots.end(), [&](std::uint32_t a, std::uint32_t b) {
    return input(table[a] - 1).span_id < input(table[b] - 1).span_id;
  });
  for (const std::uint32_t i : dup_slots)
    diags.push_back({severity::warning,
                     diagnostic_code::duplicate_span_id,
                     {},
                     0,
                     0,
                     0,
                     id_path(tid, input(table[i] - 1).span_id),
                     std::to_string(dup_count[i] + 1) +
                         " spans share this span id; all are kept and children "
                         "attach to the earliest-starting one"});

  // 4. Resolve parents.
  parent.assign(m, none);
  std::uint32_t orphans = 0;
  for (std::uint32_t k = 0; k < m; ++k) {
    const span_id& pid = input(k).parent_span_id;
    if (pid.empty()) continue;
    std::uint32_t found = 0;
    for (std::size_t i = home(pid);; i = (i + 1) & (cap - 1)) {
      const std::uint32_t e = table[i];
      if (e == 0) break;
      if (input(e - 1).span_id == pid) {
        found = e;
        break;
      }
    }
    if (found != 0) {
      parent[k] = found - 1;
    } else {
      flags[k] |= detail::node_orphan;
      ++orphans;
    }
  }
  if (orphans > 0) {
    diags.push_back({severity::info,
                     diagnostic_code::orphan_spans,
                     {},
                     0,
                     0,
                     0,
                     "trace " + tid.to_hex(),
                     std::to_string(orphans) +
                         (orphans == 1 ? " span names a parent" : " spans name parents") +
                         " not in the input; kept as orphan roots"});
  }

  // 5. Break parent cycles: walk up from each unvisited span; meeting a span already on the
  //    current path closes a cycle, broken at its smallest span id.
  color.assign(m, 0);  // 0 unvisited, 1 on current path, 2 finished
  for (std::uint32_t k = 0; k < m; ++k) {
    if (color[k] != 0) continue;
    path.clear();
    std::uint32_t x = k;
    while (x != none && color[x] == 0) {
      color[x] = 1;
      path.push_back(x);
      x = parent[x];
    }
    if (x != none && color[x] == 1) {
      auto first = std::find(path.begin(), path.end(), x);
      std::uint32_t breaker = *first;
      for (auto it = first; it != path.end(); ++it) {
        const span& a = input(*it);
        const span& b = input(breaker);
        if (a.span_id < b.span_id || (a.span_id == b.span_id && *it < breaker)) breaker = *it;
      }
      const auto length = static_cast<std::size_t>(path.end() - first);
      parent[breaker] = none;
      flags[breaker] |= detail::node_cycle_broken;
      diags.push_back({severity::warning,
                       diagnostic_code::parent_cycle,
                       {},
                       0,
                       0,
                       0,
                       id_path(tid, input(breaker).span_id),
                       length == 1
                           ? std::string("span is its own parent; made a root")
                           : "parent links of " + std::to_string(length) +
                                 " spans form a cycle; this span was made a root to break it"});
    }
    for (std::uint32_t p : path) color[p] = 2;
  }

  // 6. Children of each span, ordered by (start, span id, input order); roots last.
  //    child_begin[p] .. child_begin[p+1] index `order` for the children of p; roots after.
  //    A counting sort by parent (spans in input order within each), then each family
  //    sorted on its own (usually small, and usually in order already).
  child_begin.assign(m + 2, 0);
  for (std::uint32_t k = 0; k < m; ++k) ++child_begin[(parent[k] == none ? m : parent[k]) + 1];
  for (std::uint32_t p = 0; p <= m; ++p) child_begin[p + 1] += child_begin[p];
  order.resize(m);
  path.assign(child_begin.begin(), child_begin.end() - 1);  // (scratch: each family's next slot)
  for (std::uint32_t k = 0; k < m; ++k) order[path[parent[k] == none ? m : parent[k]]++] = k;
  const auto before = [&](std::uint32_t a, std::uint32_t b) {
    const span& x = input(a);
    const span& y = input(b);
    if (x.start_time_unix_nano != y.start_time_unix_nano)
      return x.start_time_unix_nano < y.start_time_unix_nano;
    if (x.span_id != y.span_id) return x.span_id < y.span_id;
    return a < b;
  };
  for (std::uint32_t p = 0; p <= m; ++p) {
    const auto first = order.begin() + child_begin[p], last = order.begin() + child_begin[p + 1];
    if (last - first > 1 && !std::is_sorted(first, last, before)) std::sort(first, last, before);
  }
  const std::uint32_t first_root = child_begin[m];
  const std::uint32_t roots = m - first_root;

  // 7. Pre-order positions with an explicit stack.
  local_pos.resize(m);
  depth.resize(m);
  stack.clear();
  for (std::uint32_t i = m; i > first_root; --i) stack.push_back(order[i - 1]);
  std::uint32_t pos = 0;
  while (!stack.empty()) {
    const std::uint32_t k = stack.back();
    stack.pop_back();
    local_pos[k] = pos;
    depth[k] = parent[k] == none ? 0 : depth[parent[k]] + 1;
    detail::tree_node& node = nodes[pos];
    node.parent = parent[k] == none ? none : local_pos[parent[k]];
    node.depth = depth[k];
    node.flags = flags[k];
    ++pos;
    for (std::uint32_t i = child_begin[k + 1]; i > child_begin[k]; --i)
      stack.push_back(order[i - 1]);
  }

  // 8. Subtree ends in one reverse sweep.
  size.assign(m, 1);
  for (std::uint32_t p = m; p-- > 0;) {
    detail::tree_node& node = nodes[p];
    node.subtree_end = p + size[p];
    if (node.parent != none) size[node.parent] += size[p];
  }
  return roots;
}

/// Splits `[0, n)` into `parts` ranges of about equal size at positions where `starts` (an
/// increasing list ending with n) has an entry: the indices into `starts` of the cuts.
std::vector<std::size_t> cut_at(std::span<const std::uint32_t> starts, std::size_t n,
                                unsigned parts) {
  std::vector<std::size_t> cut{0};
  for (unsigned t = 1; t < parts; ++t) {
    const std::uint64_t target = static_cast<std::uint64_t>(n) * t / parts;
    std::size_t i = cut.back();
    while (i + 1 < starts.size() && starts[i] < target) ++i;
    cut.push_back(i);
  }
  cut.push_back(starts.size() - 1);
  return cut;
}

/// Runs `work(t)` for t in [0, parts), on `parts` threads (t = 0 on the caller's).
template <class Work>
void on_threads(unsigned parts, const Work& work) {
  std::vector<std::jthread> workers;
  for (unsigned t = 1; t < parts; ++t) workers.emplace_back([&work, t] { work(t); });
  work(0);
}

}  // namespace

std::span<const key_value> trace_set_builder::store(std::span<const key_value> attrs) {
  if (attrs.empty()) return {};
  key_value* out = arena_.allocate<key_value>(attrs.size());
  pending_.clear();
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    new (&out[i]) key_value{arena_.copy(attrs[i].key), attrs[i].value};
    adopt_value(out[i].value, arena_, pending_);
  }
  // Breadth-first: each queued value still points at caller memory; copy one level of it.
  while (!pending_.empty()) {
    any_value* v = pending_.back();
    pending_.pop_back();
    if (v->kind() == value_kind::array) {
      auto items = v->as_array();
      any_value* copy = arena_.allocate<any_value>(items.size());
      for (std::size_t i = 0; i < items.size(); ++i) {
        new (&copy[i]) any_value(items[i]);
        adopt_value(copy[i], arena_, pending_);
      }
      *v = any_value::of_array({copy, items.size()});
    } else {
      auto items = v->as_kvlist();
      key_value* copy = arena_.allocate<key_value>(items.size());
      for (std::size_t i = 0; i < items.size(); ++i) {
        new (&copy[i]) key_value{arena_.copy(items[i].key), items[i].value};
        adopt_value(copy[i].value, arena_, pending_);
      }
      *v = any_value::of_kvlist({copy, items.size()});
    }
  }
  return {out, attrs.size()};
}

any_value trace_set_builder::store(const any_value& v) {
  key_value one{{}, v};
  return store(std::span<const key_value>(&one, 1))[0].value;
}

std::span<const event> trace_set_builder::store_events(std::span<const event> events) {
  if (events.empty()) return {};
  event* out = arena_.allocate<event>(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const event& e = events[i];
    new (&out[i]) event{e.time_unix_nano, arena_.copy(e.name), store(e.attributes),
                        e.dropped_attributes_count};
  }
  return {out, events.size()};
}

std::span<const link> trace_set_builder::store_links(std::span<const link> links) {
  if (links.empty()) return {};
  link* out = arena_.allocate<link>(links.size());
  for (std::size_t i = 0; i < links.size(); ++i) {
    const link& l = links[i];
    new (&out[i]) link{l.trace_id,
                       l.span_id,
                       arena_.copy(l.trace_state),
                       store(l.attributes),
                       l.dropped_attributes_count,
                       l.flags};
  }
  return {out, links.size()};
}

resource_handle trace_set_builder::add_resource(const resource& r) {
  resource* out = arena_.allocate<resource>(1);
  new (out) resource{store(r.attributes), r.dropped_attributes_count, arena_.copy(r.schema_url)};
  resources_.push_back(out);
  return {static_cast<std::uint32_t>(resources_.size() - 1)};
}

scope_handle trace_set_builder::add_scope(resource_handle r, const scope& s) {
  scope* out = arena_.allocate<scope>(1);
  new (out) scope{arena_.copy(s.name), arena_.copy(s.version), store(s.attributes),
                  s.dropped_attributes_count, arena_.copy(s.schema_url)};
  scopes_.push_back(out);
  scope_resource_.push_back(resources_.at(r.index));
  return {static_cast<std::uint32_t>(scopes_.size() - 1)};
}

resource_handle trace_set_builder::add_stored_resource(const resource& r) {
  resource* out = arena_.allocate<resource>(1);
  new (out) resource(r);
  resources_.push_back(out);
  return {static_cast<std::uint32_t>(resources_.size() - 1)};
}

scope_handle trace_set_builder::add_stored_scope(resource_handle r, const scope& s) {
  scope* out = arena_.allocate<scope>(1);
  new (out) scope(s);
  scopes_.push_back(out);
  scope_resource_.push_back(resources_.at(r.index));
  return {static_cast<std::uint32_t>(scopes_.size() - 1)};
}

void trace_set_builder::set_resource(resource_handle r, const resource& data) {
  resource* target = resources_.at(r.index);
  *target =
      resource{store(data.attributes), data.dropped_attributes_count, arena_.copy(data.schema_url)};
}

void trace_set_builder::set_scope(scope_handle s, const scope& data) {
  scope* target = scopes_.at(s.index);
  *target = scope{arena_.copy(data.name), arena_.copy(data.version), store(data.attributes),
                  data.dropped_attributes_count, arena_.copy(data.schema_url)};
}

void trace_set_builder::append(trace_set_builder&& other) {
  if (&other == this) return;
  if (runs_noted_ && other.runs_noted_) {
    const auto offset = static_cast<std::uint32_t>(spans_.size());
    for (std::size_t r = 0; r < other.runs_.size(); ++r) {
      // The first run of `other` goes on with the last run here when their trace ids match.
      if (r == 0 && !spans_.empty() && spans_.back().trace_id == other.spans_.front().trace_id)
        continue;
      runs_.push_back(offset + other.runs_[r]);
    }
    if (runs_.size() > (spans_.size() + other.spans_.size()) / 4 + 16) {
      runs_noted_ = false;
      runs_ = {};
    }
  } else {
    runs_noted_ = false;
    runs_ = {};
  }
  spans_.insert(spans_.end(), other.spans_.begin(), other.spans_.end());
  resources_.insert(resources_.end(), other.resources_.begin(), other.resources_.end());
  scopes_.insert(scopes_.end(), other.scopes_.begin(), other.scopes_.end());
  scope_resource_.insert(scope_resource_.end(), other.scope_resource_.begin(),
                         other.scope_resource_.end());
  for (diagnostic& d : other.diagnostics_) add_diagnostic(std::move(d));
  adopted_.push_back(std::move(other.arena_));
  for (detail::arena& a : other.adopted_) adopted_.push_back(std::move(a));
  other = trace_set_builder();
}

void trace_set_builder::add_stored_span(scope_handle s, const span& sp) {
  if (runs_noted_ && (spans_.empty() || spans_.back().trace_id != sp.trace_id)) note_run();
  span& out = spans_.emplace_back(sp);
  out.scope = scopes_.at(s.index);
  out.resource = scope_resource_[s.index];
}

void trace_set_builder::note_run() {
  if (runs_.size() > spans_.size() / 4 + 16) {
    runs_noted_ = false;  // interleaved traces: build sorts
    runs_ = {};
    return;
  }
  runs_.push_back(static_cast<std::uint32_t>(spans_.size()));
}

void trace_set_builder::add_span(scope_handle s, const span& sp) {
  span copy = sp;
  copy.name = arena_.copy(sp.name);
  copy.trace_state = arena_.copy(sp.trace_state);
  copy.status.message = arena_.copy(sp.status.message);
  copy.attributes = store(sp.attributes);
  copy.events = store_events(sp.events);
  copy.links = store_links(sp.links);
  add_stored_span(s, copy);
}

trace_set trace_set_builder::build(unsigned threads) && {
  trace_set out;
  const std::size_t n = spans_.size();
  out.diagnostics_ = std::move(diagnostics_);  // the reader's first, then structural ones
  out.nodes_.resize(n);

  // Traces are built on up to `threads` threads, each a contiguous range of traces of about
  // equal span counts; the diagnostics of each range are appended in range order, so the
  // output does not depend on the number of threads.
  const unsigned parts =
      std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>((n + 4095) / 4096)));
  std::vector<std::vector<diagnostic>> part_diags(parts);

  std::vector<std::uint32_t> runs = std::move(runs_);
  if (runs_noted_ && distinct_runs(spans_, runs)) {
    // 1-2. Each trace's spans are adjacent, in input order: trace r is the spans (and its
    //      nodes the positions) [runs[r], runs[r + 1]). 3-8 as below, and 9. each trace's
    //      spans are put into pre-order in place right after its tree is built, while they are
    //      in cache (no pass over all spans, no second copy of them).
    out.headers_.resize(runs.size() - 1);
    const std::vector<std::size_t> cut = cut_at(runs, n, parts);
    on_threads(parts, [&](unsigned t) {
      tree_scratch sc;
      const char* ahead = reinterpret_cast<const char*>(spans_.data() + runs[cut[t]]);
      for (std::size_t r = cut[t]; r < cut[t + 1]; ++r) {
        const std::uint32_t base = runs[r];
        const std::uint32_t m = runs[r + 1] - base;
        span* const first = spans_.data() + base;
        {
          // The span array is far larger than the caches: keep asking for the spans 16 KiB
          // ahead of this trace's end (this thread's part only), so they arrive in time.
          const auto* stop = reinterpret_cast<const char*>(spans_.data() + runs[cut[t + 1]]);
          stop = std::min(stop, reinterpret_cast<const char*>(first + m) + (std::size_t{16} << 10));
          for (; ahead < stop; ahead += 64) __builtin_prefetch(ahead);
        }
        const trace_id tid = first->trace_id;
        const std::uint32_t roots =
            build_tree([first](std::uint32_t k) -> const span& { return first[k]; }, m, tid,
                       out.nodes_.data() + base, sc, part_diags[t]);
        std::vector<std::uint32_t>& to = sc.local_pos;  // used up here
        for (std::uint32_t k = 0; k < m; ++k) {
          while (to[k] != k) {
            const std::uint32_t j = to[k];
            std::swap(first[k], first[j]);
            std::swap(to[k], to[j]);
          }
        }
        out.headers_[r] = {tid, nullptr, nullptr, m, roots};
      }
    });
  } else {
    // 1. Sort (trace id, input index) so each trace's spans are adjacent, in input order;
    // 2. one group per trace id, ordered by the trace's first span in the input.
    std::vector<keyed> by_trace(n);
    std::vector<group> groups;
    group_sorted(spans_, by_trace, groups, threads);
    out.headers_.resize(groups.size());
    std::vector<std::uint32_t> dest(n);
    // Where each trace starts in the output, in group order.
    std::vector<std::uint32_t> bases(groups.size() + 1, 0);
    for (std::size_t gi = 0; gi < groups.size(); ++gi)
      bases[gi + 1] = bases[gi] + (groups[gi].end - groups[gi].begin);

    // 3-8 for each trace: every trace writes only its own slice of nodes, dest and headers,
    // so ranges of traces can be built on different threads.
    const std::vector<std::size_t> cut = cut_at(bases, n, parts);
    on_threads(parts, [&](unsigned t) {
      tree_scratch sc;
      for (std::size_t gi = cut[t]; gi < cut[t + 1]; ++gi) {
        const group& g = groups[gi];
        const std::uint32_t base = bases[gi];
        const std::uint32_t m = g.end - g.begin;
        const keyed* const members = by_trace.data() + g.begin;
        const trace_id tid = members->id;
        const std::uint32_t roots =
            build_tree([&](std::uint32_t k) -> const span& { return spans_[members[k].idx]; }, m,
                       tid, out.nodes_.data() + base, sc, part_diags[t]);
        for (std::uint32_t k = 0; k < m; ++k) dest[members[k].idx] = base + sc.local_pos[k];
        out.headers_[gi] = {tid, nullptr, nullptr, m, roots};
      }
    });

    // 9. Move spans to their pre-order places. On one thread, one in-place permutation (no
    //    second copy of the spans: reading a file on one thread keeps its peak memory low).
    //    On several, a gather into a new array, each thread filling its own traces' slice.
    if (parts > 1) {
      std::vector<std::uint32_t> src(n);
      for (std::uint32_t i = 0; i < n; ++i) src[dest[i]] = i;
      decltype(spans_) placed(n);
      on_threads(parts, [&](unsigned t) {
        for (std::size_t k = bases[cut[t]]; k < bases[cut[t + 1]]; ++k) placed[k] = spans_[src[k]];
      });
      spans_ = std::move(placed);
    } else {
      for (std::uint32_t i = 0; i < n; ++i) {
        while (dest[i] != i) {
          const std::uint32_t j = dest[i];
          std::swap(spans_[i], spans_[j]);
          std::swap(dest[i], dest[j]);
        }
      }
    }
  }
  for (auto& d : part_diags)
    for (diagnostic& x : d) out.diagnostics_.push_back(std::move(x));

  out.spans_ = std::move(spans_);
  std::size_t offset = 0;
  for (detail::trace_header& h : out.headers_) {
    h.spans = out.spans_.data() + offset;
    h.nodes = out.nodes_.data() + offset;
    offset += h.size;
  }
  out.resources_.assign(resources_.begin(), resources_.end());
  out.scopes_.assign(scopes_.begin(), scopes_.end());
  out.arena_ = std::move(arena_);
  out.adopted_ = std::move(adopted_);
  *this = trace_set_builder();
  return out;
}

}  // namespace tracefold
