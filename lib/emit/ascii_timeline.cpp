#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tracefold/emit/ascii_timeline.hpp>
#include <tracefold/emit/red_text.hpp>
#include <tracefold/folds/detail/latency_value.hpp>
#include <tracefold/folds/lanes.hpp>
#include <tuple>
#include <vector>

#include "../ingest/text_util.hpp"
#include "display_text.hpp"
#include "time_axis.hpp"

namespace tracefold::emit {

namespace {

constexpr std::size_t flush_at = std::size_t{1} << 20;
constexpr std::size_t min_columns = 40;
constexpr std::string_view red = "\x1B[31m";
constexpr std::string_view reset = "\x1B[0m";

using tracefold::detail::uint128;

/// Code points in `s`, which is valid UTF-8 (text the writer made itself).
std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

/// Writes one field of exactly `width` cells into `out`: pieces are appended until the field
/// is full; text that does not fit is cut and ends in an ellipsis; `finish` pads with spaces.
class field {
 public:
  field(std::string& out, std::size_t width, bool unicode)
      : out_(out),
        width_(width),
        ellipsis_(unicode ? "\xE2\x80\xA6" : "..."),
        unicode_(unicode),
        cut_at_(out.size()) {
    const std::size_t e = unicode ? 1 : 3;
    keep_ = width > e ? width - e : width;
    room_ = width > e;
  }

  /// Appends text the writer made itself (valid UTF-8, nothing to neutralise).
  field& own(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && !full_) {
      std::size_t len = 1;
      while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
      put(s.data() + i, len);
      i += len;
    }
    return *this;
  }

  /// Appends text from a trace: invalid UTF-8 becomes U+FFFD, code points unsafe for a
  /// terminal become '?', and without `unicode` so does every non-ASCII code point.
  field& untrusted(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && !full_) {
      const std::size_t len = ingest::detail::utf8_sequence(s, i);
      if (len == 0) {
        if (unicode_) {
          put("\xEF\xBF\xBD", 3);
        } else {
          put("?", 1);
        }
        ++i;
        continue;
      }
      const char32_t cp = detail::decode_utf8(s, i, len);
      if (detail::unsafe_to_show(cp) || (!unicode_ && cp >= 0x80)) {
        put("?", 1);
      } else {
        put(s.data() + i, len);
      }
      i += len;
    }
    return *this;
  }

  /// Pads the field to its width.
  void finish() {
    if (used_ < width_) out_.append(width_ - used_, ' ');
    used_ = width_;
  }

 private:
  /// Appends one code point of `len` bytes, or cuts the field when it is already full.
  void put(const char* p, std::size_t len) {
    if (full_) return;
    if (used_ == keep_) cut_at_ = out_.size();
    if (used_ == width_) {  // one more code point than fits: cut and end in an ellipsis
      out_.resize(cut_at_);
      if (room_) out_ += ellipsis_;
      used_ = room_ ? width_ : keep_;
      full_ = true;
      return;
    }
    out_.append(p, len);
    ++used_;
  }

  std::string& out_;
  std::size_t width_;
  std::string_view ellipsis_;
  bool unicode_;
  std::size_t keep_ = 0;
  bool room_ = false;
  std::size_t cut_at_;
  std::size_t used_ = 0;
  bool full_ = false;
};

/// Appends `s` (the writer's own text) right-aligned in `width` cells, cut if it is longer.
void right(std::string& out, std::string_view s, std::size_t width, bool unicode) {
  const std::size_t n = code_points(s);
  if (n < width) out.append(width - n, ' ');
  field(out, std::min(n, width), unicode).own(s).finish();
}

/// Appends `n` with commas between groups of three digits.
void append_grouped(std::string& out, std::uint64_t n) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, n);
  const auto len = static_cast<std::size_t>(r.ptr - digits);
  for (std::size_t k = 0; k < len; ++k) {
    if (k != 0 && (len - k) % 3 == 0) out.push_back(',');
    out.push_back(digits[k]);
  }
}

/// Appends "1 span" or "2 spans", the count grouped.
void append_counted(std::string& out, std::uint64_t n, std::string_view noun) {
  append_grouped(out, n);
  out.push_back(' ');
  out += noun;
  if (n != 1) out.push_back('s');
}

