#include <algorithm>
#include <tracefold/emit/otlp_json.hpp>
#include <tracefold/fold/run.hpp>
#include <utility>

#include "../ingest/text_util.hpp"
#include "json_out.hpp"

namespace tracefold::emit {

namespace {

constexpr std::size_t flush_at = std::size_t{1} << 20;
constexpr std::string_view request_open = "{\"resourceSpans\":[";
constexpr std::string_view request_close = "]}";

/// Writes one trace's worth of OTLP JSON into a state.
class writer {
 public:
  writer(otlp_json::state_type& s) : s_(s), out_(s.buf) {}

  void str(std::string_view v) {
    if (detail::append_string(out_, v)) ++s_.stats.repaired_strings;
  }

  void key(std::string_view k) {
    out_.push_back('"');
    out_.append(k);
    out_ += "\":";
  }

  void hex_id(std::string_view k, const auto& id) {
    key(k);
    char buf[40];
    buf[0] = '"';
    char* end = id.to_hex(buf + 1);
    *end++ = '"';
    out_.append(buf, static_cast<std::size_t>(end - buf));
  }

  /// Appends `,"k":v` for a non-zero count.
  void count(std::string_view k, std::uint64_t v) {
    if (v == 0) return;
    out_.push_back(',');
    key(k);
    detail::append_uint(out_, v);
  }

  void attributes(std::span<const key_value> attrs) {
    out_.push_back('[');
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      if (i) out_.push_back(',');
      out_ += "{\"key\":";
      str(attrs[i].key);
      out_ += ",\"value\":";
      value(attrs[i].value);
      out_.push_back('}');
    }
    out_.push_back(']');
  }

  /// `,"attributes":[...]` when there are any.
  void attributes_field(std::span<const key_value> attrs) {
    if (attrs.empty()) return;
    out_ += ",\"attributes\":";
    attributes(attrs);
  }

  /// An AnyValue, nested arrays and kvlists included, with an explicit stack (no recursion).
  void value(const any_value& root) {
    auto& st = s_.frames;
    st.clear();
    // Writes `v`; a non-empty container is opened and pushed, to be filled by the loop.
    auto open = [&](const any_value& v, bool closes_entry) {
      switch (v.kind()) {
        case value_kind::empty:
          out_ += "{}";
          break;
        case value_kind::string:
          out_ += "{\"stringValue\":";
          str(v.as_string());
          out_.push_back('}');
          break;
        case value_kind::boolean:
          out_ += v.as_bool() ? "{\"boolValue\":true}" : "{\"boolValue\":false}";
          break;
        case value_kind::int64:
          out_ += "{\"intValue\":\"";
          detail::append_int(out_, v.as_int());
          out_ += "\"}";
          break;
        case value_kind::double_:
          out_ += "{\"doubleValue\":";
          detail::append_double(out_, v.as_double());
          out_.push_back('}');
          break;
        case value_kind::bytes: {
          out_ += "{\"bytesValue\":\"";
          ingest::detail::encode_base64(v.as_bytes(), out_);
          out_ += "\"}";
          break;
        }
        case value_kind::array:
          out_ += "{\"arrayValue\":{\"values\":[";
          st.push_back({v.as_array().data(), 0, static_cast<std::uint32_t>(v.as_array().size()),
                        false, closes_entry});
          return;
        case value_kind::kvlist:
          out_ += "{\"kvlistValue\":{\"values\":[";
          st.push_back({v.as_kvlist().data(), 0, static_cast<std::uint32_t>(v.as_kvlist().size()),
                        true, closes_entry});
          return;
      }
      if (closes_entry) out_.push_back('}');
    };
    open(root, false);
    while (!st.empty()) {
      otlp_json::value_frame& f = st.back();
      if (f.index == f.size) {
        const bool closes = f.closes_entry;
        st.pop_back();
        out_ += "]}}";
        if (closes) out_.push_back('}');
        continue;
      }
      const std::uint32_t i = f.index++;
      if (i) out_.push_back(',');
      if (f.kvlist) {
        const key_value& kv = static_cast<const key_value*>(f.items)[i];
        out_ += "{\"key\":";
        str(kv.key);
        out_ += ",\"value\":";
        open(kv.value, true);  // may push: `f` is not used after this
      } else {
        open(static_cast<const any_value*>(f.items)[i], false);
      }
    }
  }

