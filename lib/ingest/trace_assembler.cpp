#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <tracefold/ingest/detail/trace_assembler.hpp>
#include <tracefold/model/detail/once_notes.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace tracefold::ingest::detail {

namespace {

/// The tree builder's diagnostics (the reader never uses these codes).
bool tree_diagnostic(const diagnostic& d) {
  return d.code == diagnostic_code::orphan_spans || d.code == diagnostic_code::duplicate_span_id ||
         d.code == diagnostic_code::parent_cycle;
}

/// The trace a tree diagnostic is about: its path is "trace <32 hex>[ span <16 hex>]".
std::optional<trace_id> diagnostic_trace(const diagnostic& d) {
  constexpr std::string_view prefix = "trace ";
  const std::string_view path = d.path;
  if (path.size() < prefix.size() + 32 || path.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  return trace_id::from_hex(path.substr(prefix.size(), 32));
}

/// No root of `t` is an orphan: no span names a parent the trace lacks.
bool settled(trace t) {
  for (const span_ref r : t.roots())
    if (r.is_orphan()) return false;
  return true;
}

/// Deep copies of traces into one builder; each resource and scope is copied once.
class copier {
 public:
  explicit copier(trace_set_builder& b) : b_(b) {}

  void copy(trace t) {
    for (const span_ref r : t) {
      const span& sp = r.span();
      b_.add_span(scope_of(sp), sp);
    }
  }

 private:
  scope_handle scope_of(const span& sp) {
    if (sp.scope == last_scope_) return last_handle_;
    auto it = scopes_.find(sp.scope);
    if (it == scopes_.end()) {
      auto rt = resources_.find(sp.resource);
      if (rt == resources_.end())
        rt = resources_.emplace(sp.resource, b_.add_resource(*sp.resource)).first;
      it = scopes_.emplace(sp.scope, b_.add_scope(rt->second, *sp.scope)).first;
    }
    last_scope_ = sp.scope;
    last_handle_ = it->second;
    return it->second;
  }

  trace_set_builder& b_;
  std::unordered_map<const resource*, resource_handle> resources_;
  std::unordered_map<const scope*, scope_handle> scopes_;
  const scope* last_scope_ = nullptr;
  scope_handle last_handle_{};
};

/// A builder made on first use, and the copier filling it.
class lazy_builder {
 public:
  copier& get() {
    if (!b_) {
      b_ = std::make_unique<trace_set_builder>();
      c_.emplace(*b_);
    }
    return *c_;
  }
  [[nodiscard]] bool empty() const noexcept { return !b_; }
  [[nodiscard]] trace_set build() {
    c_.reset();
    trace_set out = std::move(*b_).build();
    b_.reset();
    return out;
  }

 private:
  std::unique_ptr<trace_set_builder> b_;
  std::optional<copier> c_;
};

/// Ids of traces already folded, each with whether it has been counted as split, kept as
/// 63-bit fingerprints (the ids' hash; a collision could only count a trace as split wrongly,
/// with odds of about n^2 / 2^64) in two generations of open-addressed tables holding at most
/// `per_generation` ids each: when the young one is full it becomes the old one and the old
/// one is forgotten. 16 bytes per id remembered, no allocation per id.
class folded_ids {
 public:
  explicit folded_ids(std::size_t per_generation) : cap_(per_generation) {}

  /// Notes that `id` was folded (again).
  void remember(const trace_id& id) {
    const std::uint64_t key = key_of(id);
    if (young_.find(key) != nullptr) return;
    const std::uint64_t* old = old_.find(key);
    const std::uint64_t flag = old != nullptr ? (*old & split_bit) : 0;
    if (young_.size() >= cap_) {
      old_ = std::move(young_);
      young_ = table();
    }
    young_.insert(key | flag);
  }

  /// True when `id` was folded before and has not been counted as split yet; marks it split.
  bool newly_split(const trace_id& id) {
    const std::uint64_t key = key_of(id);
    for (table* t : {&young_, &old_})
      if (std::uint64_t* slot = t->find(key)) {
        if ((*slot & split_bit) != 0) return false;
        *slot |= split_bit;
        return true;
      }
    return false;
  }

 private:
  static constexpr std::uint64_t split_bit = 1;

  /// The id's fingerprint with the split bit clear; never 0 (0 marks an empty slot).
  static std::uint64_t key_of(const trace_id& id) noexcept {
    const std::uint64_t h = static_cast<std::uint64_t>(std::hash<trace_id>{}(id)) & ~split_bit;
    return h == 0 ? 2 : h;
  }

  /// Linear probing over a power-of-two array of keys (0 = empty), at most half full.
  class table {
   public:
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

    std::uint64_t* find(std::uint64_t key) noexcept {
      if (slots_.empty()) return nullptr;
      const std::size_t mask = slots_.size() - 1;
      for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
        if (slots_[i] == 0) return nullptr;
        if ((slots_[i] & ~split_bit) == key) return &slots_[i];
      }
    }

    void insert(std::uint64_t value) {
      if (2 * (size_ + 1) > slots_.size()) grow();
      const std::size_t mask = slots_.size() - 1;
      std::size_t i = slot_of(value & ~split_bit, mask);
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = value;
      ++size_;
    }

   private:
    static std::size_t slot_of(std::uint64_t key, std::size_t mask) noexcept {
      return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    }

    void grow() {
      const std::size_t n = std::max<std::size_t>(slots_.size() * 2, 1024);
      std::vector<std::uint64_t> old = std::move(slots_);
      slots_.assign(n, 0);
      size_ = 0;
      for (const std::uint64_t v : old)
        if (v != 0) insert(v);
    }

    std::vector<std::uint64_t> slots_;
    std::size_t size_ = 0;
  };

  std::size_t cap_;
  table young_, old_;
};

}  // namespace

