#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tracefold/emit/red_text.hpp>
#include <tracefold/emit/svg_waterfall.hpp>
#include <tracefold/folds/self_time.hpp>
#include <tracefold/folds/trace_summary.hpp>
#include <tracefold/model/span_id.hpp>
#include <unordered_map>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "duration_text.hpp"
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
  p = detail::write_tenths(p, t);
  *p++ = '"';
  out.append(buf, static_cast<std::size_t>(p - buf));
}

/// Appends a duration for people ("12.3ms").
void append_duration(std::string& out, std::uint64_t ns) {
  char buf[detail::duration_room];
  out.append(buf, detail::write_duration(buf, ns));
}

/// Appends a 16- or 8-byte id in lowercase hex.
template <class Id>
void append_id(std::string& out, const Id& id) {
  char buf[Id::hex_size];
  id.to_hex(buf);
  out.append(buf, sizeof buf);
}

/// The rows are written through a raw pointer into the output string rather than appended
/// piece by piece: each piece of known size is copied without a capacity check, and room is
/// made in chunks. `room(p, n)` makes sure `n` bytes can be written at `p` (and returns where
/// `p` now is: the string may have moved); `finish(p)` cuts the string at `p`.
///
/// The rule that keeps the writes in bounds: every text of unbounded length (and every turn
/// of a loop over attributes or array elements) asks for its own worst case plus
/// `row_fixed`, the most that all the pieces of bounded size of one row can take together;
/// so do the start of each row and each turn of the attribute loops.
class text_out {
 public:
  /// More than one row writes in pieces of bounded size between two room checks (tags,
  /// coordinates, ids, durations, numbers: under 500 bytes; some are copied from 16- to
  /// 48-byte buffers whole).
  static constexpr std::size_t row_fixed = 2048;
  /// Room is made at least this much at a time; the string is resized (zero-filled) by it.
  static constexpr std::size_t chunk = 32 * 1024;

  explicit text_out(std::string& s) : s_(s), end_(s.data() + s.size()) {}
  text_out(const text_out&) = delete;
  text_out& operator=(const text_out&) = delete;

  /// Where writing starts: the end of the string.
  [[nodiscard]] char* start() const noexcept { return end_; }

  /// `p`, or where it is after the string grew to have room for `n` bytes at it.
  [[nodiscard]] char* room(char* p, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p) >= n) [[likely]]
      return p;
    return grow(p, n);
  }

  /// Cuts the string at `p`: what was written is its end.
  void finish(char* p) { s_.resize(static_cast<std::size_t>(p - s_.data())); }

  /// The end of the room made so far (for assertions).
  [[nodiscard]] const char* limit() const noexcept { return end_; }

 private:
  [[gnu::noinline]] char* grow(char* p, std::size_t n) {
    const auto used = static_cast<std::size_t>(p - s_.data());
    s_.resize(used + std::max(n, chunk));
    end_ = s_.data() + s_.size();
    return s_.data() + used;
  }

  std::string& s_;
  char* end_;
};

/// Copies a literal (its size known at compile time, so no call to memcpy).
template <std::size_t N>
char* put(char* p, const char (&s)[N]) noexcept {
  std::memcpy(p, s, N - 1);
  return p + (N - 1);
}

