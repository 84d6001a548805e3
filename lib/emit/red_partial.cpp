#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_partial.hpp>
#include <tracefold/folds/exponential_histogram.hpp>

#include "../ingest/text_util.hpp"
#include "json_out.hpp"

namespace tracefold::emit {

namespace {

constexpr std::size_t flush_at = std::size_t{1} << 20;

/// A string: as a JSON string when it is valid UTF-8, else as `{"hex":"..."}` (its bytes in
/// lowercase hex), so that every byte comes back and the output stays valid UTF-8.
void append_text(std::string& out, std::string_view s) {
  if (ingest::detail::first_invalid_utf8(s) == s.size()) {
    detail::append_string(out, s);
    return;
  }
  static constexpr char hex[] = "0123456789abcdef";
  out += "{\"hex\":\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(hex[u >> 4]);
    out.push_back(hex[u & 15]);
  }
  out += "\"}";
}

/// A 128-bit unsigned integer as a JSON string of decimal digits.
void append_uint128_string(std::string& out, tracefold::detail::uint128 v) {
  out.push_back('"');
  detail::append_uint128(out, v);
  out.push_back('"');
}

/// A histogram's `parts`, every field, in the order docs/red-partial.md lists them.
void append_histogram(std::string& out, const folds::exponential_histogram& h) {
  const folds::exponential_histogram::parts p = h.to_parts();
  out += "{\"max_size\":";
  detail::append_uint(out, p.max_size);
  out += ",\"max_scale\":";
  detail::append_int(out, p.max_scale);
  out += ",\"scale\":";
  detail::append_int(out, p.scale);
  out += ",\"count\":";
  detail::append_uint_string(out, p.count);
  out += ",\"zero_count\":";
  detail::append_uint_string(out, p.zero_count);
  out += ",\"rejected_count\":";
  detail::append_uint_string(out, p.rejected_count);
  out += ",\"sum\":";
  append_uint128_string(out, p.sum);
  out += ",\"min\":";
  detail::append_uint_string(out, p.min);
  out += ",\"max\":";
  detail::append_uint_string(out, p.max);
  out += ",\"offset\":";
  detail::append_int(out, p.offset);
  out += ",\"bucket_counts\":[";
  for (std::size_t i = 0; i < p.bucket_counts.size(); ++i) {
    if (i != 0) out.push_back(',');
    detail::append_uint_string(out, p.bucket_counts[i]);
  }
  out += "]}";
}

void append_group(std::string& out, const folds::red_group& g) {
  out += "{\"service\":";
  append_text(out, g.key.service);
  out += ",\"name\":";
  append_text(out, g.key.name);
  out += ",\"kind\":";
  detail::append_int(out, static_cast<std::int32_t>(g.key.kind));
  out += ",\"status\":";
  detail::append_int(out, static_cast<std::int32_t>(g.key.status));
  out += ",\"attributes\":[";
  for (std::size_t a = 0; a < g.key.attributes.size(); ++a) {
    if (a != 0) out.push_back(',');
    if (const std::optional<std::string>& v = g.key.attributes[a]) {
      append_text(out, *v);
    } else {
      out += "null";
    }
  }
  out += "],\"count\":";
  detail::append_uint_string(out, g.count);
  out += ",\"errors\":";
  detail::append_uint_string(out, g.errors);
  out += ",\"duration\":";
  append_histogram(out, g.duration);
  out += ",\"self_time\":";
  append_histogram(out, g.self_time);
  out.push_back('}');
}

}  // namespace

std::string to_red_partial_fn::operator()(const folds::red_table& table) const {
  std::string text;
  write_red_partial(table, [&](std::string_view chunk) { text += chunk; });
  return text;
}

void write_red_partial_fn::operator()(const folds::red_table& table, const sink& out) const {
  std::string buf = "{\"format\":\"tracefold.red_partial\",\"version\":1,\"spans\":";
  detail::append_uint_string(buf, table.spans);
  buf += ",\"traces\":";
  detail::append_uint_string(buf, table.traces);
  buf += ",\"attributes\":[";
  for (std::size_t a = 0; a < table.attribute_names.size(); ++a) {
    if (a != 0) buf.push_back(',');
    append_text(buf, table.attribute_names[a]);
  }
  buf += "],\"groups\":[";
  for (std::size_t i = 0; i < table.groups.size(); ++i) {
    buf += i == 0 ? "\n" : ",\n";
    append_group(buf, table.groups[i]);
    if (buf.size() >= flush_at) {
      out(buf);
      buf.clear();
    }
  }
  buf += table.groups.empty() ? "]}\n" : "\n]}\n";
  out(buf);
}

}  // namespace tracefold::emit
