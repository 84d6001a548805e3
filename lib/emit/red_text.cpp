#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_text.hpp>
#include <utility>
#include <vector>

#include "../ingest/text_util.hpp"
#include "display_text.hpp"
#include "duration_text.hpp"

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

/// One cell of the table: its text and its display width in code points.
struct cell {
  std::string text;
  std::size_t width = 0;
};

/// An ASCII cell.
cell ascii_cell(std::string text) {
  const std::size_t w = text.size();
  return {std::move(text), w};
}

/// `s` made safe for a terminal (see `detail::unsafe_to_show`; invalid UTF-8 becomes U+FFFD) and
/// cut to `max_width` code points with an ellipsis.
cell sanitise(std::string_view s, const red_text_options& o) {
  const std::string_view ellipsis = o.ascii ? "..." : "\xE2\x80\xA6";
  const std::size_t ellipsis_width = o.ascii ? 3 : 1;
  const bool limited = o.max_width != 0;
  const bool room = o.max_width > ellipsis_width;
  const std::size_t keep = room ? o.max_width - ellipsis_width : o.max_width;
  cell c;
  c.text.reserve(s.size());
  std::size_t cut_at = 0;  // bytes of the first `keep` code points
  std::size_t i = 0;
  while (i < s.size()) {
    if (c.width == keep) cut_at = c.text.size();
    if (limited && c.width == o.max_width) {  // one more code point: too long
      c.text.resize(cut_at);
      if (room) c.text += ellipsis;
      c.width = room ? o.max_width : keep;
      return c;
    }
    const std::size_t len = ingest::detail::utf8_sequence(s, i);
    if (len == 0) {
      c.text += "\xEF\xBF\xBD";
      ++i;
    } else if (detail::unsafe_to_show(detail::decode_utf8(s, i, len))) {
      c.text.push_back('?');
      i += len;
    } else {
      c.text.append(s.data() + i, len);
      i += len;
    }
    ++c.width;
  }
  return c;
}

/// `n` with a comma between groups of three digits: "1,234,567".
std::string grouped(std::uint64_t n) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, n);
  const auto len = static_cast<std::size_t>(r.ptr - digits);
  std::string out;
  out.reserve(len + len / 3);
  for (std::size_t k = 0; k < len; ++k) {
    if (k != 0 && (len - k) % 3 == 0) out.push_back(',');
    out.push_back(digits[k]);
  }
  return out;
}

/// "1 span" or "2 spans", the count grouped.
std::string counted(std::uint64_t n, std::string_view noun) {
  std::string out = grouped(n);
  out.push_back(' ');
  out += noun;
  if (n != 1) out.push_back('s');
  return out;
}

/// The share of errors with one decimal; "<0.1%" and ">99.9%" where rounding would claim
/// none or all.
std::string percent(std::uint64_t errors, std::uint64_t count) {
  if (errors == 0) return "0.0%";
  if (errors >= count) return "100.0%";
  const double p = 100.0 * static_cast<double>(errors) / static_cast<double>(count);
  if (p < 0.05) return "<0.1%";
  if (p >= 99.95) return ">99.9%";
  char buf[16];
  const auto r = std::to_chars(buf, buf + sizeof buf, p, std::chars_format::fixed, 1);
  std::string out(buf, r.ptr);
  out.push_back('%');
  return out;
}

}  // namespace

std::string to_red_text_fn::format_duration(std::uint64_t ns, bool ascii) {
  // One implementation for every writer: the SVG waterfall writes the same text in place.
  char buf[detail::duration_room];
  return {buf, detail::write_duration(buf, ns, ascii)};
}

std::string to_red_text_fn::operator()(const folds::red_table& table,
                                       const red_text_options& options) const {
  std::string text;
  (*this)(table, options, [&](std::string_view chunk) { text += chunk; });
  return text;
}