/// The end of a span for drawing: a span ending before it starts ends at its start.
std::uint64_t end_of(const span& s) noexcept {
  return std::max(s.start_time_unix_nano, s.end_time_unix_nano);
}

/// `v * num / den` rounded down (den > 0), without overflow.
std::uint64_t scale(std::uint64_t v, std::uint64_t num, std::uint64_t den) noexcept {
  return static_cast<std::uint64_t>(static_cast<uint128>(v) * num / den);
}

/// `v * num / den` rounded to nearest (den > 0), without overflow.
std::uint64_t scale_round(std::uint64_t v, std::uint64_t num, std::uint64_t den) noexcept {
  return static_cast<std::uint64_t>((static_cast<uint128>(v) * num * 2 + den) / (uint128{den} * 2));
}

/// `v * num / den` rounded up (den > 0), without overflow.
std::uint64_t scale_up(std::uint64_t v, std::uint64_t num, std::uint64_t den) noexcept {
  return static_cast<std::uint64_t>((static_cast<uint128>(v) * num + den - 1) / den);
}

/// The geometry of one timeline: column widths and the time range.
struct layout {
  bool unicode = false;
  std::size_t columns = 0;
  std::size_t offset_width = 0;    ///< "+12.3ms"
  std::size_t name_width = 0;      ///< indent and "service: name"
  std::size_t bar_width = 0;       ///< cells between '[' and ']'
  std::size_t duration_width = 0;  ///< "12.3ms"
  std::size_t max_indent = 0;      ///< indent cells before the depth is shown as a number
  std::uint64_t start = 0;         ///< the trace's earliest start
  std::uint64_t range = 1;         ///< the time the bar column covers, at least 1 ns

  layout(const ascii_timeline_options& o, std::uint64_t t0, std::uint64_t duration)
      : unicode(o.unicode), columns(std::max(o.columns, min_columns)), start(t0) {
    range = std::max<std::uint64_t>(duration, 1);
    const std::size_t widest =
        std::max<std::size_t>(6, code_points(to_red_text_fn::format_duration(duration, true)));
    offset_width = widest + 1;
    duration_width = widest;
    // marker (2), offset, ' ', name, ' ', '[', bar, ']', ' ', duration
    const std::size_t fixed = 2 + offset_width + 1 + 1 + 1 + 1 + 1 + duration_width;
    const std::size_t rest = columns > fixed + 2 ? columns - fixed : 2;
    name_width =
        std::min<std::size_t>(std::max(rest * 2 / 5, std::min<std::size_t>(10, rest / 2)), 50);
    bar_width = rest - name_width;
    max_indent = 2 * (name_width / 4);
  }

  /// Cells before the bar column ('[' included).
  [[nodiscard]] std::size_t bar_column() const noexcept {
    return 2 + offset_width + 1 + name_width + 1 + 1;
  }
  /// The cell holding instant `t` (clamped to the bar).
  [[nodiscard]] std::size_t cell_of(std::uint64_t t) const noexcept {
    const std::uint64_t c = scale(t - start, bar_width, range);
    return static_cast<std::size_t>(std::min<std::uint64_t>(c, bar_width - 1));
  }
};

/// Renders one trace into `buf`, handing full chunks to `out` when it is not null.
class renderer {
 public:
  renderer(const trace& t, const ascii_timeline_options& o, std::string& buf, const sink* out)
      : t_(t), o_(o), buf_(buf), out_(out) {}

  void run() {
    // One pass for the header and the time range.
    std::uint64_t t0 = 0, t1 = 0, errors = 0, roots = 0, orphans = 0;
    const std::size_t n = t_.size();
    for (std::size_t i = 0; i < n; ++i) {
      const span_ref r = t_[i];
      const span& sp = r.span();
      if (i == 0 || sp.start_time_unix_nano < t0) t0 = sp.start_time_unix_nano;
      if (i == 0 || end_of(sp) > t1) t1 = end_of(sp);
      if (sp.status.code == status_code::error) ++errors;
      if (r.is_root()) {
        ++roots;
        if (r.is_orphan()) ++orphans;
      }
    }
    const layout g(o_, t0, t1 - t0);
    header(g, t1 - t0, errors, roots, orphans);
    axis(g);
    if (o_.lanes) {
      lane_rows(g);
    } else {
      span_rows(g, errors);
    }
  }

