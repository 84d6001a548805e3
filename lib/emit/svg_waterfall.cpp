#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <tracefold/emit/red_text.hpp>
#include <tracefold/emit/svg_waterfall.hpp>
#include <tracefold/folds/self_time.hpp>
#include <tracefold/folds/trace_summary.hpp>
#include <unordered_map>
#include <utility>
#include <vector>

#include "time_axis.hpp"
#include "xml_out.hpp"

namespace tracefold::emit {

namespace {

/// Service colours: a categorical palette without red, which marks errors.
constexpr std::array<std::string_view, 20> palette = {
    "#4e79a7", "#f28e2b", "#59a14f", "#edc948", "#b07aa1", "#76b7b2", "#9c755f",
    "#bab0ac", "#86bcb6", "#8cd17d", "#499894", "#f1ce63", "#d4a6c8", "#a0cbe8",
    "#ffbe7d", "#79706e", "#b6992d", "#fabfd2", "#6b8e23", "#7f7fbf"};

/// Estimated advance of one character of 11px sans-serif text, in tenths of a pixel.
constexpr std::int64_t char_tenths = 64;

/// FNV-1a of a service name: its preferred palette slot.
std::size_t slot_of(std::string_view name) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return static_cast<std::size_t>(h % palette.size());
}

/// A pixel value as tenths, rounded.
std::int64_t tenths(double px) { return std::llround(px * 10.0); }

/// Appends ` name="value"` for a coordinate in tenths of a pixel, in one append.
void attr(std::string& out, std::string_view name, std::int64_t t) {
  char buf[64];
  char* p = buf;
  *p++ = ' ';
  p = std::copy(name.begin(), name.end(), p);
  *p++ = '=';
  *p++ = '"';
  if (t < 0) {
    *p++ = '-';
    t = -t;
  }
  const auto v = static_cast<std::uint64_t>(t);
  p = std::to_chars(p, buf + sizeof buf, v / 10).ptr;
  if (v % 10 != 0) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + v % 10);
  }
  *p++ = '"';
  out.append(buf, static_cast<std::size_t>(p - buf));
}

/// Appends a duration for people ("12.3ms").
void append_duration(std::string& out, std::uint64_t ns) {
  out += to_red_text_fn::format_duration(ns);
}

/// Appends a 16- or 8-byte id in lowercase hex.
template <class Id>
void append_id(std::string& out, const Id& id) {
  char buf[Id::hex_size];
  id.to_hex(buf);
  out.append(buf, sizeof buf);
}

/// Appends a scalar (or a placeholder for a nested value) of an attribute, within `budget`
/// code points; returns what is left of the budget.
std::size_t append_scalar(std::string& out, const any_value& v, std::size_t budget, bool nested) {
  char buf[32];
  std::string_view text;
  switch (v.kind()) {
    case value_kind::empty:
      text = "(empty)";
      break;
    case value_kind::string: {
      const auto r = detail::append_xml(out, v.as_string(), budget);
      return r.cut ? 0 : budget - r.code_points;
    }
    case value_kind::boolean:
      text = v.as_bool() ? "true" : "false";
      break;
    case value_kind::int64: {
      const auto r = std::to_chars(buf, buf + sizeof buf, v.as_int());
      text = {buf, static_cast<std::size_t>(r.ptr - buf)};
      break;
    }
    case value_kind::double_: {
      const auto r = std::to_chars(buf, buf + sizeof buf, v.as_double());
      text = {buf, static_cast<std::size_t>(r.ptr - buf)};
      break;
    }
    case value_kind::bytes: {
      std::string_view tail = " bytes>";
      buf[0] = '<';
      const auto r = std::to_chars(buf + 1, buf + 20, v.as_bytes().size());
      std::copy(tail.begin(), tail.end(), r.ptr);
      text = {buf, static_cast<std::size_t>(r.ptr - buf) + tail.size()};
      break;
    }
    case value_kind::array:
      text = nested ? "[…]" : "[]";
      break;
    case value_kind::kvlist:
      text = nested ? "{…}" : "{}";
      break;
  }
  const auto r = detail::append_xml(out, text, budget);
  return r.cut ? 0 : budget - r.code_points;
}

