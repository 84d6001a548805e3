#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_otlp_metrics.hpp>
#include <utility>
#include <vector>
#include "red_common.hpp"

#include "json_out.hpp"

namespace tracefold::emit {

namespace {

// The project version of meson.build; there is no generated version header to take it from.
constexpr std::string_view scope_name = "tracefold";
constexpr std::string_view scope_version = "0.1.0";

constexpr std::string_view calls_name = "traces.span.metrics.calls";
constexpr std::string_view calls_description =
    "Spans counted per service, span name, span kind, status code and grouping attributes.";
constexpr std::string_view duration_name = "traces.span.metrics.duration";
constexpr std::string_view duration_description = "Span durations (end minus start).";
constexpr std::string_view duration_unit = "ns";

// The connector's names for the four built-in dimensions.
constexpr std::string_view builtin_keys[] = {"service.name", "span.name", "span.kind",
                                             "status.code"};

using detail::kind_text;
using detail::status_text;

/// Appends one `KeyValue` with a string value, preceded by a comma unless it is the first.
void append_attribute(std::string& out, std::string_view key, std::string_view value, bool& first) {
  if (!first) out.push_back(',');
  first = false;
  out += "{\"key\":";
  detail::append_string(out, key);
  out += ",\"value\":{\"stringValue\":";
  detail::append_string(out, value);
  out += "}}";
}

/// One data point of each metric: a group, or several groups that render alike.
struct point {
  std::string attributes;  // the rendered KeyValue list, without brackets
  std::uint64_t calls = 0;
  const folds::exponential_histogram* duration = nullptr;
  std::optional<folds::exponential_histogram> merged;  // set once a second group joins

