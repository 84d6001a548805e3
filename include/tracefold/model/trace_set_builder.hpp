#pragma once
/// @file
/// `trace_set_builder`: collects spans in any order and builds a `trace_set`.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <tracefold/model/detail/arena.hpp>
#include <tracefold/model/detail/once_notes.hpp>
#include <tracefold/model/diagnostic.hpp>
#include <tracefold/model/key_value.hpp>
#include <tracefold/model/resource.hpp>
#include <tracefold/model/scope.hpp>
#include <tracefold/model/span.hpp>
#include <tracefold/model/trace_set.hpp>
#include <vector>

namespace tracefold {

/// Handle of a resource added to a builder.
struct resource_handle {
  std::uint32_t index = 0;  ///< position in input order
};

/// Handle of a scope added to a builder (a scope belongs to one resource).
struct scope_handle {
  std::uint32_t index = 0;  ///< position in input order
};

/// Collects resources, scopes and spans, then groups them into trees.
///
/// Spans may arrive in any order and from any number of resources and scopes. Everything
/// passed in is deep-copied into the builder's arena, so the caller's buffers may be reused
/// at once. `build()` groups spans into traces by trace id and into trees by parent span id:
/// O(n log n) time, O(n) extra memory, no recursion, no per-span heap allocation.
///
/// Structure problems are resolved deterministically and reported as diagnostics:
/// - a parent id not found in the trace: the span becomes a root flagged orphan
///   (one `orphan_spans` info per trace);
/// - duplicate span ids in a trace: all spans are kept and flagged; children attach to
///   the one that starts first (then the first added); one `duplicate_span_id` warning each;
/// - a span that is its own parent, or a cycle of parents: the member with the smallest
///   span id becomes a root flagged `broke_cycle()`; one `parent_cycle` warning each.
///
/// Example:
/// @code
/// tracefold::trace_set_builder b;
/// auto r = b.add_resource({.attributes = attrs});
/// auto s = b.add_scope(r, {.name = "my.lib"});
/// b.add_span(s, {.trace_id = t, .span_id = id, .name = "GET /"});
/// tracefold::trace_set ts = std::move(b).build();
/// @endcode
class trace_set_builder {
 public:
  trace_set_builder() = default;

  /// Reserves room for `spans` spans (optional; avoids regrowth).
  void reserve(std::size_t spans) { spans_.reserve(spans); }

  /// Adds a resource (deep copy). Spans reach it through a scope.
  resource_handle add_resource(const resource& r);

  /// Adds a scope under resource `r` (deep copy).
  scope_handle add_scope(resource_handle r, const scope& s);

  /// Adds a span reported under scope `s` (deep copy of every view; `sp.resource` and
  /// `sp.scope` are ignored and set from `s`).
  void add_span(scope_handle s, const span& sp);

  /// Adds a span whose views already point into this builder's storage (from `store`),
  /// without copying them again. Used by readers that build values in place.
  void add_stored_span(scope_handle s, const span& sp);

  /// Adds a resource whose views already point into this builder's storage (from `store`),
  /// without copying them again, as `add_stored_span` does for spans.
  resource_handle add_stored_resource(const resource& r);

  /// Adds a scope under resource `r` whose views already point into this builder's storage.
  scope_handle add_stored_scope(resource_handle r, const scope& s);

  /// Copies `text` into the builder's arena; the view lives as long as the built set.
  [[nodiscard]] std::string_view store(std::string_view text) { return arena_.copy(text); }

  /// Deep-copies `attrs` (nested arrays and kvlists included) into the arena.
  [[nodiscard]] std::span<const key_value> store(std::span<const key_value> attrs);

  /// Deep-copies one value into the arena.
  [[nodiscard]] any_value store(const any_value& v);

  /// Copies a flat array whose elements' views already point into this builder's storage
  /// (no deep copy). Readers use it to move a finished level of values into the arena.
  template <class T>
  [[nodiscard]] std::span<const T> store_flat(std::span<const T> items) {
    return arena_.copy(items);
  }

  /// Replaces the data of resource `r` (deep copy). Spans already added under it see the
  /// new data: readers use this when a `resource` object comes after its spans in the JSON.
  void set_resource(resource_handle r, const resource& data);

  /// Replaces the data of scope `s` (deep copy), as `set_resource` does for resources.
  void set_scope(scope_handle s, const scope& data);

  /// Moves everything added to `other` (resources, scopes, spans, diagnostics and the
  /// storage behind them) into this builder, after what is already here. O(spans of other);
  /// lets threads fill builders separately and build one trace_set. A builder holds one
  /// input: `other`'s once-per-input notes already made here are dropped (see
  /// `add_diagnostic`).
  void append(trace_set_builder&& other);

  /// Records a diagnostic that will be part of the built set (readers use this). A builder
  /// holds one input, so a once-per-input note (`diagnostic_code::non_canonical`) whose kind
  /// was already recorded is dropped: readers of several parts of the input make it again.
  void add_diagnostic(diagnostic d) {
    if (!once_.repeated(d)) diagnostics_.push_back(std::move(d));
  }

  /// The diagnostics recorded so far, for a reader to adjust (e.g. to shift the locations
  /// found in one chunk of a file to positions in the whole file).
  [[nodiscard]] std::span<diagnostic> diagnostics() noexcept { return diagnostics_; }

  /// Number of spans added so far.
  [[nodiscard]] std::size_t span_count() const noexcept { return spans_.size(); }

  /// Groups the spans into traces and trees; the builder is left empty. With `threads` > 1
  /// the trees of different traces are built on that many threads (the result is the same).
  [[nodiscard]] trace_set build(unsigned threads = 1) &&;

 private:
  [[nodiscard]] std::span<const event> store_events(std::span<const event> events);
  [[nodiscard]] std::span<const link> store_links(std::span<const link> links);
  void note_run();

  detail::arena arena_;
  std::vector<detail::arena> adopted_;  // storage of appended builders
  std::vector<span, detail::huge_allocator<span>> spans_;
  std::vector<resource*> resources_;
  std::vector<scope*> scopes_;
  std::vector<resource*> scope_resource_;
  std::vector<diagnostic> diagnostics_;
  detail::once_notes once_;          // the once-per-input notes in diagnostics_
  std::vector<any_value*> pending_;  // scratch for iterative deep copies
  // Where each run of spans of one trace id starts, noted as spans arrive (`build` needs no
  // sort when no trace has two runs); emptied, and no longer noted, once there are more runs
  // than a quarter of the spans.
  std::vector<std::uint32_t> runs_;
  bool runs_noted_ = true;
};

}  // namespace tracefold