/// Appends an attribute value for a tooltip: scalars as they are, arrays and kvlists one level
/// deep (nested ones as "[…]" and "{…}"), all within `budget` code points.
void append_value(std::string& out, const any_value& v, std::size_t budget) {
  if (budget == 0) return;  // nothing fits (and the brackets below must not wrap the budget)
  if (v.kind() == value_kind::array) {
    out.push_back('[');
    --budget;
    bool first = true;
    for (const any_value& e : v.as_array()) {
      if (budget < 2) {
        out += "…";
        return;
      }
      if (!first) {
        out += ", ";
        budget -= 2;
      }
      first = false;
      budget = append_scalar(out, e, budget, true);
    }
    out.push_back(']');
  } else if (v.kind() == value_kind::kvlist) {
    out.push_back('{');
    --budget;
    bool first = true;
    for (const key_value& e : v.as_kvlist()) {
      if (budget < 4) {
        out += "…";
        return;
      }
      if (!first) {
        out += ", ";
        budget -= 2;
      }
      first = false;
      const auto k = detail::append_xml(out, e.key, budget - 2);
      budget -= 2 + k.code_points;
      out += ": ";
      budget = append_scalar(out, e.value, budget, true);
    }
    out.push_back('}');
  } else {
    append_scalar(out, v, budget, false);
  }
}

/// The palette class of each resource of a trace, and the legend (services in sorted order).
struct colours {
  std::vector<std::pair<std::string_view, std::size_t>> legend;  // service, palette slot
  std::unordered_map<const resource*, std::size_t> of_resource;
  // The resources met most recently, searched before the map: a trace has few.
  std::array<std::pair<const resource*, std::size_t>, 8> recent{};
  std::size_t next_recent = 0;

  explicit colours(const trace& t) {
    const resource* last = nullptr;
    for (span_ref r : t.spans()) {
      const resource* res = r.span().resource;
      if (res == last) continue;
      last = res;
      bool known = false;
      for (const auto& e : recent) known = known || e.first == res;
      if (known) continue;
      recent[next_recent] = {res, 0};
      next_recent = (next_recent + 1) % recent.size();
      if (of_resource.emplace(res, 0).second)
        legend.emplace_back(r.span().service_name("unknown_service"), 0);
    }
    recent = {};
    std::sort(legend.begin(), legend.end());
    legend.erase(std::unique(legend.begin(), legend.end()), legend.end());
    std::array<bool, palette.size()> taken{};
    for (auto& [name, slot] : legend) {
      slot = slot_of(name);
      if (legend.size() <= palette.size()) {
        while (taken[slot]) slot = (slot + 1) % palette.size();
        taken[slot] = true;
      }
    }
    for (auto& [res, slot] : of_resource) {
      const std::string_view name = res ? res->service_name("unknown_service") : "unknown_service";
      const auto it = std::lower_bound(legend.begin(), legend.end(),
                                       std::pair<std::string_view, std::size_t>{name, 0});
      slot = it != legend.end() && it->first == name ? it->second : slot_of(name);
    }
  }

  std::size_t operator()(const resource* res) {
    for (const auto& [r, slot] : recent)
      if (r == res && r != nullptr) return slot;
    const std::size_t slot = of_resource.at(res);
    recent[next_recent] = {res, slot};
    next_recent = (next_recent + 1) % recent.size();
    return slot;
  }
};

/// Everything about the picture's geometry.
struct layout {
  std::int64_t width = 0;       // picture width, px
  std::int64_t row = 0;         // row height, px
  std::int64_t label = 0;       // label column width, px
  std::int64_t bar_x = 0;       // left edge of the time area, px
  std::int64_t bar_w = 0;       // width of the time area, px
  std::int64_t legend_top = 0;  // first legend line's top, px
  std::int64_t axis_y = 0;      // axis line, px
  std::int64_t rows_top = 0;    // first row's top, px
  std::int64_t height = 0;      // picture height, px
  std::uint64_t from = 0;       // window start, ns after the trace start
  std::uint64_t to = 0;         // window end, ns after the trace start
  double px_per_ns = 0;         // scale
};

