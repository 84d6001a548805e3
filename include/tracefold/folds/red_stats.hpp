#pragma once
/// @file
/// `folds::red_stats`: per-operation calls, errors and latency histograms over traces.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tracefold/fold/detail/boxed.hpp>
#include <tracefold/folds/detail/sort_values.hpp>
#include <tracefold/folds/red_dimensions.hpp>
#include <tracefold/folds/red_table.hpp>
#include <tracefold/folds/self_time.hpp>
#include <tracefold/model/key_value.hpp>
#include <tracefold/model/trace.hpp>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tracefold::folds {

/// How `red_stats` groups spans and sizes its histograms.
struct red_options {
  /// Attributes to group by besides service, name, kind and status (for example
  /// `"http.route"`): looked up on the span, then on its resource. A span without one is
  /// grouped under "absent" for it.
  std::vector<std::string> attributes{};
  /// Bucket limit of each histogram (see `exponential_histogram`).
  std::uint32_t histogram_max_size = exponential_histogram::default_max_size;
  /// Which of service, name, kind and status form the key (all four by default).
  red_dimensions dimensions{};
  /// Also keep every duration and self time per group, so the groups' quantiles are exact
  /// (`red_group::duration_quantile`): 16 bytes more per span, and a sort per group in `done`.
  bool exact = false;
};

namespace detail {

/// A `red_key` made of views into the input: what a span is looked up by, so a group's key
/// is copied only when the group is new.
struct red_key_view {
  std::string_view service;
  std::string_view name;
  span_kind kind;
  status_code status;
  std::span<const std::optional<std::string_view>> attributes;
};

inline std::size_t red_hash_mix(std::size_t h, std::size_t x) noexcept {
  return h ^ (x + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2));
}

/// Hashes `red_key` and `red_key_view` alike (transparent), for heterogeneous lookup.
struct red_key_hash {
  using is_transparent = void;
  template <class Attrs>
  static std::size_t of(std::string_view service, std::string_view name, span_kind kind,
                        status_code status, const Attrs& attributes) noexcept {
    const std::hash<std::string_view> hs;
    std::size_t h = hs(service);
    h = red_hash_mix(h, hs(name));
    h = red_hash_mix(h, static_cast<std::size_t>(kind) * 8 + static_cast<std::size_t>(status));
    for (const auto& a : attributes) h = red_hash_mix(h, a ? hs(std::string_view(*a)) + 1 : 0);
    return h;
  }
  std::size_t operator()(const red_key& k) const noexcept {
    return of(k.service, k.name, k.kind, k.status, k.attributes);
  }
  std::size_t operator()(const red_key_view& k) const noexcept {
    return of(k.service, k.name, k.kind, k.status, k.attributes);
  }
};

/// Compares `red_key` and `red_key_view` alike (transparent).
struct red_key_equal {
  using is_transparent = void;
  static bool same(const red_key& a, const red_key_view& b) noexcept {
    if (a.service != b.service || a.name != b.name || a.kind != b.kind || a.status != b.status ||
        a.attributes.size() != b.attributes.size())
      return false;
    for (std::size_t i = 0; i < a.attributes.size(); ++i) {
      const auto& x = a.attributes[i];
      const auto& y = b.attributes[i];
      if (x.has_value() != y.has_value() || (x && std::string_view(*x) != *y)) return false;
    }
    return true;
  }
  bool operator()(const red_key& a, const red_key& b) const noexcept { return a == b; }
  bool operator()(const red_key& a, const red_key_view& b) const noexcept { return same(a, b); }
  bool operator()(const red_key_view& a, const red_key& b) const noexcept { return same(b, a); }
};