 private:
  void end_line() {
    buf_.push_back('\n');
    if (out_ != nullptr && buf_.size() >= flush_at) {
      (*out_)(buf_);
      buf_.clear();
    }
  }

  void header(const layout& g, std::uint64_t duration, std::uint64_t errors, std::uint64_t roots,
              std::uint64_t orphans) {
    std::string stats;
    append_counted(stats, t_.size(), "span");
    stats += "  ";
    stats += to_red_text_fn::format_duration(duration, !g.unicode);
    stats += "  ";
    append_counted(stats, errors, "error");
    if (roots > 1) {
      stats += "  ";
      append_counted(stats, roots, "root");
    }
    if (orphans > 0) {
      stats += "  ";
      append_counted(stats, orphans, "orphan");
    }
    char hex[32];
    t_.id().to_hex(hex);
    std::string id = "trace ";
    id.append(hex, sizeof hex);
    // The root's name gets what the id and the counts leave; a short id leaves it more.
    const std::size_t stats_width = code_points(stats);
    auto room = [&](std::size_t id_width) {
      const std::size_t used = id_width + 2 + 2 + stats_width;
      return g.columns > used ? g.columns - used : 0;
    };
    std::string root;
    if (!t_.empty()) {
      const span& sp = t_[0].span();
      std::size_t root_width = room(id.size());
      if (root_width < 20) {
        id.resize(6 + 8);
        id += g.unicode ? "\xE2\x80\xA6" : "...";
        root_width = std::max<std::size_t>(room(code_points(id)), 8);
      }
      std::string full;
      field(full, std::size_t(-1), g.unicode)
          .untrusted(sp.service_name("unknown_service"))
          .own(": ")
          .untrusted(sp.name);
      const std::size_t w = std::min(code_points(full), root_width);
      field(root, w, g.unicode).own(full).finish();
    }
    field line(buf_, g.columns, g.unicode);
    line.own(id).own("  ");
    if (!root.empty()) line.own(root).own("  ");
    line.own(stats).finish();
    end_line();
  }

  void axis(const layout& g) {
    buf_.append(2, ' ');
    right(buf_, "start", g.offset_width, g.unicode);
    buf_.push_back(' ');
    field(buf_, g.name_width, g.unicode).own(o_.lanes ? "lane" : "span").finish();
    buf_.append(2, ' ');
    // Labels from the first bar cell to the end of the line, each starting at the cell of its
    // instant, one space apart at least; a label that would not fit is left out.
    const std::size_t area = g.columns - g.bar_column();
    std::uint64_t step = detail::tick_step(g.range, std::max<std::size_t>(1, g.bar_width / 10));
    if (step == 0) step = g.range;  // tick_step overflows for ranges within a day of 2^64 ns
    std::size_t cursor = 0;         // cells written in the label area
    std::string label;
    for (std::uint64_t v = 0;; v += step) {
      label.clear();
      detail::append_tick_label(label, v, step, !g.unicode);
      const auto x = static_cast<std::size_t>(scale(v, g.bar_width, g.range));
      const std::size_t w = code_points(label);
      if (x + w > area) break;  // and so would every later one
      if (v == 0 || x > cursor) {
        buf_.append(x - cursor, ' ');
        buf_ += label;
        cursor = x + w;
      }
      if (g.range - v < step) break;
    }
    buf_.append(area - cursor, ' ');
    end_line();
  }

  /// Appends the bar of one span (between '[' and ']').
  void bar(const layout& g, const span& sp) {
    const std::uint64_t k = g.unicode ? 8 : 1;
    const std::uint64_t units = g.bar_width * k;
    const std::size_t first = g.cell_of(sp.start_time_unix_nano);
    const std::uint64_t begin = first * k;
    std::uint64_t end = std::min(scale_round(end_of(sp) - g.start, units, g.range), units);
    end = std::min(std::max(end, begin + k), units);
    for (std::size_t c = 0; c < g.bar_width; ++c) {
      const std::uint64_t lo = c * k;
      const std::uint64_t fill = c < first || end <= lo ? 0 : std::min(end - lo, k);
      if (!g.unicode) {
        buf_.push_back(fill != 0 ? '#' : '.');
      } else if (fill == 0) {
        buf_ += "\xC2\xB7";  // ·
      } else {
        // U+2588 full block; U+258F..U+2589: one to seven eighths.
        const char eighth[3] = {'\xE2', '\x96', static_cast<char>(fill == 8 ? 0x88 : 0x90 - fill)};
        buf_.append(eighth, 3);
      }
    }
  }