  void span_object(const span& sp) {
    out_.push_back('{');
    hex_id("traceId", sp.trace_id);
    out_.push_back(',');
    hex_id("spanId", sp.span_id);
    if (!sp.trace_state.empty()) {
      out_ += ",\"traceState\":";
      str(sp.trace_state);
    }
    if (!sp.parent_span_id.empty()) {
      out_.push_back(',');
      hex_id("parentSpanId", sp.parent_span_id);
    }
    count("flags", sp.flags);
    out_ += ",\"name\":";
    str(sp.name);
    out_ += ",\"kind\":";
    detail::append_int(out_, static_cast<std::int32_t>(sp.kind));
    out_ += ",\"startTimeUnixNano\":";
    detail::append_uint_string(out_, sp.start_time_unix_nano);
    out_ += ",\"endTimeUnixNano\":";
    detail::append_uint_string(out_, sp.end_time_unix_nano);
    attributes_field(sp.attributes);
    count("droppedAttributesCount", sp.dropped_attributes_count);
    if (!sp.events.empty()) {
      out_ += ",\"events\":[";
      for (std::size_t i = 0; i < sp.events.size(); ++i) {
        const event& e = sp.events[i];
        if (i) out_.push_back(',');
        out_ += "{\"timeUnixNano\":";
        detail::append_uint_string(out_, e.time_unix_nano);
        out_ += ",\"name\":";
        str(e.name);
        attributes_field(e.attributes);
        count("droppedAttributesCount", e.dropped_attributes_count);
        out_.push_back('}');
      }
      out_.push_back(']');
    }
    count("droppedEventsCount", sp.dropped_events_count);
    if (!sp.links.empty()) {
      out_ += ",\"links\":[";
      for (std::size_t i = 0; i < sp.links.size(); ++i) {
        const link& l = sp.links[i];
        if (i) out_.push_back(',');
        out_.push_back('{');
        hex_id("traceId", l.trace_id);
        out_.push_back(',');
        hex_id("spanId", l.span_id);
        if (!l.trace_state.empty()) {
          out_ += ",\"traceState\":";
          str(l.trace_state);
        }
        attributes_field(l.attributes);
        count("droppedAttributesCount", l.dropped_attributes_count);
        count("flags", l.flags);
        out_.push_back('}');
      }
      out_.push_back(']');
    }
    count("droppedLinksCount", sp.dropped_links_count);
    out_ += ",\"status\":{";
    bool first = true;
    if (!sp.status.message.empty()) {
      out_ += "\"message\":";
      str(sp.status.message);
      first = false;
    }
    if (sp.status.code != status_code::unset) {
      if (!first) out_.push_back(',');
      out_ += "\"code\":";
      detail::append_int(out_, static_cast<std::int32_t>(sp.status.code));
    }
    out_ += "}}";
  }

  void resource_object(const resource& r) {
    out_ += "{\"resource\":{";
    if (!r.attributes.empty()) {
      out_ += "\"attributes\":";
      attributes(r.attributes);
    }
    if (r.dropped_attributes_count) {
      if (!r.attributes.empty()) out_.push_back(',');
      out_ += "\"droppedAttributesCount\":";
      detail::append_uint(out_, r.dropped_attributes_count);
    }
    out_ += "},\"scopeSpans\":[";
  }