  [[nodiscard]] const folds::exponential_histogram& histogram() const {
    return merged ? *merged : *duration;
  }
};

/// The points of one service.
struct service_points {
  std::string name_json;                                  // the service name as a JSON string
  std::vector<point> points;                              // in red_key order of their first group
  std::map<std::string, std::size_t, std::less<>> index;  // attributes -> position
};

using output = detail::chunked_output;

/// A double holding an integer (a sum of nanoseconds) in plain digits, never `2.5e+08`.
void append_integral(std::string& o, double v) {
  char buf[400];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  o.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void append_times(std::string& o, std::uint64_t start, std::uint64_t time) {
  if (start != 0) {
    o += "\"startTimeUnixNano\":";
    detail::append_uint_string(o, start);
    o.push_back(',');
  }
  o += "\"timeUnixNano\":";
  detail::append_uint_string(o, time);
}

void append_calls_point(std::string& o, const point& p, std::uint64_t start, std::uint64_t time) {
  o.push_back('{');
  append_times(o, start, time);
  o += ",\"asInt\":";
  detail::append_uint_string(o, p.calls);
  o += ",\"attributes\":[";
  o += p.attributes;
  o += "]}";
}

void append_duration_point(std::string& o, const point& p, std::uint64_t start, std::uint64_t time,
                           const red_otlp_metrics_options& options) {
  std::optional<folds::exponential_histogram> coarse;
  if ((options.max_size != 0 && p.histogram().bucket_counts().size() > options.max_size) ||
      p.histogram().scale() > options.max_scale) {
    // Merging into an empty histogram with smaller limits lowers the scale until it fits.
    coarse.emplace(options.max_size != 0 ? options.max_size : p.histogram().max_size(),
                   options.max_scale);
    coarse->merge(p.histogram());
  }
  const folds::exponential_histogram& h = coarse ? *coarse : p.histogram();
  o += "{\"attributes\":[";
  o += p.attributes;
  o += "],";
  append_times(o, start, time);
  o += ",\"count\":";
  detail::append_uint_string(o, h.count());
  o += ",\"sum\":";
  append_integral(o, h.sum());
  o += ",\"scale\":";
  detail::append_int(o, h.scale());
  o += ",\"zeroCount\":";
  detail::append_uint_string(o, h.zero_count());
  o += ",\"positive\":{\"offset\":";
  detail::append_int(o, h.offset());
  o += ",\"bucketCounts\":[";
  bool first = true;
  for (const std::uint64_t c : h.bucket_counts()) {
    if (!first) o.push_back(',');
    first = false;
    detail::append_uint_string(o, c);
  }
  o += "]}";
  if (h.count() != 0) {
    o += ",\"min\":";
    detail::append_uint(o, h.min());
    o += ",\"max\":";
    detail::append_uint(o, h.max());
  }
  o.push_back('}');
}

/// The table's groups as points per service, merging groups that render alike.
std::vector<service_points> collect(const folds::red_table& table) {
  std::vector<const folds::red_group*> groups;
  groups.reserve(table.groups.size());
  for (const folds::red_group& g : table.groups) groups.push_back(&g);
  std::sort(groups.begin(), groups.end(),
            [](const folds::red_group* a, const folds::red_group* b) { return a->key < b->key; });

  // Which grouping attributes get a key of their own: not a built-in, not a repeat.
  const std::vector<std::string>& names = table.attribute_names;
  std::vector<bool> kept(names.size(), true);
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (const std::string_view b : builtin_keys) kept[i] = kept[i] && names[i] != b;
    for (std::size_t j = 0; j < i; ++j) kept[i] = kept[i] && names[i] != names[j];
  }

  std::vector<service_points> services;
  std::map<std::string, std::size_t, std::less<>> service_index;
  std::string service_json;
  for (const folds::red_group* g : groups) {
    service_json.clear();
    detail::append_string(service_json, g->key.service);
    auto sit = service_index.find(service_json);
    if (sit == service_index.end()) {
      sit = service_index.emplace(service_json, services.size()).first;
      services.push_back({service_json, {}, {}});
    }
    service_points& sp = services[sit->second];

    std::string attrs;
    bool first = true;
    append_attribute(attrs, builtin_keys[0], g->key.service, first);
    append_attribute(attrs, builtin_keys[1], g->key.name, first);
    append_attribute(attrs, builtin_keys[2], kind_text(g->key.kind), first);
    append_attribute(attrs, builtin_keys[3], status_text(g->key.status), first);
    const std::size_t n = std::min(names.size(), g->key.attributes.size());
    for (std::size_t i = 0; i < n; ++i)
      if (kept[i] && g->key.attributes[i])
        append_attribute(attrs, names[i], *g->key.attributes[i], first);

    auto pit = sp.index.find(attrs);
    if (pit == sp.index.end()) {
      sp.index.emplace(attrs, sp.points.size());
      sp.points.push_back({std::move(attrs), g->count, &g->duration, std::nullopt});
    } else {
      point& p = sp.points[pit->second];
      p.calls += g->count;
      if (!p.merged) p.merged = *p.duration;
      p.merged->merge(g->duration);
    }
  }
  return services;
}

std::uint64_t now_unix_nano() {
  const auto d = std::chrono::system_clock::now().time_since_epoch();
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  return ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

void write(const folds::red_table& table, const red_otlp_metrics_options& options, output& out) {
  const std::uint64_t time = options.time_unix_nano != 0 ? options.time_unix_nano : now_unix_nano();
  const std::uint64_t start = options.start_time_unix_nano;
  const std::vector<service_points> services = collect(table);

  std::string& o = out.buf();
  o += "{\"resourceMetrics\":[";
  for (std::size_t s = 0; s < services.size(); ++s) {
    const service_points& sp = services[s];
    if (s != 0) o.push_back(',');
    o += "{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":";
    o += sp.name_json;
    o += "}}]},\"scopeMetrics\":[{\"scope\":{\"name\":";
    detail::append_string(o, scope_name);
    o += ",\"version\":";
    detail::append_string(o, scope_version);
    o += "},\"metrics\":[{\"name\":";
    detail::append_string(o, calls_name);
    o += ",\"description\":";
    detail::append_string(o, calls_description);
    o += ",\"sum\":{\"dataPoints\":[";
    for (std::size_t i = 0; i < sp.points.size(); ++i) {
      if (i != 0) o.push_back(',');
      append_calls_point(o, sp.points[i], start, time);
      out.maybe_flush();
    }
    o += "],\"aggregationTemporality\":2,\"isMonotonic\":true}},{\"name\":";
    detail::append_string(o, duration_name);
    o += ",\"description\":";
    detail::append_string(o, duration_description);
    o += ",\"unit\":";
    detail::append_string(o, duration_unit);
    o += ",\"exponentialHistogram\":{\"dataPoints\":[";
    for (std::size_t i = 0; i < sp.points.size(); ++i) {
      if (i != 0) o.push_back(',');
      append_duration_point(o, sp.points[i], start, time, options);
      out.maybe_flush();
    }
    o += "],\"aggregationTemporality\":2}}]}]}";
  }
  o += "]}\n";
  out.flush();
}

}  // namespace

std::string to_red_otlp_metrics_fn::operator()(const folds::red_table& table,
                                               const red_otlp_metrics_options& options) const {
  output out(nullptr);
  write(table, options, out);
  return out.take();
}

void to_red_otlp_metrics_fn::operator()(const folds::red_table& table,
                                        const red_otlp_metrics_options& options,
                                        const sink& out) const {
  output o(&out);
  write(table, options, o);
}

}  // namespace tracefold::emit