/// Copies a short text.
char* put(char* p, std::string_view s) noexcept {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

/// Copies a text of at most `N` bytes from a buffer of `N` readable bytes: all `N` are
/// copied (no call to memcpy for a size known only at run time), `size` are kept.
template <std::size_t N>
char* put_padded(char* p, const char (&buf)[N], std::size_t size) noexcept {
  std::memcpy(p, buf, N);
  return p + size;
}

/// A short text in a fixed-size buffer, for `put_padded`.
struct padded_text {
  char text[48]{};
  std::size_t size = 0;
};

/// "\nkind: server · status: unset" for each kind and status code (and "unknown" for values
/// outside the enums), so a row copies one piece for both.
constexpr std::array<padded_text, 7 * 4> kind_status_lines = [] {
  std::array<padded_text, 7 * 4> t{};
  for (int k = 0; k < 7; ++k)
    for (int c = 0; c < 4; ++c) {
      padded_text& e = t[static_cast<std::size_t>(k * 4 + c)];
      const auto add = [&](std::string_view s) {
        for (char ch : s) e.text[e.size++] = ch;
      };
      add("\nkind: ");
      add(to_string(static_cast<span_kind>(k)));  // 6: "unknown"
      add(" · status: ");
      add(to_string(static_cast<status_code>(c)));  // 3: "unknown"
    }
  return t;
}();

/// The line of `kind_status_lines` for a span.
const padded_text& kind_status_line(span_kind k, status_code c) noexcept {
  const auto ki = static_cast<std::uint32_t>(k);
  const auto ci = static_cast<std::uint32_t>(c);
  return kind_status_lines[(ki < 6 ? ki : 6) * 4 + (ci < 3 ? ci : 3)];
}

/// Writes an 8-byte id in lowercase hex (16 bytes).
char* put_hex(char* p, const span_id& id) noexcept {
#if defined(__SSE2__)
  const __m128i x = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(id.bytes().data()));
  const __m128i nibble = _mm_set1_epi8(0x0F);
  const __m128i hi = _mm_and_si128(_mm_srli_epi16(x, 4), nibble);
  const __m128i lo = _mm_and_si128(x, nibble);
  const __m128i v = _mm_unpacklo_epi8(hi, lo);  // high nibble first, byte by byte
  const __m128i letters =
      _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p),
                   _mm_add_epi8(_mm_add_epi8(v, _mm_set1_epi8('0')), letters));
  return p + span_id::hex_size;
#else
  return id.to_hex(p);
#endif
}

/// Writes `prefix` (` name="`), a coordinate in tenths of a pixel and the closing quote.
template <std::size_t N>
char* put_attr(char* p, const char (&prefix)[N], std::int64_t t) noexcept {
  p = detail::write_tenths(put(p, prefix), t);
  *p++ = '"';
  return p;
}

/// Writes text from the trace for XML (see `detail::write_xml`), making its room first.
char* put_xml(text_out& w, char* p, std::string_view s, std::size_t max_code_points,
              detail::xml_appended& r) {
  p = w.room(p, detail::xml_room(s.size(), max_code_points) + text_out::row_fixed);
  return detail::write_xml(p, s, max_code_points, r);
}

char* put_xml(text_out& w, char* p, std::string_view s, std::size_t max_code_points) {
  detail::xml_appended r;
  return put_xml(w, p, s, max_code_points, r);
}

/// Writes our own short ASCII text with nothing to escape (a number, "true", "(empty)")
/// within `budget` code points, as `write_xml` would: whole when it fits, else cut.
char* put_ascii(text_out& w, char* p, std::string_view text, std::size_t budget,
                std::size_t& left) {
  if (text.size() <= budget) {
    left = budget - text.size();
    return put(p, text);
  }
  detail::xml_appended r;
  p = put_xml(w, p, text, budget, r);
  left = 0;  // cut
  return p;
}

