#include <algorithm>
#include <string_view>
#include <tracefold/emit/timeline_json.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/self_time.hpp>
#include <tracefold/folds/trace_summary.hpp>
#include <utility>

#include "json_out.hpp"

namespace tracefold::emit {

namespace {

constexpr std::size_t flush_at = std::size_t{1} << 20;
constexpr std::string_view document_open = "{\"traces\":[";

/// Appends `"key":"hex"` for an id (`""` for the absent id when `empty_if_absent`).
template <class Id>
void hex_member(std::string& out, std::string_view key, const Id& id, bool empty_if_absent) {
  out += key;
  if (empty_if_absent && id.empty()) {
    out += "\"\"";
    return;
  }
  char buf[Id::hex_size + 2];
  buf[0] = '"';
  char* end = id.to_hex(buf + 1);
  *end++ = '"';
  out.append(buf, static_cast<std::size_t>(end - buf));
}

}  // namespace

timeline_json::state_type timeline_json::init() const {
  state_type s;
  s.buf.reserve(out ? flush_at + (flush_at >> 2) : 0);
  return s;
}

timeline_json::state_type timeline_json::step(state_type s, const trace& t) const {
  std::string& b = s.buf;
  auto str = [&](std::string_view v) {
    if (detail::append_string(b, v)) ++s.stats.repaired_strings;
  };
  auto flush = [&] {
    if (out && b.size() >= flush_at) {
      s.stats.bytes += b.size();
      out(b);
      b.clear();
    }
  };
  if (options.layout == timeline_layout::document) {
    if (!s.opened) {
      b += document_open;
      s.opened = true;
    }
    if (s.stats.traces != 0) b.push_back(',');
    b.push_back('\n');
  }
  ++s.stats.traces;

  const folds::trace_summary sum = folds::summarize(t);
  if (options.lanes) folds::lanes(t, s.lanes, s.lane_scratch);

  hex_member(b, "{\"trace_id\":", t.id(), false);
  b += ",\"start_time_unix_nano\":";
  detail::append_uint_string(b, sum.start_unix_nano);
  b += ",\"duration_ns\":";
  detail::append_uint(b, sum.duration_ns());
  b += ",\"span_count\":";
  detail::append_uint(b, sum.spans);
  if (options.lanes) {
    b += ",\"lane_count\":";
    detail::append_uint(b, s.lanes.count);
  }
  b += ",\"root_name\":";
  str(sum.root_name);
  b += ",\"root_service\":";
  str(sum.root_service);
  b += ",\"error_count\":";
  detail::append_uint(b, sum.errors);
  b += ",\"services\":[";
  for (std::size_t i = 0; i < sum.services.size(); ++i) {
    if (i != 0) b.push_back(',');
    str(sum.services[i]);
  }
  b += "],\"spans\":[";
  const std::size_t n = t.size();
  for (std::size_t i = 0; i < n; ++i) {
    const span_ref r = t[i];
    const span& sp = r.span();
    if (i != 0) b.push_back(',');
    hex_member(b, "{\"span_id\":", sp.span_id, false);
    hex_member(b, ",\"parent_span_id\":", sp.parent_span_id, true);
    b += ",\"name\":";
    str(sp.name);
    b += ",\"service\":";
    str(sp.service_name("unknown_service"));
    b += ",\"kind\":\"";
    b += to_string(sp.kind);
    b += "\",\"status\":\"";
    b += to_string(sp.status.code);
    b += "\",\"start_offset_ns\":";
    detail::append_uint(b, sp.start_time_unix_nano - sum.start_unix_nano);
    b += ",\"duration_ns\":";
    detail::append_uint(b, sp.end_time_unix_nano > sp.start_time_unix_nano
                               ? sp.end_time_unix_nano - sp.start_time_unix_nano
                               : 0);
    b += ",\"self_time_ns\":";
    detail::append_uint(b, folds::self_time(r));
    b += ",\"depth\":";
    detail::append_uint(b, r.depth());
    if (options.lanes) {
      b += ",\"lane\":";
      detail::append_uint(b, s.lanes.lane[i]);
    }
    b += r.is_orphan() ? ",\"orphan\":true}" : ",\"orphan\":false}";
    flush();
  }
  b += "]}";
  if (options.layout == timeline_layout::lines) b.push_back('\n');
  s.stats.spans += n;
  flush();
  return s;
}

timeline_json::state_type timeline_json::merge(state_type a, state_type b) const {
  if (b.stats.traces == 0) return a;
  if (a.stats.traces == 0) {
    std::swap(a.buf, b.buf);
    a.opened = b.opened;
  } else if (options.layout == timeline_layout::document) {
    // b's traces follow a's: drop b's opening, separate with a comma.
    std::string_view rest(b.buf);
    rest.remove_prefix(document_open.size());
    a.buf.push_back(',');
    a.buf += rest;
  } else {
    a.buf += b.buf;
  }
  a.stats.traces += b.stats.traces;
  a.stats.spans += b.stats.spans;
  a.stats.repaired_strings += b.stats.repaired_strings;
  return a;
}

timeline_json_result timeline_json::done(state_type s) const {
  if (options.layout == timeline_layout::document) {
    if (!s.opened) s.buf += document_open;
    s.buf += s.stats.traces != 0 ? "\n]}\n" : "]}\n";
  }
  timeline_json_result r = std::move(s.stats);
  r.bytes += s.buf.size();
  if (out) {
    if (!s.buf.empty()) out(s.buf);
  } else {
    r.text = std::move(s.buf);
  }
  return r;
}

std::string to_timeline_json(const trace_set& ts, timeline_json_options options) {
  return run(timeline_json{options, {}}, ts.traces()).text;
}

}  // namespace tracefold::emit