constexpr std::int64_t margin = 10;
constexpr std::int64_t duration_room = 96;  // room right of the time area for durations

void draw(std::string& out, const trace& t, const svg_waterfall_options& o,
          svg_waterfall::state_type& s) {
  const folds::trace_summary sum = folds::summarize(t);
  colours colour(t);

  // Geometry.
  layout g;
  g.width = std::max<std::int64_t>(o.width, 400);
  g.row = std::max<std::int64_t>(o.row_height, 8);
  g.label = o.label_width != 0 ? std::clamp<std::int64_t>(o.label_width, 80, g.width - 240)
            : o.lanes          ? 64
                               : g.width * 3 / 10;
  g.bar_x = margin + g.label + 8;
  g.bar_w = g.width - g.bar_x - duration_room;
  const std::uint64_t total = sum.duration_ns();
  g.from = std::min(o.window_start_ns, total);
  g.to = o.window_end_ns == 0 ? total : std::min(o.window_end_ns, total);
  if (g.to < g.from) g.to = g.from;
  const std::uint64_t range = std::max<std::uint64_t>(g.to - g.from, 1);
  g.px_per_ns = static_cast<double>(g.bar_w) / static_cast<double>(range);

  // Which spans (or lanes) are drawn: inside the window, and within max_rows.
  const std::uint64_t base = sum.start_unix_nano;
  const auto offsets = [&](const span& sp) {
    const std::uint64_t a = sp.start_time_unix_nano - base;
    const std::uint64_t b = std::max(sp.start_time_unix_nano, sp.end_time_unix_nano) - base;
    return std::pair{a, b};
  };
  const auto in_window = [&](const span& sp) {
    const auto [a, b] = offsets(sp);
    return a <= g.to && b >= g.from && (a < g.to || a == b || g.from == g.to);
  };
  if (o.lanes) folds::lanes(t, s.layout, s.lane_work);
  const folds::critical_path_result path =
      o.critical_path ? folds::critical_path(t) : folds::critical_path_result{};
  s.visible.clear();
  std::uint64_t outside = 0;
  std::uint64_t rows = 0;
  std::uint64_t hidden_spans = 0;
  std::uint64_t hidden_errors = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!in_window(t[i].span())) {
      ++outside;
      continue;
    }
    if (o.lanes) {
      const std::uint64_t lane = s.layout.lane[i];
      if (o.max_rows != 0 && lane >= o.max_rows) {
        ++hidden_spans;
        hidden_errors += t[i].span().status.code == status_code::error ? 1 : 0;
        continue;
      }
      rows = std::max(rows, lane + 1);
    } else {
      if (o.max_rows != 0 && rows >= o.max_rows) {
        ++hidden_spans;
        hidden_errors += t[i].span().status.code == status_code::error ? 1 : 0;
        continue;
      }
      ++rows;
    }
    s.visible.push_back(static_cast<std::uint32_t>(i));
  }
  const std::uint64_t hidden_lanes =
      o.lanes && o.max_rows != 0 && s.layout.count > o.max_rows ? s.layout.count - o.max_rows : 0;

  // The facts about the trace, for the header.
  std::vector<std::pair<std::string, bool>> meta;  // text, in red
  {
    std::string item = "trace ";
    append_id(item, sum.trace_id);
    meta.emplace_back(std::move(item), false);
    item.clear();
    detail::append_uint(item, sum.spans);
    item += sum.spans == 1 ? " span" : " spans";
    meta.emplace_back(std::move(item), false);
    meta.emplace_back(to_red_text_fn::format_duration(total), false);
    item.clear();
    detail::append_uint(item, sum.services.size());
    item += sum.services.size() == 1 ? " service" : " services";
    meta.emplace_back(std::move(item), false);
    if (sum.errors != 0) {
      item.clear();
      detail::append_uint(item, sum.errors);
      item += sum.errors == 1 ? " error" : " errors";
      meta.emplace_back(std::move(item), true);
    }
    if (sum.orphans != 0) {
      item.clear();
      detail::append_uint(item, sum.orphans);
      item +=
          sum.orphans == 1 ? " orphan root (parent missing)" : " orphan roots (parents missing)";
      meta.emplace_back(std::move(item), false);
    }
    if (g.from != 0 || g.to != total) {
      item = "window ";
      append_duration(item, g.from);
      item += "–";
      append_duration(item, g.to);
      meta.emplace_back(std::move(item), false);
    }
    if (o.lanes) {
      item.clear();
      detail::append_uint(item, s.layout.count);
      item += s.layout.count == 1 ? " lane" : " lanes";
      meta.emplace_back(std::move(item), false);
    }
  }
  // The facts flow into as many lines as the width needs (all our own ASCII text but the
  // separators, so its length is easy to estimate): `meta_line[k]` is item k's line.
  std::vector<std::int64_t> meta_line(meta.size(), 0);
  {
    std::int64_t used = 0;
    for (std::size_t k = 0; k < meta.size(); ++k) {
      const std::int64_t len = static_cast<std::int64_t>(meta[k].first.size()) * 70 + 210;
      meta_line[k] = k == 0 ? 0 : meta_line[k - 1];
      if (k != 0 && used + len > (g.width - 2 * margin) * 10) {
        ++meta_line[k];
        used = 0;
      }
      used += len;
    }
  }
  const std::int64_t meta_lines = meta_line.empty() ? 1 : meta_line.back() + 1;

  // Legend lines: items flow left to right and wrap.
  std::vector<std::pair<std::int64_t, std::int64_t>> legend_at;  // x, line
  {
    std::int64_t x = margin;
    std::int64_t line = 0;
    for (const auto& [name, slot] : colour.legend) {
      const std::int64_t cps = std::min<std::int64_t>(static_cast<std::int64_t>(name.size()), 40);
      const std::int64_t w = 16 + cps * 7 + 18;
      if (x + w > g.width - margin - (o.critical_path ? 120 : 0) && x > margin) {
        x = margin;
        ++line;
      }
      legend_at.emplace_back(x, line);
      x += w;
    }
  }
  const std::int64_t legend_lines = legend_at.empty() ? 0 : legend_at.back().second + 1;
  g.legend_top = 34 + 16 * meta_lines;
  g.axis_y = g.legend_top + legend_lines * 18 + 24;
  g.rows_top = g.axis_y + 4;
  const std::int64_t notes = (outside != 0 ? 1 : 0) + (hidden_spans != 0 ? 1 : 0);
  g.height = g.rows_top + static_cast<std::int64_t>(rows) * g.row + notes * 18 + margin + 4;

  // About 600 bytes per row with six attributes in its tooltip; growing a large picture
  // by doubling would copy it several times over.
  out.reserve(out.size() + 8192 + s.visible.size() * (400 + 40 * o.title_attributes));

  // Document, style, header.
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"";
  attr(out, "width", g.width * 10);
  attr(out, "height", g.height * 10);
  out += " viewBox=\"0 0 ";
  detail::append_uint(out, static_cast<std::uint64_t>(g.width));
  out.push_back(' ');
  detail::append_uint(out, static_cast<std::uint64_t>(g.height));
  out += "\">\n<title>Trace ";
  append_id(out, sum.trace_id);
  out += ": ";
  detail::append_xml(out, sum.root_service, 80);
  out += ": ";
  detail::append_xml(out, sum.root_name, 160);
  out +=
      "</title>\n<style>\n"
      "text{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;font-size:11px;fill:#222}\n"
      ".h{font-size:15px;font-weight:bold}.m{font-size:12px;fill:#444}"
      ".t{font-size:10px;fill:#666}.b{font-weight:bold}.d{font-size:10px;fill:#555}"
      ".n{font-style:italic;fill:#555}.de,.le{fill:#c00;font-weight:bold}.w{fill:#111}\n"
      "rect.e{stroke:#d00;stroke-width:2}rect.o{stroke:#222;stroke-dasharray:4 2}"
      ".g{stroke:#dde1e6;stroke-width:1}.a{stroke:#888;stroke-width:1}.cp{fill:#111}\n";
  for (std::size_t k = 0; k < palette.size(); ++k) {
    out += ".c";
    detail::append_uint(out, k);
    out += "{fill:";
    out += palette[k];
    out.push_back('}');
  }
  out += "\n</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";

  // Header: what the trace is.
  const std::int64_t head_chars = (g.width - 2 * margin) * 10 / 86;
  out += "<text class=\"h\" x=\"10\" y=\"22\">";
  auto r = detail::append_xml(out, sum.root_service, static_cast<std::size_t>(head_chars / 3));
  out += ": ";
  detail::append_xml(out, sum.root_name,
                     static_cast<std::size_t>(std::max<std::int64_t>(
                         head_chars - static_cast<std::int64_t>(r.code_points) - 2, 8)));
  out += "</text>\n";
  // The facts, on the lines chosen above.
  out += "<text class=\"m\" x=\"10\" y=\"40\">";
  for (std::size_t k = 0; k < meta.size(); ++k) {
    if (k != 0 && meta_line[k] != meta_line[k - 1]) {
      out += "</text>\n<text class=\"m\" x=\"10\"";
      attr(out, "y", (40 + 16 * meta_line[k]) * 10);
      out.push_back('>');
    } else if (k != 0) {
      out += " · ";
    }
    if (meta[k].second) out += "<tspan class=\"de\">";
    out += meta[k].first;
    if (meta[k].second) out += "</tspan>";
  }
  out += "</text>\n";

  // Legend.
  for (std::size_t k = 0; k < colour.legend.size(); ++k) {
    const auto [x, line] = legend_at[k];
    const std::int64_t y = g.legend_top + line * 18;
    out += "<rect class=\"c";
    detail::append_uint(out, colour.legend[k].second);
    out.push_back('"');
    attr(out, "x", x * 10);
    attr(out, "y", y * 10);
    out += " width=\"11\" height=\"11\"/><text";
    attr(out, "x", (x + 16) * 10);
    attr(out, "y", (y + 10) * 10);
    out.push_back('>');
    detail::append_xml(out, colour.legend[k].first, 40);
    out += "</text>\n";
  }

  if (o.critical_path) {
    // The key for the critical path, right-aligned on the first legend line.
    const std::int64_t x = g.width - margin - 110;
    out += "<rect class=\"cp\"";
    attr(out, "x", x * 10);
    attr(out, "y", (g.legend_top + 4) * 10);
    out += " width=\"16\" height=\"3\"/><text";
    attr(out, "x", (x + 20) * 10);
    attr(out, "y", (g.legend_top + 10) * 10);
    out += ">critical path</text>\n";
  }

  // Axis: round ticks over the window, grid lines through the rows.
  const std::int64_t rows_bottom = g.rows_top + static_cast<std::int64_t>(rows) * g.row;
  const std::uint64_t step =
      detail::tick_step(range, static_cast<std::uint64_t>(std::max<std::int64_t>(g.bar_w / 90, 2)));
  std::string grid;
  out += "<g class=\"t\">";
  for (std::uint64_t v = (g.from + step - 1) / step * step; v <= g.to; v += step) {
    const std::int64_t x =
        tenths(static_cast<double>(g.bar_x) + static_cast<double>(v - g.from) * g.px_per_ns);
    out += "<text";
    attr(out, "x", x);
    attr(out, "y", (g.axis_y - 5) * 10);
    out += v == g.from ? ">" : " text-anchor=\"middle\">";
    detail::append_tick_label(out, v, step);
    out += "</text>";
    grid += 'M';
    detail::append_tenths(grid, x);
    grid.push_back(' ');
    detail::append_uint(grid, static_cast<std::uint64_t>(g.axis_y));
    grid += 'V';
    detail::append_uint(grid, static_cast<std::uint64_t>(std::max(rows_bottom, g.axis_y)));
    if (v + step < v) break;  // overflow guard
  }
  out += "</g>\n";

  // Row stripes, grid, axis line.
  if (rows != 0) {
    out += "<defs><pattern id=\"stripes\" patternUnits=\"userSpaceOnUse\" x=\"0\"";
    attr(out, "y", g.rows_top * 10);
    attr(out, "width", 100);
    attr(out, "height", 2 * g.row * 10);
    out += "><rect";
    attr(out, "y", g.row * 10);
    attr(out, "width", 100);
    attr(out, "height", g.row * 10);
    out += " fill=\"#f3f5f8\"/></pattern></defs>\n<rect x=\"0\"";
    attr(out, "y", g.rows_top * 10);
    attr(out, "width", g.width * 10);
    attr(out, "height", (rows_bottom - g.rows_top) * 10);
    out += " fill=\"url(#stripes)\"/>\n";
  }
  if (!grid.empty()) {
    out += "<path class=\"g\" d=\"";
    out += grid;
    out += "\"/>\n";
  }
  out += "<path class=\"a\" d=\"M";
  detail::append_uint(out, static_cast<std::uint64_t>(g.bar_x));
  out.push_back(' ');
  detail::append_uint(out, static_cast<std::uint64_t>(g.axis_y));
  out += 'H';
  detail::append_uint(out, static_cast<std::uint64_t>(g.bar_x + g.bar_w));
  out += "\"/>\n";

  // Lane labels.
  if (o.lanes) {
    for (std::uint64_t k = 0; k < rows; ++k) {
      out += "<text class=\"d\" x=\"10\"";
      attr(out, "y",
           tenths(static_cast<double>(g.rows_top) +
                  (static_cast<double>(k) + 0.72) * static_cast<double>(g.row)));
      out += ">lane ";
      detail::append_uint(out, k + 1);
      out += "</text>\n";
    }
  }

  // The spans.
  const folds::self_time_fn self{};
  const std::int64_t text_y = tenths(static_cast<double>(g.row) * 0.72);
  const std::int64_t bar_h = std::max<std::int64_t>(g.row * 10 - 40, 40);
  const std::int64_t indent_step = 100;  // 10 px per level
  const std::int64_t indent_cap = g.label * 10 / 2;
  std::uint64_t row = 0;
  // Pre-order is not the order the spans' strings were stored in, so the text of a large
  // trace is read from all over its storage: ask for it a few spans ahead (the attribute
  // arrays further ahead, as the strings' addresses are in them).
  const auto prefetch = [&](std::size_t k) {
    if (k + 16 < s.visible.size()) {
      const span& far = t[s.visible[k + 16]].span();
      // Offsets only within the array: arithmetic on an empty span's null data() is undefined.
      const std::size_t m = far.attributes.size();
      for (std::size_t a = 0; a < std::min<std::size_t>(m, 6); a += 2)
        __builtin_prefetch(far.attributes.data() + a);
      __builtin_prefetch(far.name.data());
    }
    if (k + 8 < s.visible.size()) {
      const span& near = t[s.visible[k + 8]].span();
      for (const key_value& kv :
           near.attributes.first(std::min<std::size_t>(near.attributes.size(), 8))) {
        __builtin_prefetch(kv.key.data());
        if (kv.value.kind() == value_kind::string) __builtin_prefetch(kv.value.as_string().data());
      }
    }
  };
  for (std::size_t k = 0; k < s.visible.size(); ++k) {
    prefetch(k);
    const std::uint32_t pos = s.visible[k];
    const span_ref r = t[pos];
    const span& sp = r.span();
    const auto [a, b] = offsets(sp);
    const std::uint64_t ca = std::clamp(a, g.from, g.to);
    const std::uint64_t cb = std::clamp(b, g.from, g.to);
    const std::uint64_t this_row = o.lanes ? s.layout.lane[pos] : row++;
    const std::int64_t top = (g.rows_top + static_cast<std::int64_t>(this_row) * g.row) * 10;
    const std::int64_t x0 =
        tenths(static_cast<double>(g.bar_x) + static_cast<double>(ca - g.from) * g.px_per_ns);
    std::int64_t w = tenths(static_cast<double>(cb - ca) * g.px_per_ns);
    if (w < 10) w = 10;
    const bool error = sp.status.code == status_code::error;
    const bool orphan = r.is_orphan();
    const std::uint64_t duration = b - a;
    const std::string_view service = sp.service_name("unknown_service");

    out += "<g><title>";
    detail::append_xml(out, sp.name, o.title_value_length);
    out += "\nservice: ";
    detail::append_xml(out, service, o.title_value_length);
    out += "\nkind: ";
    out += to_string(sp.kind);
    out += " · status: ";
    out += to_string(sp.status.code);
    if (!sp.status.message.empty()) {
      out += ": ";
      detail::append_xml(out, sp.status.message, o.title_value_length);
    }
    out += "\nduration: ";
    append_duration(out, duration);
    out += " · self time: ";
    append_duration(out, self(r));
    out += " · start: +";
    append_duration(out, a);
    out += "\nspan ";
    append_id(out, sp.span_id);
    if (!sp.parent_span_id.empty()) {
      out += " · parent ";
      append_id(out, sp.parent_span_id);
      if (orphan) out += " (not in this trace)";
    }
    const bool on_path = o.critical_path && path.on_path[pos];
    if (on_path) {
      out += "\non the critical path: ";
      append_duration(out, path.path_ns[pos]);
      out += " of its own";
    }
    if (!sp.events.empty() || !sp.links.empty()) {
      out += "\nevents: ";
      detail::append_uint(out, sp.events.size());
      out += " · links: ";
      detail::append_uint(out, sp.links.size());
    }
    std::size_t shown = 0;
    for (const key_value& kv : sp.attributes) {
      if (shown == o.title_attributes) break;
      ++shown;
      out.push_back('\n');
      detail::append_xml(out, kv.key, o.title_value_length);
      out += " = ";
      append_value(out, kv.value, o.title_value_length);
    }
    if (shown < sp.attributes.size()) {
      out += "\n+";
      detail::append_uint(out, sp.attributes.size() - shown);
      out += " more attributes";
    }
    out += "</title><rect class=\"c";
    detail::append_uint(out, colour(sp.resource));
    if (error) out += " e";
    if (orphan) out += " o";
    out.push_back('"');
    attr(out, "x", x0);
    attr(out, "y", top + 20);
    attr(out, "width", w);
    attr(out, "height", bar_h);
    out += "/>";
    if (on_path) {
      out += "<rect class=\"cp\"";
      attr(out, "x", x0);
      attr(out, "y", top + bar_h + 20);
      attr(out, "width", w);
      out += " height=\"2\"/>";
    }

    if (o.lanes) {
      // The name inside the bar, when at least three characters fit.
      const std::int64_t fit = (w - 60) / char_tenths;
      if (fit >= 3) {
        out += "<text class=\"w\"";
        attr(out, "x", x0 + 30);
        attr(out, "y", top + text_y);
        out.push_back('>');
        detail::append_xml(out, sp.name, static_cast<std::size_t>(fit));
        out += "</text>";
      }
    } else {
      // Label: indented by depth; past the cap the depth is written instead.
      const std::int64_t want = static_cast<std::int64_t>(r.depth()) * indent_step;
      const std::int64_t indent = std::min(want, indent_cap);
      std::int64_t room = (g.label * 10 - indent) / char_tenths;
      out += error ? "<text class=\"le\"" : "<text";
      attr(out, "x", margin * 10 + indent);
      attr(out, "y", top + text_y);
      out.push_back('>');
      if (want > indent_cap) {
        const std::size_t before = out.size();
        out += "⋯";
        detail::append_uint(out, r.depth());
        out += ' ';
        room -= static_cast<std::int64_t>(out.size() - before) - 2;
      }
      if (orphan) {
        out += "(orphan) ";
        room -= 9;
      }
      out += "<tspan class=\"b\">";
      const auto sv = detail::append_xml(
          out, service, static_cast<std::size_t>(std::max<std::int64_t>(room * 2 / 5, 4)));
      out += "</tspan> ";
      room -= static_cast<std::int64_t>(sv.code_points) + 1;
      detail::append_xml(out, sp.name, static_cast<std::size_t>(std::max<std::int64_t>(room, 4)));
      out += "</text>";
      // Duration after the bar, or before it when the bar reaches the right edge.
      const bool after = x0 + w + 40 + 600 <= g.width * 10;
      out += error ? "<text class=\"d de\"" : "<text class=\"d\"";
      attr(out, "x", after ? x0 + w + 40 : x0 - 40);
      attr(out, "y", top + text_y);
      out += after ? ">" : " text-anchor=\"end\">";
      append_duration(out, duration);
      if (error) out += " error";
      out += "</text>";
    }
    out += "</g>\n";
  }

  // Notes for what is not drawn.
  std::int64_t note_y = rows_bottom + 16;
  if (hidden_spans != 0) {
    out += "<text class=\"n\" x=\"10\"";
    attr(out, "y", note_y * 10);
    out += ">… ";
    detail::append_uint(out, hidden_spans);
    out += hidden_spans == 1 ? " more span" : " more spans";
    if (o.lanes) {
      out += " in ";
      detail::append_uint(out, hidden_lanes);
      out += hidden_lanes == 1 ? " more lane" : " more lanes";
    }
    out += " not drawn (row limit ";
    detail::append_uint(out, o.max_rows);
    out.push_back(')');
    if (hidden_errors != 0) {
      out += ", among them <tspan class=\"de\">";
      detail::append_uint(out, hidden_errors);
      out += hidden_errors == 1 ? " error</tspan>" : " errors</tspan>";
    }
    out += "</text>\n";
    note_y += 18;
  }
  if (outside != 0) {
    out += "<text class=\"n\" x=\"10\"";
    attr(out, "y", note_y * 10);
    out += ">";
    detail::append_uint(out, outside);
    out += outside == 1 ? " span outside the time window not drawn"
                        : " spans outside the time window not drawn";
    out += "</text>\n";
  }
  out += "</svg>\n";
  s.result.rows_drawn += rows;
}

}  // namespace