/// Writes a scalar (or a placeholder for a nested value) of an attribute, within `budget`
/// code points; `left` is what is left of the budget.
char* put_scalar(text_out& w, char* p, const any_value& v, std::size_t budget, bool nested,
                 std::size_t& left) {
  char buf[32];
  std::string_view text;
  switch (v.kind()) {
    case value_kind::empty:
      text = "(empty)";
      break;
    case value_kind::string: {
      detail::xml_appended r;
      p = put_xml(w, p, v.as_string(), budget, r);
      left = r.cut ? 0 : budget - r.code_points;
      return p;
    }
    case value_kind::boolean:
      if (budget >= 5) {  // the usual case, written directly
        p = v.as_bool() ? put(p, "true") : put(p, "false");
        left = budget - (v.as_bool() ? 4 : 5);
        return p;
      }
      text = v.as_bool() ? "true" : "false";
      break;
    case value_kind::int64: {
      if (budget >= 20) {  // any int64 fits: written directly
        const std::int64_t i = v.as_int();
        char* const at = p;
        if (i < 0) *p++ = '-';
        p = detail::write_uint(
            p, i < 0 ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i));
        left = budget - static_cast<std::size_t>(p - at);
        return p;
      }
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
  if (v.kind() == value_kind::array || v.kind() == value_kind::kvlist ||
      v.kind() == value_kind::bytes) {
    // "…" (not ASCII) or "<12 bytes>" (to escape): through the XML writer.
    detail::xml_appended r;
    p = put_xml(w, p, text, budget, r);
    left = r.cut ? 0 : budget - r.code_points;
    return p;
  }
  return put_ascii(w, p, text, budget, left);
}

/// Writes an attribute value for a tooltip: scalars as they are, arrays and kvlists one level
/// deep (nested ones as "[…]" and "{…}"), all within `budget` code points.
char* put_value(text_out& w, char* p, const any_value& v, std::size_t budget) {
  if (budget == 0) return p;  // nothing fits (and the brackets below must not wrap the budget)
  if (v.kind() == value_kind::array) {
    *p++ = '[';
    --budget;
    bool first = true;
    for (const any_value& e : v.as_array()) {
      p = w.room(p, text_out::row_fixed);
      if (budget < 2) return put(p, "…");
      if (!first) {
        p = put(p, ", ");
        budget -= 2;
      }
      first = false;
      p = put_scalar(w, p, e, budget, true, budget);
    }
    *p++ = ']';
  } else if (v.kind() == value_kind::kvlist) {
    *p++ = '{';
    --budget;
    bool first = true;
    for (const key_value& e : v.as_kvlist()) {
      p = w.room(p, text_out::row_fixed);
      if (budget < 4) return put(p, "…");
      if (!first) {
        p = put(p, ", ");
        budget -= 2;
      }
      first = false;
      detail::xml_appended k;
      p = put_xml(w, p, e.key, budget - 2, k);
      budget -= 2 + k.code_points;
      p = put(p, ": ");
      p = put_scalar(w, p, e.value, budget, true, budget);
    }
    *p++ = '}';
  } else {
    std::size_t left = 0;
    p = put_scalar(w, p, v, budget, false, left);
  }
  return p;
}

/// What a row needs of its resource: the palette slot and the service name.
struct paint {
  std::size_t slot = 0;
  std::string_view service;
};

/// The palette class of each resource of a trace, and the legend (services in sorted order).
struct colours {
  std::vector<std::pair<std::string_view, std::size_t>> legend;  // service, palette slot
  std::unordered_map<const resource*, paint> of_resource;
  // The resources met most recently, searched before the map: a trace has few.
  std::array<std::pair<const resource*, paint>, 8> recent{};
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
      recent[next_recent] = {res, {}};
      next_recent = (next_recent + 1) % recent.size();
      if (of_resource.emplace(res, paint{}).second)
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
    for (auto& [res, p] : of_resource) {
      const std::string_view name = res ? res->service_name("unknown_service") : "unknown_service";
      const auto it = std::lower_bound(legend.begin(), legend.end(),
                                       std::pair<std::string_view, std::size_t>{name, 0});
      p.slot = it != legend.end() && it->first == name ? it->second : slot_of(name);
      p.service = name;
    }
  }

  paint operator()(const resource* res) {
    for (const auto& [r, p] : recent)
      if (r == res && r != nullptr) return p;
    const paint p = of_resource.at(res);
    recent[next_recent] = {res, p};
    next_recent = (next_recent + 1) % recent.size();
    return p;
  }
};

/// Asks the kernel to back the unused capacity of a large output string with transparent
/// huge pages (advice only; as `trace_set`'s storage does, see model/detail/huge_pages.hpp).
/// A 57 MB picture written into fresh memory otherwise takes 14,000 page faults, one per 4 KiB
/// page, which cost about as much as drawing it.
void advise_huge_pages(std::string& out) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t page = 4096;
  constexpr std::size_t worth_it = std::size_t{8} << 20;
  if (out.capacity() - out.size() < worth_it) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(out.data() + out.size());
  const auto end = reinterpret_cast<std::uintptr_t>(out.data() + out.capacity());
  const std::uintptr_t a = (begin + page - 1) & ~(page - 1);
  const std::uintptr_t b = end & ~(page - 1);
  ::madvise(reinterpret_cast<void*>(a), b - a, MADV_HUGEPAGE);  // NOLINT: advice only