  /// Appends "+offset" right-aligned, ' ', the name field, ' ', '['.
  void offset(const layout& g, std::uint64_t t) {
    scratch_.assign(1, '+');
    scratch_ += to_red_text_fn::format_duration(t - g.start, !g.unicode);
    right(buf_, scratch_, g.offset_width, g.unicode);
    buf_.push_back(' ');
  }

  void duration(const layout& g, std::uint64_t ns) {
    buf_ += "] ";
    right(buf_, to_red_text_fn::format_duration(ns, !g.unicode), g.duration_width, g.unicode);
  }

  /// The line saying what was left out.
  void collapsed(const layout& g, std::uint64_t rows, std::string_view noun, std::uint64_t spans,
                 std::uint64_t errors) {
    scratch_.clear();
    scratch_ += g.unicode ? "\xE2\x80\xA6 " : "... ";
    append_counted(scratch_, rows, noun);
    scratch_ += " not shown";
    if (spans != rows || errors != 0) {
      scratch_ += " (";
      if (spans != rows) append_counted(scratch_, spans, "span");
      if (spans != rows && errors != 0) scratch_ += ", ";
      if (errors != 0) append_counted(scratch_, errors, "error");
      scratch_.push_back(')');
    }
    buf_.append(2, ' ');
    field(buf_, g.columns - 2, g.unicode).own(scratch_).finish();
    end_line();
  }

  /// How many rows of `total` are shown.
  [[nodiscard]] std::size_t shown(std::size_t total) const noexcept {
    if (o_.max_rows == 0 || total <= o_.max_rows) return total;
    return o_.max_rows - 1;
  }