struct trace_assembler::impl {
  /// Where a part of a pending trace is stored: a trace of one turn's batch.
  struct part {
    std::shared_ptr<const trace_set> batch;
    std::uint32_t index = 0;
  };
  /// A trace waiting for more spans.
  struct entry {
    std::vector<part> parts;      // in arrival order
    std::vector<span_id> ids;     // every span id of the parts, sorted
    std::vector<span_id> wanted;  // parent ids named by orphans and not in `ids`, sorted
    std::uint64_t seq = 0;        // arrival order, for eviction
    std::uint64_t touched = 0;    // the last turn a part joined
    std::size_t bytes = 0;        // what `entry_bytes` counts for it
  };

  impl(std::size_t max_pending, std::string name)
      : max_pending_bytes(max_pending),
        source_name(std::move(name)),
        folded(std::max<std::size_t>(std::size_t{1} << 16, max_pending / 1024)) {}

  // The counters come first: batches freed while the containers below are destroyed
  // update them.
  std::size_t max_pending_bytes;
  std::string source_name;
  std::size_t batch_bytes = 0;  // trace_sets of the batches still referenced
  std::size_t entry_bytes = 0;  // bookkeeping of the entries
  std::uint64_t turn = 0;
  std::uint64_t next_seq = 0;
  std::uint64_t split = 0;
  std::unordered_map<trace_id, entry> pending;
  std::map<std::uint64_t, trace_id> by_age;          // seq -> pending trace
  std::vector<trace_id> candidates;                  // pending traces settled in the last turn
  trace_set prev;                                    // the last window's traces
  std::unordered_map<trace_id, std::uint32_t> held;  // its settled traces, by id
  std::vector<diagnostic> prev_tree_diags;           // its tree diagnostics
  tracefold::detail::once_notes once;                // the once-per-input notes passed on
  folded_ids folded;