/// The text an attribute value groups under: strings as they are, numbers and booleans as
/// JSON writes them; arrays, kvlists and bytes by their kind ("<array>", "<kvlist>",
/// "<bytes>"). Numbers are formatted into `buf`.
inline std::string_view red_dimension_text(const any_value& v, std::array<char, 32>& buf) {
  switch (v.kind()) {
    case value_kind::string:
      return v.as_string();
    case value_kind::boolean:
      return v.as_bool() ? "true" : "false";
    case value_kind::int64: {
      const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v.as_int());
      return {buf.data(), static_cast<std::size_t>(r.ptr - buf.data())};
    }
    case value_kind::double_: {
      const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v.as_double());
      return {buf.data(), static_cast<std::size_t>(r.ptr - buf.data())};
    }
    case value_kind::array:
      return "<array>";
    case value_kind::kvlist:
      return "<kvlist>";
    case value_kind::bytes:
      return "<bytes>";
    case value_kind::empty:
      break;
  }
  return {};
}

}  // namespace detail

/// Rate, errors and duration per operation, over traces: what the OpenTelemetry Collector's
/// spanmetrics connector computes, offline and mergeable.
///
/// A fold over `trace`. Every span is counted in the group of its `red_key`: service.name,
/// span name, span kind and status code, plus the values of `options.attributes`. Per
/// group: calls, errors (status ERROR), and exponential histograms of duration and of self
/// time (`folds::self_time`), in nanoseconds. The result is a `red_table`.
/// `options.dimensions` drops any of the four span dimensions from the key (neutral values
/// instead, e.g. groups by name only); `options.exact` also keeps every duration and self
/// time, concatenated on merge and sorted in `done`, for exact nearest-rank quantiles (the
/// state then holds the values only, and `done` records the histograms from them: the
/// table is the same).
///
/// ```
/// const folds::red_table t = run(folds::red_stats{}, ts.traces());
/// const auto by_route = run_parallel(folds::red_stats{{.attributes = {"http.route"}}},
///                                    ts.traces());
/// const auto per_name = run(folds::red_stats{{.dimensions = {.service = false, .kind = false,
///                                                            .status = false},
///                                             .exact = true}},
///                           ts.traces());
/// ```
///
/// Mergeable (`run_parallel` applies), and the state owns its keys, so it outlives the input.
/// Per span: one hash lookup (a group's key is copied only when the group is new), two
/// histogram records (exact mode: two appends, the records in `done`) and the self time
/// (O(children)). No allocation per span once the groups and their histograms' ranges are
/// established (exact mode: amortised, the vectors grow geometrically).
struct red_stats {
  red_options options;  ///< grouping attributes and histogram limits

  /// The groups and counters.
  struct accumulator {
    /// One group's numbers (its key is the map's key).
    struct totals {
      std::uint64_t count = 0;
      std::uint64_t errors = 0;
      exponential_histogram duration;  ///< recorded span by span; in exact mode by `done`
      exponential_histogram self_time;
      std::vector<std::uint64_t> exact_duration{};   ///< kept durations (exact mode)
      std::vector<std::uint64_t> exact_self_time{};  ///< kept self times (exact mode)
    };
    std::unordered_map<red_key, totals, detail::red_key_hash, detail::red_key_equal> groups;
    std::uint64_t spans = 0;                            ///< spans folded
    std::uint64_t traces = 0;                           ///< traces folded
    std::vector<std::optional<std::string_view>> dims;  ///< scratch: a span's attribute values
    std::vector<std::array<char, 32>> text;             ///< scratch: their formatted numbers
  };
  /// The state: boxed, so the runner's move per input moves a pointer.
  using state_type = tracefold::detail::boxed<accumulator>;

  /// No groups (allocates nothing).
  [[nodiscard]] state_type init() const { return {}; }