#else
  (void)out;
#endif
}

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
  advise_huge_pages(out);

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
  const std::size_t value_length = o.title_value_length;
  const std::int64_t right_edge = g.width * 10;
  std::uint64_t row = 0;
  // Pre-order is not the order the spans' strings were stored in, so the text of a large
  // trace is read from all over its storage: ask for it a few spans ahead (the attribute
  // arrays further ahead, as the strings' addresses are in them). Always inlined: g++ 12 at
  // -O2 finds a separate function made only of prefetches free of side effects (ipa-modref)
  // and drops the calls, prefetches and all.
  const auto prefetch = [&](std::size_t k) __attribute__((always_inline)) {
    if (k + 16 < s.visible.size()) {
      const span& far = t[s.visible[k + 16]].span();
      // Every line of the first 8 attributes; offsets only within the array (arithmetic on
      // an empty span's null data() is undefined).
      const std::size_t m = std::min<std::size_t>(far.attributes.size(), 8);
      if (m != 0) {
        const char* first = reinterpret_cast<const char*>(far.attributes.data());
        const char* last = reinterpret_cast<const char*>(far.attributes.data() + m) - 1;
        for (const char* line = first; line < last; line += 64) __builtin_prefetch(line);
        __builtin_prefetch(last);
      }
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
  text_out w(out);
  char* p = w.start();
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
    std::int64_t w0 = tenths(static_cast<double>(cb - ca) * g.px_per_ns);
    if (w0 < 10) w0 = 10;
    const bool error = sp.status.code == status_code::error;
    const bool orphan = r.is_orphan();
    const std::uint64_t duration = b - a;
    const paint ink = colour(sp.resource);
    const std::string_view service = ink.service;
    // The duration is written twice (tooltip and label): format it once.
    char dur[detail::duration_room];
    const auto dur_size = static_cast<std::size_t>(detail::write_duration(dur, duration) - dur);

    p = w.room(p, text_out::row_fixed);
    p = put(p, "<g><title>");
    p = put_xml(w, p, sp.name, value_length);
    p = put(p, "\nservice: ");
    p = put_xml(w, p, service, value_length);
    const padded_text& ks = kind_status_line(sp.kind, sp.status.code);
    p = put_padded(p, ks.text, ks.size);
    if (!sp.status.message.empty()) {
      p = put(p, ": ");
      p = put_xml(w, p, sp.status.message, value_length);
    }
    p = put(p, "\nduration: ");
    p = put_padded(p, dur, dur_size);
    p = put(p, " · self time: ");
    p = detail::write_duration(p, self(r));
    p = put(p, " · start: +");
    p = detail::write_duration(p, a);
    p = put(p, "\nspan ");
    p = put_hex(p, sp.span_id);
    if (!sp.parent_span_id.empty()) {
      p = put(p, " · parent ");
      p = put_hex(p, sp.parent_span_id);
      if (orphan) p = put(p, " (not in this trace)");
    }
    const bool on_path = o.critical_path && path.on_path[pos];
    if (on_path) {
      p = put(p, "\non the critical path: ");
      p = detail::write_duration(p, path.path_ns[pos]);
      p = put(p, " of its own");
    }
    if (!sp.events.empty() || !sp.links.empty()) {
      p = put(p, "\nevents: ");
      p = detail::write_uint(p, sp.events.size());
      p = put(p, " · links: ");
      p = detail::write_uint(p, sp.links.size());
    }
    const std::size_t shown = std::min<std::size_t>(sp.attributes.size(), o.title_attributes);
    for (const key_value& kv : sp.attributes.first(shown)) {
      p = w.room(p, text_out::row_fixed);
      *p++ = '\n';
      p = put_xml(w, p, kv.key, value_length);
      p = put(p, " = ");
      p = put_value(w, p, kv.value, value_length);
    }
    p = w.room(p, text_out::row_fixed);
    if (shown < sp.attributes.size()) {
      p = put(p, "\n+");
      p = detail::write_uint(p, sp.attributes.size() - shown);
      p = put(p, " more attributes");
    }
    p = put(p, "</title><rect class=\"c");
    p = detail::write_uint(p, ink.slot);
    if (error) p = put(p, " e");
    if (orphan) p = put(p, " o");
    *p++ = '"';
    p = put_attr(p, " x=\"", x0);
    p = put_attr(p, " y=\"", top + 20);
    p = put_attr(p, " width=\"", w0);
    p = put_attr(p, " height=\"", bar_h);
    p = put(p, "/>");
    if (on_path) {
      p = put(p, "<rect class=\"cp\"");
      p = put_attr(p, " x=\"", x0);
      p = put_attr(p, " y=\"", top + bar_h + 20);
      p = put_attr(p, " width=\"", w0);
      p = put(p, " height=\"2\"/>");
    }

    if (o.lanes) {
      // The name inside the bar, when at least three characters fit.
      const std::int64_t fit = (w0 - 60) / char_tenths;
      if (fit >= 3) {
        p = put(p, "<text class=\"w\"");
        p = put_attr(p, " x=\"", x0 + 30);
        p = put_attr(p, " y=\"", top + text_y);
        *p++ = '>';
        p = put_xml(w, p, sp.name, static_cast<std::size_t>(fit));
        p = put(p, "</text>");
      }
    } else {
      // Label: indented by depth; past the cap the depth is written instead.
      const std::int64_t want = static_cast<std::int64_t>(r.depth()) * indent_step;
      const std::int64_t indent = std::min(want, indent_cap);
      std::int64_t room = (g.label * 10 - indent) / char_tenths;
      p = error ? put(p, "<text class=\"le\"") : put(p, "<text");
      p = put_attr(p, " x=\"", margin * 10 + indent);
      p = put_attr(p, " y=\"", top + text_y);
      *p++ = '>';
      if (want > indent_cap) {
        const char* before = p;
        p = put(p, "⋯");
        p = detail::write_uint(p, r.depth());
        *p++ = ' ';
        room -= static_cast<std::int64_t>(p - before) - 2;
      }
      if (orphan) {
        p = put(p, "(orphan) ");
        room -= 9;
      }
      p = put(p, "<tspan class=\"b\">");
      detail::xml_appended sv;
      p = put_xml(w, p, service, static_cast<std::size_t>(std::max<std::int64_t>(room * 2 / 5, 4)),
                  sv);
      p = put(p, "</tspan> ");
      room -= static_cast<std::int64_t>(sv.code_points) + 1;
      p = put_xml(w, p, sp.name, static_cast<std::size_t>(std::max<std::int64_t>(room, 4)));
      p = put(p, "</text>");
      // Duration after the bar, or before it when the bar reaches the right edge.
      const bool after = x0 + w0 + 40 + 600 <= right_edge;
      p = error ? put(p, "<text class=\"d de\"") : put(p, "<text class=\"d\"");
      p = put_attr(p, " x=\"", after ? x0 + w0 + 40 : x0 - 40);
      p = put_attr(p, " y=\"", top + text_y);
      p = after ? put(p, ">") : put(p, " text-anchor=\"end\">");
      p = put_padded(p, dur, dur_size);
      if (error) p = put(p, " error");
      p = put(p, "</text>");
    }
    p = put(p, "</g>\n");
    assert(p <= w.limit());
  }
  w.finish(p);

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
  svg_waterfall_result r = w.done(w.step(w.init(), t));
  // Moved out: `pictures.at(0)` is an lvalue, so returning its `svg` would copy the picture.
  return std::move(r.pictures.at(0).svg);
}

}  // namespace tracefold::emit