  entry& new_entry(const trace_id& id) {
    entry& e = pending[id];
    e.seq = next_seq++;
    by_age.emplace(e.seq, id);
    return e;
  }

  /// Adds the spans of `t` (a part of `e`'s trace) to `e`'s ids and wanted parents.
  void join(entry& e, trace t) {
    const auto before = static_cast<std::ptrdiff_t>(e.ids.size());
    for (const span_ref r : t) e.ids.push_back(r->span_id);
    std::sort(e.ids.begin() + before, e.ids.end());
    std::inplace_merge(e.ids.begin(), e.ids.begin() + before, e.ids.end());
    for (const span_ref r : t.roots())
      if (r.is_orphan()) e.wanted.push_back(r->parent_span_id);
    std::erase_if(e.wanted, [&](const span_id& w) {
      return std::binary_search(e.ids.begin(), e.ids.end(), w);
    });
    std::sort(e.wanted.begin(), e.wanted.end());
    e.wanted.erase(std::unique(e.wanted.begin(), e.wanted.end()), e.wanted.end());
    e.touched = turn;
  }

  void account(entry& e) {
    const std::size_t now =
        sizeof(entry) + sizeof(trace_id) + 64 + e.ids.capacity() * sizeof(span_id) +
        e.wanted.capacity() * sizeof(span_id) + e.parts.capacity() * sizeof(part);
    entry_bytes = entry_bytes - e.bytes + now;
    e.bytes = now;
  }

  /// Copies pending trace `id` into `out`, forgets it, remembers it as folded.
  void release(const trace_id& id, lazy_builder& out) {
    auto it = pending.find(id);
    if (it == pending.end()) return;
    entry& e = it->second;
    for (const part& p : e.parts) out.get().copy(p.batch->traces()[p.index]);
    folded.remember(id);
    by_age.erase(e.seq);
    entry_bytes -= e.bytes;
    pending.erase(it);  // drops its parts: a batch no trace refers to is freed
  }

  /// Hands the previous window's remaining settled traces to `out`, with their diagnostics.
  void release_previous(fold_batch& out) {
    out.window = std::move(prev);
    prev = trace_set();
    out.fold.reserve(held.size());
    std::unordered_set<trace_id> ids;
    for (const auto& [id, index] : held) {
      out.fold.push_back(index);
      ids.insert(id);
      folded.remember(id);
    }
    std::sort(out.fold.begin(), out.fold.end());
    for (diagnostic& d : prev_tree_diags) {
      const std::optional<trace_id> id = diagnostic_trace(d);
      if (!id || ids.contains(*id)) out.diagnostics.push_back(std::move(d));
    }
    held.clear();
    prev_tree_diags.clear();
  }

  /// Builds what `assembled` collected into `out`, with its tree diagnostics.
  static void finish_assembled(lazy_builder& assembled, fold_batch& out) {
    if (assembled.empty()) return;
    out.assembled = assembled.build();
    for (const diagnostic& d : out.assembled.diagnostics()) out.diagnostics.push_back(d);
  }