  void scope_object(const scope& sc) {
    out_ += "{\"scope\":{";
    bool first = true;
    auto sep = [&] {
      if (!first) out_.push_back(',');
      first = false;
    };
    if (!sc.name.empty()) {
      sep();
      out_ += "\"name\":";
      str(sc.name);
    }
    if (!sc.version.empty()) {
      sep();
      out_ += "\"version\":";
      str(sc.version);
    }
    if (!sc.attributes.empty()) {
      sep();
      out_ += "\"attributes\":";
      attributes(sc.attributes);
    }
    if (sc.dropped_attributes_count) {
      sep();
      out_ += "\"droppedAttributesCount\":";
      detail::append_uint(out_, sc.dropped_attributes_count);
    }
    out_ += "},\"spans\":[";
  }

  void schema_url_and_close(std::string_view url) {
    out_.push_back(']');
    if (!url.empty()) {
      out_ += ",\"schemaUrl\":";
      str(url);
    }
    out_.push_back('}');
  }

  /// ResourceSpans entries for positions [first, last) of `t`, grouped by resource and then
  /// scope in order of first appearance, spans in pre-order within a scope.
  void spans(const trace& t, std::uint32_t first, std::uint32_t last) {
    const std::uint32_t n = last - first;
    // Distinct scopes in order of first appearance, and each span's scope rank.
    scopes_.clear();
    scope_resource_.clear();
    s_.rank.resize(n);
    const scope* prev = nullptr;
    std::uint32_t prev_rank = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      const scope* sc = t[first + i]->scope;
      if (sc != prev || i == 0) {
        auto it = std::find(scopes_.begin(), scopes_.end(), sc);
        prev_rank = static_cast<std::uint32_t>(it - scopes_.begin());
        if (it == scopes_.end()) {
          scopes_.push_back(sc);
          scope_resource_.push_back(t[first + i]->resource);
        }
        prev = sc;
      }
      s_.rank[i] = prev_rank;
    }
    // Group order: by the first appearance of the scope's resource, then of the scope.
    group_order_.resize(scopes_.size());
    for (std::uint32_t g = 0; g < scopes_.size(); ++g) group_order_[g] = g;
    resource_rank_.resize(scopes_.size());
    for (std::uint32_t g = 0; g < scopes_.size(); ++g) {
      std::uint32_t r = g;
      for (std::uint32_t h = 0; h < g; ++h)
        if (scope_resource_[h] == scope_resource_[g]) {
          r = resource_rank_[h];
          break;
        }
      resource_rank_[g] = r;
    }
    std::stable_sort(
        group_order_.begin(), group_order_.end(),
        [&](std::uint32_t a, std::uint32_t b) { return resource_rank_[a] < resource_rank_[b]; });
    // Counting sort of span positions by group.
    start_.assign(scopes_.size() + 1, 0);
    for (std::uint32_t i = 0; i < n; ++i) ++start_[s_.rank[i] + 1];
    for (std::size_t g = 0; g < scopes_.size(); ++g) start_[g + 1] += start_[g];
    s_.order.resize(n);
    fill_ = start_;
    for (std::uint32_t i = 0; i < n; ++i) s_.order[fill_[s_.rank[i]]++] = first + i;

    const resource* open_resource = nullptr;
    bool any_resource = false;
    for (std::uint32_t gi = 0; gi < group_order_.size(); ++gi) {
      const std::uint32_t g = group_order_[gi];
      const scope* sc = scopes_[g];
      const resource* res = scope_resource_[g];
      if (!any_resource || res != open_resource) {
        if (any_resource) schema_url_and_close(open_resource->schema_url);
        if (s_.opened_entry) out_.push_back(',');
        resource_object(*res);
        open_resource = res;
        any_resource = true;
        s_.opened_entry = true;
        first_scope_ = true;
      }
      if (!first_scope_) out_.push_back(',');
      first_scope_ = false;
      scope_object(*sc);
      for (std::uint32_t k = start_[g]; k < start_[g + 1]; ++k) {
        if (k != start_[g]) out_.push_back(',');
        span_object(t[s_.order[k]].span());
      }
      schema_url_and_close(sc->schema_url);
    }
    if (any_resource) schema_url_and_close(open_resource->schema_url);
    s_.stats.spans += n;
  }