void to_red_text_fn::operator()(const folds::red_table& table, const red_text_options& options,
                                const sink& out) const {
  std::string buf;
  const std::size_t shown = options.max_groups == 0
                                ? table.groups.size()
                                : std::min(options.max_groups, table.groups.size());

  buf += counted(table.spans, "span");
  buf += " in ";
  buf += counted(table.traces, "trace");
  buf += ", ";
  buf += counted(table.groups.size(), "group");
  buf.push_back('\n');

  if (shown != 0) {
    // Columns: the text ones (left-aligned) first, then the numbers (right-aligned).
    std::vector<cell> header{ascii_cell("service"), ascii_cell("name"), ascii_cell("kind"),
                             ascii_cell("status")};
    for (const std::string& a : table.attribute_names) header.push_back(sanitise(a, options));
    const std::size_t text_columns = header.size();
    for (const char* h :
         {"count", "errors", "error %", "p50", "p90", "p99", "max", "total", "self p50"})
      header.push_back(ascii_cell(h));
    const std::size_t columns = header.size();

    std::vector<std::vector<cell>> rows;
    rows.reserve(shown);
    auto duration = [&](double ns) {
      return sanitise(format_duration(round_ns(ns), options.ascii), {.max_width = 0});
    };
    auto quantile = [&](std::optional<double> v) { return duration(v.value_or(0.0)); };
    for (std::size_t r = 0; r < shown; ++r) {
      const folds::red_group& g = table.groups[r];
      std::vector<cell> row;
      row.reserve(columns);
      row.push_back(sanitise(g.key.service, options));
      row.push_back(sanitise(g.key.name, options));
      row.push_back(ascii_cell(std::string(to_string(g.key.kind))));
      row.push_back(ascii_cell(std::string(to_string(g.key.status))));
      for (std::size_t a = 0; a < table.attribute_names.size(); ++a) {
        const bool has = a < g.key.attributes.size() && g.key.attributes[a].has_value();
        row.push_back(has ? sanitise(*g.key.attributes[a], options) : ascii_cell("-"));
      }
      row.push_back(ascii_cell(grouped(g.count)));
      row.push_back(ascii_cell(grouped(g.errors)));
      row.push_back(ascii_cell(percent(g.errors, g.count)));
      row.push_back(quantile(g.duration_quantile(0.5)));
      row.push_back(quantile(g.duration_quantile(0.9)));
      row.push_back(quantile(g.duration_quantile(0.99)));
      row.push_back(duration(static_cast<double>(g.duration.max())));
      row.push_back(duration(g.duration.sum()));
      row.push_back(quantile(g.self_time_quantile(0.5)));
      rows.push_back(std::move(row));
    }

    std::vector<std::size_t> width(columns);
    for (std::size_t c = 0; c < columns; ++c) width[c] = header[c].width;
    for (const auto& row : rows)
      for (std::size_t c = 0; c < columns; ++c) width[c] = std::max(width[c], row[c].width);

    auto line = [&](const std::vector<cell>& row) {
      for (std::size_t c = 0; c < columns; ++c) {
        const std::size_t pad = width[c] - row[c].width;
        if (c != 0) buf += "  ";
        if (c >= text_columns) buf.append(pad, ' ');
        buf += row[c].text;
        if (c < text_columns && c + 1 != columns) buf.append(pad, ' ');
      }
      buf.push_back('\n');
      if (buf.size() >= flush_at) {
        out(buf);
        buf.clear();
      }
    };
    line(header);
    for (const auto& row : rows) line(row);
  }

  if (shown < table.groups.size()) {
    std::uint64_t spans = 0;
    for (std::size_t r = shown; r < table.groups.size(); ++r) spans += table.groups[r].count;
    buf += options.ascii ? "... " : "\xE2\x80\xA6 ";
    buf += counted(table.groups.size() - shown, "more group");
    buf += " (";
    buf += counted(spans, "span");
    buf += ") not shown\n";
  }
  out(buf);
}

}  // namespace tracefold::emit
