#pragma once
/// @file
/// `folds::trace_summary`: what a list of traces shows about each one.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <tracefold/model/trace.hpp>
#include <tracefold/model/trace_id.hpp>
#include <unordered_set>
#include <vector>

namespace tracefold::folds {

/// One trace at a glance: root, services, size, time and errors. Owns its strings, so it
/// outlives the `trace_set` it was taken from (an index of a streamed batch keeps these).
struct trace_summary {
  tracefold::trace_id trace_id{};     ///< the trace
  std::string root_name;              ///< the first root's span name
  std::string root_service;           ///< the first root's service.name ("unknown_service")
  std::vector<std::string> services;  ///< distinct service names, in pre-order of first use
  std::uint64_t spans = 0;            ///< spans in the trace
  std::uint64_t errors = 0;           ///< spans with status ERROR
  std::uint64_t roots = 0;            ///< roots (1 for a complete trace)
  std::uint64_t orphans = 0;          ///< roots whose parent is missing from the dump
  std::uint64_t start_unix_nano = 0;  ///< earliest span start
  std::uint64_t end_unix_nano =
      0;  ///< latest span end (a span ending before it starts counts as ending at its start)

  /// `end - start`: the wall-clock time the trace covers.
  [[nodiscard]] std::uint64_t duration_ns() const noexcept {
    return end_unix_nano - start_unix_nano;
  }
};

/// Summarises a trace: `folds::summarize(t)`. One pass over the spans, O(n) (services are
/// deduplicated by resource, then by name); as a fold over traces,
/// `premap(folds::summarize, folds::to_vector)`. An empty trace gives an empty summary.
struct summarize_fn {
  /// The summary of `t`.
  [[nodiscard]] trace_summary operator()(const trace& t) const {
    trace_summary s;
    s.trace_id = t.id();
    s.spans = t.size();
    if (t.empty()) return s;
    const span& root = t[0].span();
    s.root_name = root.name;
    s.root_service = root.service_name("unknown_service");
    s.start_unix_nano = root.start_time_unix_nano;
    s.end_unix_nano = std::max(root.start_time_unix_nano, root.end_time_unix_nano);
    const tracefold::resource* last = nullptr;
    // Resources seen: a short list searched in place, a hash set once there are many.
    std::vector<const tracefold::resource*> few_resources;
    std::unordered_set<const tracefold::resource*> many_resources;
    std::unordered_set<std::string_view> seen_names;
    for (span_ref r : t.spans()) {
      const span& sp = r.span();
      s.start_unix_nano = std::min(s.start_unix_nano, sp.start_time_unix_nano);
      s.end_unix_nano = std::max({s.end_unix_nano, sp.start_time_unix_nano, sp.end_time_unix_nano});
      if (sp.status.code == status_code::error) ++s.errors;
      if (r.is_root()) {
        ++s.roots;
        if (r.is_orphan()) ++s.orphans;
      }
      if (sp.resource == last) continue;
      last = sp.resource;
      if (many_resources.empty()) {
        if (std::find(few_resources.begin(), few_resources.end(), last) != few_resources.end())
          continue;
        few_resources.push_back(last);
        if (few_resources.size() > 16)
          many_resources.insert(few_resources.begin(), few_resources.end());
      } else if (!many_resources.insert(last).second) {
        continue;
      }
      const std::string_view name = sp.service_name("unknown_service");
      if (seen_names.insert(name).second) s.services.emplace_back(name);
    }
    return s;
  }
};

/// See `summarize_fn`.
inline constexpr summarize_fn summarize{};

}  // namespace tracefold::folds