  fold_batch add(read_result window) {
    ++turn;
    fold_batch out;
    const trace_set& ts = window.traces;
    std::vector<diagnostic> tree_diags;
    for (const diagnostic& d : ts.diagnostics()) {
      if (tree_diagnostic(d))
        tree_diags.push_back(d);
      else if (!once.repeated(d))  // each window's reader makes these notes afresh
        out.diagnostics.push_back(d);
    }

    // Sort the window's traces: join a pending trace, continue one held from the previous
    // window, wait as settled, or start a pending trace.
    lazy_builder batch;
    std::vector<trace_id> touched;
    std::unordered_map<trace_id, std::uint32_t> held_next;
    const auto traces = ts.traces();
    for (std::uint32_t i = 0; i < traces.size(); ++i) {
      const trace t = traces[i];
      const trace_id& id = t.id();
      if (auto it = pending.find(id); it != pending.end()) {
        batch.get().copy(t);
        join(it->second, t);
        touched.push_back(id);
      } else if (auto h = held.find(id); h != held.end()) {
        entry& e = new_entry(id);
        const trace earlier = prev.traces()[h->second];
        batch.get().copy(earlier);
        join(e, earlier);
        batch.get().copy(t);
        join(e, t);
        held.erase(h);
        touched.push_back(id);
      } else {
        if (folded.newly_split(id)) ++split;  // spans of a trace already folded
        if (settled(t)) {
          held_next.emplace(id, i);
        } else {
          entry& e = new_entry(id);
          batch.get().copy(t);
          join(e, t);
          touched.push_back(id);
        }
      }
    }
    if (!batch.empty()) {
      // The batch's own tree diagnostics are dropped: each trace is built again, whole,
      // when it is released.
      auto set = std::make_unique<trace_set>(batch.build());
      const std::size_t n = sizeof(trace_set) + set->bytes_held();
      batch_bytes += n;
      const std::shared_ptr<const trace_set> shared(
          set.release(), [counter = &batch_bytes, n](const trace_set* p) {
            *counter -= n;
            delete p;
          });
      const auto parts = shared->traces();
      for (std::uint32_t k = 0; k < parts.size(); ++k)
        pending.at(parts[k].id()).parts.push_back({shared, k});
    }
    for (const trace_id& id : touched) account(pending.at(id));

    // The previous window's settled traces that did not continue here are whole.
    release_previous(out);

    // Pending traces settled in the last turn and not touched since are whole; those
    // settled now wait one turn. Then, over the bound, the oldest go as they are.
    lazy_builder assembled;
    for (const trace_id& id : candidates) {
      auto it = pending.find(id);
      if (it != pending.end() && it->second.touched < turn && it->second.wanted.empty())
        release(id, assembled);
    }
    candidates.clear();
    for (const trace_id& id : touched)
      if (auto it = pending.find(id); it != pending.end() && it->second.wanted.empty())
        candidates.push_back(id);
    while (batch_bytes + entry_bytes > max_pending_bytes && !by_age.empty())
      release(by_age.begin()->second, assembled);
    finish_assembled(assembled, out);

    prev = std::move(window.traces);
    held = std::move(held_next);
    prev_tree_diags = std::move(tree_diags);
    return out;
  }

  fold_batch finish() {
    ++turn;
    fold_batch out;
    release_previous(out);
    lazy_builder assembled;
    while (!by_age.empty()) release(by_age.begin()->second, assembled);
    candidates.clear();
    finish_assembled(assembled, out);
    if (split > 0) {
      diagnostic d;
      d.severity = severity::warning;
      d.code = diagnostic_code::orphan_spans;
      d.file = source_name;
      d.message = std::to_string(split) + (split == 1 ? " trace was" : " traces were") +
                  " folded in parts: spans of it arrived after it had been folded (more than one "
                  "window after it looked complete, or after it was let go to keep the pending "
                  "traces within their memory bound); per-trace results such as self time can "
                  "differ from a whole-file read";
      out.diagnostics.push_back(std::move(d));
    }
    return out;
  }
};

trace_assembler::trace_assembler(std::size_t max_pending_bytes, std::string source_name)
    : impl_(std::make_unique<impl>(max_pending_bytes, std::move(source_name))) {}

trace_assembler::~trace_assembler() = default;

fold_batch trace_assembler::add(read_result window) { return impl_->add(std::move(window)); }

fold_batch trace_assembler::finish() { return impl_->finish(); }

std::uint64_t trace_assembler::traces_split() const noexcept { return impl_->split; }

std::size_t trace_assembler::pending_bytes() const noexcept {
  return impl_->batch_bytes + impl_->entry_bytes;
}

std::size_t trace_assembler::pending_traces() const noexcept { return impl_->pending.size(); }

}  // namespace tracefold::ingest::detail