  /// Counts every span of `t` in its group.
  [[nodiscard]] state_type step(state_type s, const trace& t) const {
    accumulator& a = s.get();
    ++a.traces;
    const std::size_t n = options.attributes.size();
    a.dims.resize(n);
    a.text.resize(n);
    for (span_ref r : t) {
      const span& sp = r.span();
      for (std::size_t i = 0; i < n; ++i) {
        const any_value* v = find_attribute(sp.attributes, options.attributes[i]);
        if (v == nullptr && sp.resource != nullptr)
          v = find_attribute(sp.resource->attributes, options.attributes[i]);
        a.dims[i] = v ? std::optional(detail::red_dimension_text(*v, a.text[i])) : std::nullopt;
      }
      const red_dimensions& on = options.dimensions;
      const detail::red_key_view key{on.service ? sp.service_name("unknown_service") : "",
                                     on.name ? std::string_view(sp.name) : "",
                                     on.kind ? sp.kind : span_kind::unspecified,
                                     on.status ? sp.status.code : status_code::unset, a.dims};
      auto it = a.groups.find(key);
      if (it == a.groups.end()) it = a.groups.emplace(owned(key), fresh()).first;
      accumulator::totals& g = it->second;
      ++a.spans;
      ++g.count;
      if (sp.status.code == status_code::error) ++g.errors;
      const std::int64_t d = sp.duration_ns();
      const std::uint64_t dur = static_cast<std::uint64_t>(d > 0 ? d : 0);
      const std::uint64_t self = folds::self_time(r);
      if (options.exact) {  // the histograms are recorded from the sorted values in `done`
        g.exact_duration.push_back(dur);
        g.exact_self_time.push_back(self);
      } else {
        g.duration.record(dur);
        g.self_time.record(self);
      }
    }
    return s;
  }

  /// Group-wise merge: counts add, histograms merge exactly, kept values concatenate.
  [[nodiscard]] state_type merge(state_type a, state_type b) const {
    accumulator* from = b.get_if();
    if (from == nullptr) return a;
    if (a.get_if() == nullptr) return b;
    accumulator& into = a.get();
    into.spans += from->spans;
    into.traces += from->traces;
    for (auto& [k, v] : from->groups) {
      auto it = into.groups.find(k);
      if (it == into.groups.end()) {
        into.groups.emplace(k, std::move(v));
      } else {
        it->second.count += v.count;
        it->second.errors += v.errors;
        it->second.duration.merge(v.duration);
        it->second.self_time.merge(v.self_time);
        append(it->second.exact_duration, v.exact_duration);
        append(it->second.exact_self_time, v.exact_self_time);
      }
    }
    return a;
  }

  /// The table, groups sorted by total duration, largest first (kept values sorted).
  [[nodiscard]] red_table done(state_type s) const {
    red_table t;
    t.attribute_names = options.attributes;
    t.dimensions = options.dimensions;
    t.exact = options.exact;
    if (accumulator* a = s.get_if()) {
      t.spans = a->spans;
      t.traces = a->traces;
      t.groups.reserve(a->groups.size());
      for (auto& [k, v] : a->groups) {
        if (options.exact) {
          // A histogram is a function of the values, not of their order (see
          // `exponential_histogram`), and recording ascending values is quicker than span by
          // span: the same buckets in a row, and one group's histogram at a time.
          tracefold::detail::sort_values(v.exact_duration);
          tracefold::detail::sort_values(v.exact_self_time);
          for (const std::uint64_t x : v.exact_duration) v.duration.record(x);
          for (const std::uint64_t x : v.exact_self_time) v.self_time.record(x);
        }
        t.groups.push_back(red_group{k, v.count, v.errors, std::move(v.duration),
                                     std::move(v.self_time), std::move(v.exact_duration),
                                     std::move(v.exact_self_time)});
      }
    }
    t.sort();
    return t;
  }

 private:
  static void append(std::vector<std::uint64_t>& into, std::vector<std::uint64_t>& from) {
    into.insert(into.end(), from.begin(), from.end());
  }
  [[nodiscard]] accumulator::totals fresh() const {
    return {0,
            0,
            exponential_histogram(options.histogram_max_size),
            exponential_histogram(options.histogram_max_size),
            {},
            {}};
  }
  [[nodiscard]] static red_key owned(const detail::red_key_view& k) {
    red_key out{std::string(k.service), std::string(k.name), k.kind, k.status, {}};
    out.attributes.reserve(k.attributes.size());
    for (const auto& a : k.attributes)
      out.attributes.push_back(a ? std::optional<std::string>(*a) : std::nullopt);
    return out;
  }
};

}  // namespace tracefold::folds
