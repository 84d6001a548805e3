#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_prometheus.hpp>
#include <utility>
#include <vector>
#include "red_common.hpp"

#include "../ingest/text_util.hpp"

namespace tracefold::emit {

namespace {

constexpr std::string_view calls_family = "traces_span_metrics_calls_total";
constexpr std::string_view calls_help =
    "Spans counted per service, span name, span kind, status code and grouping attributes.";
constexpr std::string_view duration_family = "traces_span_metrics_duration_seconds";
constexpr std::string_view duration_help = "Span durations (end minus start) in seconds.";

using detail::kind_text;
using detail::status_text;

/// A label name matching `[a-zA-Z_][a-zA-Z0-9_]*`, by OpenTelemetry's Prometheus rules: each
/// other character (a whole UTF-8 sequence, or an invalid byte) becomes `_`; a leading digit
/// gets `key_` in front, a leading `__` (reserved for Prometheus) `key`. `le`, which the
/// histogram series use themselves, becomes `key_le`.
std::string sanitize_label_name(std::string_view name) {
  std::string s;
  s.reserve(name.size() + 4);
  for (std::size_t i = 0; i < name.size();) {
    const char c = name[i];
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    s.push_back(word ? c : '_');
    const std::size_t len = ingest::detail::utf8_sequence(name, i);
    i += len == 0 ? 1 : len;
  }
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) {
    s.insert(0, "key_");
  } else if (s.starts_with("__")) {
    s.insert(0, "key");
  } else if (s == "le") {
    s = "key_le";
  }
  return s;
}

/// Appends `v` as a label value: valid UTF-8 (invalid bytes become U+FFFD) with backslash,
/// double quote and newline escaped, as the text format requires.
void append_label_value(std::string& out, std::string_view v) {
  for (std::size_t i = 0; i < v.size();) {
    const char c = v[i];
    if (c == '\\') {
      out += "\\\\";
      ++i;
    } else if (c == '"') {
      out += "\\\"";
      ++i;
    } else if (c == '\n') {
      out += "\\n";
      ++i;
    } else if (static_cast<unsigned char>(c) < 0x80) {
      out.push_back(c);
      ++i;
    } else if (const std::size_t len = ingest::detail::utf8_sequence(v, i); len != 0) {
      out.append(v.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
}

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

/// A sample value or `le` boundary: shortest round-trip form (`0.002`, `15`, `1e-09`).
void append_double(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

/// One label of the output: the sanitized name and where its value comes from. Several
/// sources mean several attributes sanitized to the same name; their values are joined with
/// `;` in the order of the original names.
struct label_slot {
  std::string name;
  std::vector<std::pair<std::string_view, int>> sources;  // (original name, source)
};

// Sources: these four, or an index into red_key::attributes.
constexpr int from_service = -1;
constexpr int from_name = -2;
constexpr int from_kind = -3;
constexpr int from_status = -4;

std::vector<label_slot> label_slots(const std::vector<std::string>& attribute_names) {
  std::vector<label_slot> slots;
  auto add = [&](std::string name, std::string_view original, int source) {
    for (label_slot& s : slots)
      if (s.name == name) {
        s.sources.emplace_back(original, source);
        return;
      }
    slots.push_back({std::move(name), {{original, source}}});
  };
  add("service_name", "service.name", from_service);
  add("span_name", "span.name", from_name);
  add("span_kind", "span.kind", from_kind);
  add("status_code", "status.code", from_status);
  for (std::size_t i = 0; i < attribute_names.size(); ++i)
    add(sanitize_label_name(attribute_names[i]), attribute_names[i], static_cast<int>(i));
  for (label_slot& s : slots)
    std::stable_sort(s.sources.begin(), s.sources.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  return slots;
}

/// The label set of a group, without braces: `service_name="...",span_name="...",...`.
std::string render_labels(const folds::red_key& key, const std::vector<label_slot>& slots) {
  std::string out;
  std::string value;
  const std::string kind = kind_text(key.kind);
  const std::string status = status_text(key.status);
  for (const label_slot& slot : slots) {
    value.clear();
    bool any = false;
    for (const auto& [original, source] : slot.sources) {
      std::optional<std::string_view> v;
      switch (source) {
        case from_service:
          v = key.service;
          break;
        case from_name:
          v = key.name;
          break;
        case from_kind:
          v = kind;
          break;
        case from_status:
          v = status;
          break;
        default: {
          const auto i = static_cast<std::size_t>(source);
          if (i < key.attributes.size() && key.attributes[i]) v = *key.attributes[i];
        }
      }
      if (!v) continue;
      if (any) value.push_back(';');
      any = true;
      value.append(*v);
    }
    if (value.empty()) continue;  // an empty label is an absent one to Prometheus
    if (!out.empty()) out.push_back(',');
    out += slot.name;
    out += "=\"";
    append_label_value(out, value);
    out.push_back('"');
  }
  return out;
}

/// One series of each family: a group, or several groups with equal labels.
struct series {
  std::string labels;
  std::uint64_t calls = 0;
  const folds::exponential_histogram* duration = nullptr;
  std::optional<folds::exponential_histogram> merged;  // set once a second group joins

  [[nodiscard]] const folds::exponential_histogram& histogram() const {
    return merged ? *merged : *duration;
  }
};

std::vector<series> collect(const folds::red_table& table) {
  std::vector<const folds::red_group*> groups;
  groups.reserve(table.groups.size());
  for (const folds::red_group& g : table.groups) groups.push_back(&g);
  std::sort(groups.begin(), groups.end(),
            [](const folds::red_group* a, const folds::red_group* b) { return a->key < b->key; });
  const std::vector<label_slot> slots = label_slots(table.attribute_names);
  std::vector<series> out;
  std::map<std::string, std::size_t, std::less<>> index;
  for (const folds::red_group* g : groups) {
    std::string labels = render_labels(g->key, slots);
    auto it = index.find(labels);
    if (it == index.end()) {
      index.emplace(labels, out.size());
      out.push_back({std::move(labels), g->count, &g->duration, std::nullopt});
    } else {
      series& s = out[it->second];
      s.calls += g->count;
      if (!s.merged) s.merged = *s.duration;
      s.merged->merge(g->duration);
    }
  }
  return out;
}

/// Appends `name{labels}` or `name{labels,extra}`, without braces when both are empty.
void append_series_name(std::string& o, std::string_view name, std::string_view labels,
                        std::string_view extra = {}) {
  o += name;
  if (labels.empty() && extra.empty()) return;
  o.push_back('{');
  o += labels;
  if (!labels.empty() && !extra.empty()) o.push_back(',');
  o += extra;
  o.push_back('}');
}

using output = detail::chunked_output;

void write(const folds::red_table& table, const red_prometheus_options& options, output& out) {
  std::vector<std::uint64_t> bounds = options.bucket_bounds_ns;
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  std::vector<std::string> le_labels;  // `le="0.002"` for each bound, then `le="+Inf"`
  for (const std::uint64_t b : bounds) {
    std::string l = "le=\"";
    append_double(l, static_cast<double>(b) / 1e9);
    l.push_back('"');
    le_labels.push_back(std::move(l));
  }
  le_labels.emplace_back("le=\"+Inf\"");

  const std::vector<series> all = collect(table);
  std::string& o = out.buf();

  o += "# HELP ";
  o += calls_family;
  o.push_back(' ');
  o += calls_help;
  o += "\n# TYPE ";
  o += calls_family;
  o += " counter\n";
  for (const series& s : all) {
    append_series_name(o, calls_family, s.labels);
    o.push_back(' ');
    append_uint(o, s.calls);
    o.push_back('\n');
    out.maybe_flush();
  }

  o += "# HELP ";
  o += duration_family;
  o.push_back(' ');
  o += duration_help;
  o += "\n# TYPE ";
  o += duration_family;
  o += " histogram\n";
  const std::string bucket_name = std::string(duration_family) + "_bucket";
  const std::string sum_name = std::string(duration_family) + "_sum";
  const std::string count_name = std::string(duration_family) + "_count";
  for (const series& s : all) {
    const folds::exponential_histogram& h = s.histogram();
    const auto counts = h.bucket_counts();
    const std::int32_t offset = h.offset();
    // Cumulative counts: the zeros, then whole exponential buckets whose every integer is
    // <= the boundary (those below the bucket of `bound + 1`); everything once bound >= max.
    std::uint64_t below = h.zero_count();
    std::size_t next = 0;  // the first exponential bucket not yet in `below`
    for (std::size_t k = 0; k < le_labels.size(); ++k) {
      std::uint64_t n = h.count();
      if (k < bounds.size() && bounds[k] < h.max()) {
        const std::int32_t j = folds::exponential_histogram::map_to_index(bounds[k] + 1, h.scale());
        while (next < counts.size() && offset + static_cast<std::int64_t>(next) < j)
          below += counts[next++];
        n = below;
      }
      append_series_name(o, bucket_name, s.labels, le_labels[k]);
      o.push_back(' ');
      append_uint(o, n);
      o.push_back('\n');
    }
    append_series_name(o, sum_name, s.labels);
    o.push_back(' ');
    append_double(o, h.sum() / 1e9);
    o.push_back('\n');
    append_series_name(o, count_name, s.labels);
    o.push_back(' ');
    append_uint(o, h.count());
    o.push_back('\n');
    out.maybe_flush();
  }
  out.flush();
}

}  // namespace

std::string to_red_prometheus_fn::operator()(const folds::red_table& table,
                                             const red_prometheus_options& options) const {
  output out(nullptr);
  write(table, options, out);
  return out.take();
}

void to_red_prometheus_fn::operator()(const folds::red_table& table,
                                      const red_prometheus_options& options,
                                      const sink& out) const {
  output o(&out);
  write(table, options, o);
}

}  // namespace tracefold::emit