  void span_rows(const layout& g, std::uint64_t errors) {
    const std::size_t n = t_.size();
    const std::size_t rows = shown(n);
    std::uint64_t shown_errors = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      const span_ref r = t_[i];
      const span& sp = r.span();
      const bool error = sp.status.code == status_code::error;
      shown_errors += error ? 1 : 0;
      if (error && o_.color) buf_ += red;
      buf_.push_back(error ? '!' : ' ');
      buf_.push_back(r.is_root() && !sp.parent_span_id.empty() ? '^' : ' ');
      offset(g, sp.start_time_unix_nano);
      field name(buf_, g.name_width, g.unicode);
      const std::uint32_t depth = r.depth();
      if (2 * static_cast<std::uint64_t>(depth) <= g.max_indent) {
        name.own(std::string_view("                                                  ")
                     .substr(0, 2 * static_cast<std::size_t>(depth)));
      } else {
        scratch_.assign(1, '(');
        append_grouped(scratch_, depth);
        scratch_ += ") ";
        if (scratch_.size() < g.max_indent) scratch_.insert(0, g.max_indent - scratch_.size(), ' ');
        name.own(scratch_);
      }
      name.untrusted(sp.service_name("unknown_service")).own(": ").untrusted(sp.name).finish();
      buf_ += " [";
      bar(g, sp);
      duration(g, end_of(sp) - sp.start_time_unix_nano);
      if (error && o_.color) buf_ += reset;
      end_line();
    }
    if (rows < n) collapsed(g, n - rows, "more span", n - rows, errors - shown_errors);
  }

  void lane_rows(const layout& g) {
    const folds::lane_layout lanes = folds::lanes(t_);
    const std::size_t n = t_.size();
    // Positions by lane, then start.
    std::vector<std::uint32_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return std::tuple(lanes.lane[a], t_[a]->start_time_unix_nano, a) <
             std::tuple(lanes.lane[b], t_[b]->start_time_unix_nano, b);
    });
    const std::size_t rows = shown(lanes.count);
    std::vector<unsigned char> cells(g.bar_width);  // 0 empty, 1 and 2 alternate, 3 error
    std::size_t k = 0;
    for (std::size_t lane = 0; lane < rows; ++lane) {
      const std::size_t first = k;
      std::fill(cells.begin(), cells.end(), 0);
      std::uint64_t busy = 0;
      bool error = false;
      for (; k < n && lanes.lane[order[k]] == lane; ++k) {
        const span& sp = t_[order[k]].span();
        const bool e = sp.status.code == status_code::error;
        error = error || e;
        busy += end_of(sp) - sp.start_time_unix_nano;
        const std::size_t lo = g.cell_of(sp.start_time_unix_nano);
        std::size_t hi = static_cast<std::size_t>(std::min<std::uint64_t>(
            scale_up(end_of(sp) - g.start, g.bar_width, g.range), g.bar_width));
        hi = std::max(hi, lo + 1);
        const unsigned char mark = e ? 3 : (k - first) % 2 == 0 ? 1 : 2;
        std::fill(cells.begin() + static_cast<std::ptrdiff_t>(lo),
                  cells.begin() + static_cast<std::ptrdiff_t>(hi), mark);
      }
      buf_.push_back(error ? '!' : ' ');
      buf_.push_back(' ');
      offset(g, first < n ? t_[order[first]]->start_time_unix_nano : g.start);
      scratch_ = "lane ";
      append_grouped(scratch_, lane);
      scratch_ += " (";
      append_counted(scratch_, k - first, "span");
      scratch_.push_back(')');
      field(buf_, g.name_width, g.unicode).own(scratch_).finish();
      buf_ += " [";
      bool in_red = false;
      for (const unsigned char c : cells) {
        if (o_.color && (c == 3) != in_red) {
          buf_ += in_red ? reset : red;
          in_red = !in_red;
        }
        static constexpr std::string_view ascii_cells[] = {".", "#", "=", "!"};
        static constexpr std::string_view unicode_cells[] = {"\xC2\xB7", "\xE2\x96\x88",
                                                             "\xE2\x96\x93", "\xE2\x96\x92"};
        buf_ += g.unicode ? unicode_cells[c] : ascii_cells[c];
      }
      if (in_red) buf_ += reset;
      duration(g, busy);
      end_line();
    }
    if (rows < lanes.count) {
      std::uint64_t errors = 0;
      for (std::size_t j = k; j < n; ++j)
        errors += t_[order[j]]->status.code == status_code::error ? 1 : 0;
      collapsed(g, lanes.count - rows, "more lane", n - k, errors);
    }
  }

  const trace& t_;
  const ascii_timeline_options& o_;
  std::string& buf_;
  const sink* out_;
  std::string scratch_;
};

/// `s` as a positive decimal number, or 0.
std::size_t parse_columns(const char* s) noexcept {
  if (s == nullptr || *s == '\0') return 0;
  const std::string_view v(s);
  std::size_t n = 0;
  const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  if (r.ec != std::errc{} || r.ptr != v.data() + v.size()) return 0;
  return n;
}

/// The first of `LC_ALL`, `LC_CTYPE`, `LANG` that is set and not empty.
std::string_view locale_name() noexcept {
  for (const char* var : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return v;
  }
  return {};
}

/// `s` contains "utf-8" or "utf8", ignoring case.
bool names_utf8(std::string_view s) noexcept {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    if (lower(s[i]) != 'u' || lower(s[i + 1]) != 't' || lower(s[i + 2]) != 'f') continue;
    if (s[i + 3] == '8') return true;
    if (s[i + 3] == '-' && i + 5 <= s.size() && s[i + 4] == '8') return true;
  }
  return false;
}

}  // namespace

ascii_timeline_options ascii_timeline_options::from_environment() {
  ascii_timeline_options o;
  const std::size_t c = parse_columns(std::getenv("COLUMNS"));
  o.columns = c == 0 ? 80 : std::clamp<std::size_t>(c, 40, 1000);
  o.unicode = names_utf8(locale_name());
  return o;
}

std::string to_ascii_timeline_fn::operator()(const trace& t,
                                             const ascii_timeline_options& options) const {
  std::string text;
  renderer(t, options, text, nullptr).run();
  return text;
}

void to_ascii_timeline_fn::operator()(const trace& t, const ascii_timeline_options& options,
                                      const sink& out) const {
  std::string buf;
  renderer(t, options, buf, &out).run();
  if (!buf.empty()) out(buf);
}

}  // namespace tracefold::emit