svg_waterfall::state_type svg_waterfall::init() const { return {}; }

svg_waterfall::state_type svg_waterfall::step(state_type s, const trace& t) const {
  if (out) {
    s.buf.clear();
    draw(s.buf, t, options, s);
    s.result.bytes += s.buf.size();
    out(t, s.buf);
  } else {
    svg_picture p;
    p.trace_id = t.id();
    draw(p.svg, t, options, s);
    s.result.bytes += p.svg.size();
    s.result.pictures.push_back(std::move(p));
  }
  ++s.result.traces;
  s.result.spans += t.size();
  return s;
}

svg_waterfall::state_type svg_waterfall::merge(state_type a, state_type b) const {
  a.result.pictures.insert(a.result.pictures.end(),
                           std::make_move_iterator(b.result.pictures.begin()),
                           std::make_move_iterator(b.result.pictures.end()));
  a.result.traces += b.result.traces;
  a.result.spans += b.result.spans;
  a.result.rows_drawn += b.result.rows_drawn;
  a.result.bytes += b.result.bytes;
  return a;
}

svg_waterfall_result svg_waterfall::done(state_type s) const { return std::move(s.result); }

std::string to_svg_waterfall(const trace& t, const svg_waterfall_options& options) {
  svg_waterfall w{options, {}};
  return w.done(w.step(w.init(), t)).pictures.at(0).svg;
}

}  // namespace tracefold::emit
