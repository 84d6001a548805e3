#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <tracefold/emit/red_json.hpp>
#include <utility>

#include "json_out.hpp"

namespace tracefold::emit {

namespace {

constexpr std::size_t flush_at = std::size_t{1} << 20;

/// A quantile (a double) as whole nanoseconds, rounded to nearest and clamped to uint64.
std::uint64_t round_ns(double v) noexcept {
  if (!(v > 0)) return 0;
  const double r = std::round(v);
  if (r >= 0x1p64) return UINT64_MAX;
  return static_cast<std::uint64_t>(r);
}

/// A sum of integers held in a double (so itself an integer) as a JSON integer: exact below
/// 2^64, the shortest round-tripping digits in fixed notation above (never an exponent).
void append_sum(std::string& out, tracefold::detail::uint128 v) { detail::append_uint128(out, v); }

/// `{"min":..,"max":..,"sum":..,"p50":..,"p90":..,"p95":..,"p99":..}`; the quantiles from
/// `quantile` (the group's: exact when it kept its values).
template <class Quantile>
void append_histogram(std::string& out, const folds::exponential_histogram& h, Quantile quantile) {
  out += "{\"min\":";
  detail::append_uint(out, h.min());
  out += ",\"max\":";
  detail::append_uint(out, h.max());
  out += ",\"sum\":";
  append_sum(out, h.exact_sum());
  static constexpr std::pair<std::string_view, double> quantiles[] = {
      {",\"p50\":", 0.5}, {",\"p90\":", 0.9}, {",\"p95\":", 0.95}, {",\"p99\":", 0.99}};
  for (const auto& [key, q] : quantiles) {
    out += key;
    detail::append_uint(out, round_ns(quantile(q).value_or(0.0)));
  }
  out.push_back('}');
}

}  // namespace

std::string to_red_json_fn::operator()(const folds::red_table& table) const {
  std::string text;
  (*this)(table, [&](std::string_view chunk) { text += chunk; });
  return text;
}

void to_red_json_fn::operator()(const folds::red_table& table, const sink& out) const {
  std::string buf = "{\"spans\":";
  detail::append_uint(buf, table.spans);
  buf += ",\"traces\":";
  detail::append_uint(buf, table.traces);
  buf += ",\"attributes\":[";
  for (std::size_t a = 0; a < table.attribute_names.size(); ++a) {
    if (a != 0) buf.push_back(',');
    detail::append_string(buf, table.attribute_names[a]);
  }
  buf.push_back(']');
  if (table.exact) buf += ",\"exact\":true";
  if (!table.dimensions.all()) {
    buf += ",\"dimensions\":[";
    bool any = false;
    for (const auto& [on, dim] :
         {std::pair{table.dimensions.service, "service"}, std::pair{table.dimensions.name, "name"},
          std::pair{table.dimensions.kind, "kind"}, std::pair{table.dimensions.status, "status"}}) {
      if (!on) continue;
      if (any) buf.push_back(',');
      any = true;
      detail::append_string(buf, dim);
    }
    buf.push_back(']');
  }
  buf += ",\"groups\":[";
  for (std::size_t i = 0; i < table.groups.size(); ++i) {
    const folds::red_group& g = table.groups[i];
    buf += i == 0 ? "\n" : ",\n";
    // Each dimension the table was grouped by; the first opens the object.
    char sep = '{';
    auto field = [&](bool on, std::string_view key, std::string_view value) {
      if (!on) return;
      buf.push_back(sep);
      sep = ',';
      buf.push_back('"');
      buf += key;
      buf += "\":";
      detail::append_string(buf, value);
    };
    field(table.dimensions.service, "service", g.key.service);
    field(table.dimensions.name, "name", g.key.name);
    field(table.dimensions.kind, "kind", to_string(g.key.kind));
    field(table.dimensions.status, "status", to_string(g.key.status));
    if (!table.attribute_names.empty()) {
      buf.push_back(sep);
      sep = ',';
      buf += "\"attributes\":{";
      for (std::size_t a = 0; a < table.attribute_names.size(); ++a) {
        if (a != 0) buf.push_back(',');
        detail::append_string(buf, table.attribute_names[a]);
        buf.push_back(':');
        if (a < g.key.attributes.size() && g.key.attributes[a]) {
          detail::append_string(buf, *g.key.attributes[a]);
        } else {
          buf += "null";
        }
      }
      buf.push_back('}');
    }
    buf.push_back(sep);
    buf += "\"count\":";
    detail::append_uint(buf, g.count);
    buf += ",\"errors\":";
    detail::append_uint(buf, g.errors);
    buf += ",\"duration_ns\":";
    append_histogram(buf, g.duration, [&](double q) { return g.duration_quantile(q); });
    buf += ",\"self_time_ns\":";
    append_histogram(buf, g.self_time, [&](double q) { return g.self_time_quantile(q); });
    buf.push_back('}');
    if (buf.size() >= flush_at) {
      out(buf);
      buf.clear();
    }
  }
  buf += table.groups.empty() ? "]}\n" : "\n]}\n";
  out(buf);
}

}  // namespace tracefold::emit