 private:
  otlp_json::state_type& s_;
  std::string& out_;
  std::vector<const scope*> scopes_;
  std::vector<const resource*> scope_resource_;
  std::vector<std::uint32_t> group_order_, resource_rank_, start_, fill_;
  bool first_scope_ = true;
};

}  // namespace

otlp_json::state_type otlp_json::init() const {
  state_type s;
  s.buf.reserve(out ? flush_at + (flush_at >> 2) : 0);
  return s;
}

otlp_json::state_type otlp_json::step(state_type s, const trace& t) const {
  ++s.stats.traces;
  const auto n = static_cast<std::uint32_t>(t.size());
  auto open_request = [&] {
    if (!s.opened) {
      s.buf += request_open;
      s.opened = true;
      s.opened_entry = false;
      ++s.stats.requests;
    }
  };
  auto close_line = [&] {
    if (s.opened) {
      s.buf += request_close;
      s.buf.push_back('\n');
      s.opened = false;
      s.line_spans = 0;
    }
  };
  if (options.layout == otlp_layout::document || options.spans_per_line == 0) {
    open_request();
    writer(s).spans(t, 0, n);
    if (options.layout == otlp_layout::lines) close_line();
  } else {
    std::uint32_t first = 0;
    while (first < n) {
      open_request();
      const std::size_t room = options.spans_per_line - s.line_spans;
      const std::uint32_t last = static_cast<std::uint32_t>(std::min<std::size_t>(n, first + room));
      writer(s).spans(t, first, last);
      s.line_spans += last - first;
      first = last;
      if (s.line_spans >= options.spans_per_line) close_line();
    }
  }
  if (out && s.buf.size() >= flush_at) {
    s.stats.bytes += s.buf.size();
    out(s.buf);
    s.buf.clear();
  }
  return s;
}

otlp_json::state_type otlp_json::merge(state_type a, state_type b) const {
  if (options.layout == otlp_layout::document) {
    if (!b.opened) return a;
    if (!a.opened) {
      b.stats.traces += a.stats.traces;
      b.stats.spans += a.stats.spans;
      b.stats.repaired_strings += a.stats.repaired_strings;
      return b;
    }
    // Splice b's entries into a's open request.
    std::string_view rest(b.buf);
    rest.remove_prefix(request_open.size());
    if (a.opened_entry && b.opened_entry) a.buf.push_back(',');
    a.buf += rest;
    a.opened_entry = a.opened_entry || b.opened_entry;
  } else {
    // Lines: close a's partial line first, then append b's lines (b's open line stays open).
    if (a.opened && a.line_spans > 0) {
      a.buf += request_close;
      a.buf.push_back('\n');
    } else if (a.opened) {
      a.buf.resize(a.buf.size() - request_open.size());
      --a.stats.requests;
    }
    a.buf += b.buf;
    a.opened = b.opened;
    a.opened_entry = b.opened_entry;
    a.line_spans = b.line_spans;
    a.stats.requests += b.stats.requests;
  }
  a.stats.traces += b.stats.traces;
  a.stats.spans += b.stats.spans;
  a.stats.repaired_strings += b.stats.repaired_strings;
  if (options.layout == otlp_layout::document) a.stats.requests = 1;
  return a;
}

otlp_json_result otlp_json::done(state_type s) const {
  if (options.layout == otlp_layout::document) {
    if (!s.opened) {
      s.buf += request_open;
      ++s.stats.requests;
    }
    s.buf += request_close;
    s.buf.push_back('\n');
  } else if (s.opened) {
    s.buf += request_close;
    s.buf.push_back('\n');
  }
  otlp_json_result r = s.stats;
  r.bytes += s.buf.size();
  if (out) {
    if (!s.buf.empty()) out(s.buf);
  } else {
    r.text = std::move(s.buf);
  }
  return r;
}

std::string to_otlp_json(const trace_set& ts, otlp_json_options options) {
  return run(otlp_json{options, {}}, ts.traces()).text;
}

}  // namespace tracefold::emit
