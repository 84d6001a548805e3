#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <tracefold/emit/red_csv.hpp>

#include "../ingest/text_util.hpp"
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

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

/// A sum of integers held in a double (so itself an integer) as a decimal integer: exact
/// below 2^64, the shortest round-tripping digits in fixed notation above.
void append_sum(std::string& out, tracefold::detail::uint128 v) { detail::append_uint128(out, v); }

/// Appends `s`, text from spans, as one CSV field (see `to_red_csv_fn`), defused if
/// `spreadsheet_safe`. The empty string is `""` (an absent value is written
/// as nothing at all, by the caller).
void append_field(std::string& out, std::string_view s, const red_csv_options& o) {
  if (s.empty()) {
    out += "\"\"";
    return;
  }
  bool formula = false;
  if (o.spreadsheet_safe) {
    const char c = s.front();
    formula = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  }
  bool quote = formula || s.front() == ' ' || s.back() == ' ';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ',' || c == '"' || c < 0x20 || c == 0x7F) {
      quote = true;
      break;
    }
  }
  if (quote) out.push_back('"');
  if (formula) out.push_back('\'');
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '"') out.push_back('"');
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const std::size_t len = ingest::detail::utf8_sequence(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.data() + i, len);
      i += len;
    }
  }
  if (quote) out.push_back('"');
}

/// The seven numbers of one histogram, each after a comma; the quantiles from `quantile`
/// (the group's: exact when it kept its values).
template <class Quantile>
void append_histogram(std::string& out, const folds::exponential_histogram& h, Quantile quantile) {
  out.push_back(',');
  append_uint(out, h.min());
  out.push_back(',');
  append_uint(out, h.max());
  out.push_back(',');
  append_sum(out, h.exact_sum());
  for (const double q : {0.5, 0.9, 0.95, 0.99}) {
    out.push_back(',');
    append_uint(out, round_ns(quantile(q).value_or(0.0)));
  }
}

}  // namespace

std::string to_red_csv_fn::operator()(const folds::red_table& table,
                                      const red_csv_options& options) const {
  std::string text;
  (*this)(table, options, [&](std::string_view chunk) { text += chunk; });
  return text;
}

void to_red_csv_fn::operator()(const folds::red_table& table, const red_csv_options& options,
                               const sink& out) const {
  const std::string_view eol = options.crlf ? "\r\n" : "\n";
  std::string buf = "service,name,kind,status";
  for (const std::string& a : table.attribute_names) {
    buf.push_back(',');
    append_field(buf, a, options);
  }
  buf += ",count,errors";
  for (const std::string_view h : {"duration", "self_time"})
    for (const std::string_view col : {"min", "max", "sum", "p50", "p90", "p95", "p99"}) {
      buf.push_back(',');
      buf += h;
      buf.push_back('_');
      buf += col;
      buf += "_ns";
    }
  buf += eol;

  for (const folds::red_group& g : table.groups) {
    append_field(buf, g.key.service, options);
    buf.push_back(',');
    append_field(buf, g.key.name, options);
    buf.push_back(',');
    buf += to_string(g.key.kind);
    buf.push_back(',');
    buf += to_string(g.key.status);
    for (std::size_t a = 0; a < table.attribute_names.size(); ++a) {
      buf.push_back(',');
      if (a >= g.key.attributes.size() || !g.key.attributes[a]) continue;  // absent: empty
      append_field(buf, *g.key.attributes[a], options);
    }
    buf.push_back(',');
    append_uint(buf, g.count);
    buf.push_back(',');
    append_uint(buf, g.errors);
    append_histogram(buf, g.duration, [&](double q) { return g.duration_quantile(q); });
    append_histogram(buf, g.self_time, [&](double q) { return g.self_time_quantile(q); });
    buf += eol;
    if (buf.size() >= flush_at) {
      out(buf);
      buf.clear();
    }
  }
  out(buf);
}

}  // namespace tracefold::emit
