#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/ascii_timeline.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/lanes.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <vector>

#include "support/make_traces.hpp"

namespace tf = tracefold;
namespace emit = tracefold::emit;
namespace folds = tracefold::folds;

namespace {

using tft::spec;
constexpr std::uint64_t golden_trace = 0x4bf92f3577b34da6;

/// web GET /cart (2 ms) calling db SELECT (0.5 ms, failed) and then web render (1 ms).
tf::trace_set small_shop() {
  return tft::build({
      {.trace = golden_trace,
       .id = 1,
       .start = 1'000'000,
       .end = 3'000'000,
       .name = "GET /cart",
       .service = "web"},
      {.trace = golden_trace,
       .id = 2,
       .parent = 1,
       .start = 1'100'000,
       .end = 1'600'000,
       .name = "SELECT",
       .service = "db",
       .status = tf::status_code::error},
      {.trace = golden_trace,
       .id = 3,
       .parent = 1,
       .start = 2'000'000,
       .end = 3'000'000,
       .name = "render",
       .service = "web"},
  });
}

/// The lines of `s`, each without its '\n'; `s` must end in '\n'.
std::vector<std::string> lines(std::string_view s) {
  std::vector<std::string> out;
  REQUIRE((s.empty() || s.back() == '\n'));
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t nl = s.find('\n', i);
    out.emplace_back(s.substr(i, nl - i));
    i = nl + 1;
  }
  return out;
}

/// `s` without ANSI SGR sequences (ESC '[' ... 'm').
std::string strip_sgr(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1B' && i + 1 < s.size() && s[i + 1] == '[') {
      const std::size_t m = s.find('m', i);
      REQUIRE(m != std::string_view::npos);
      i = m;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

/// The code points of valid UTF-8 `s`; nullopt when `s` is not valid UTF-8 (RFC 3629).
std::optional<std::u32string> decode(std::string_view s) {
  std::u32string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07u;
    } else {
      return std::nullopt;
    }
    if (s.size() - i < len) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    const char32_t least = len == 1 ? 0 : len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += len;
  }
  return out;
}

/// Display width of a line: its code points, ANSI colour escapes left out.
std::size_t width(std::string_view line) {
  const auto cps = decode(strip_sgr(line));
  REQUIRE(cps.has_value());
  return cps->size();
}

/// The bar of a span line (between the last '[' and the last ']') as code points.
std::u32string bar_of(std::string_view line) {
  const auto cps = decode(strip_sgr(line));
  REQUIRE(cps.has_value());
  const std::size_t open = cps->rfind(U'[');
  const std::size_t close = cps->rfind(U']');
  REQUIRE(open != std::u32string::npos);
  REQUIRE(close > open);
  return cps->substr(open + 1, close - open - 1);
}

/// Is the bar cell `c` empty?
bool empty_cell(char32_t c) { return c == U'.' || c == U'\u00B7'; }

/// Index of the first drawn cell of a bar, or npos.
std::size_t first_drawn(const std::u32string& bar) {
  for (std::size_t i = 0; i < bar.size(); ++i)
    if (!empty_cell(bar[i])) return i;
  return std::u32string::npos;
}

/// Cells drawn in a bar.
std::size_t drawn(const std::u32string& bar) {
  std::size_t n = 0;
  for (const char32_t c : bar) n += empty_cell(c) ? 0 : 1;
  return n;
}

/// Sets an environment variable for the lifetime of the object, then restores it.
class scoped_env {
 public:
  scoped_env(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    set(value);
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;
  ~scoped_env() { set(old_ ? old_->c_str() : nullptr); }
  void set(const char* value) {
    if (value == nullptr) {
      ::unsetenv(name_);
    } else {
      ::setenv(name_, value, 1);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

/// Hostile names: escape sequences, NUL, invalid UTF-8, bidi overrides, very long.
tf::trace_set hostile() {
  using namespace std::string_literals;
  return tft::build({
      {.id = 1,
       .start = 1'000,
       .end = 9'000'000,
       .name = "\x1B[31mred\x1B[0m \x1B]0;title\x07",
       .service = "evil\x1B[2J"},
      {.id = 2,
       .parent = 1,
       .start = 2'000,
       .end = 50'000,
       .name = "nul\0byte"s,
       .service = "\xFF\xFEsvc"},
      {.id = 3,
       .parent = 1,
       .start = 3'000,
       .end = 4'000'000,
       .name = "abc\xE2\x80\xAE"
               "cba \xE2\x81\xA6isolate\xE2\x81\xA9 \r\n\t\x7F\xC2\x9B",
       .service = "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC"},
      {.id = 4,
       .parent = 3,
       .start = 5'000,
       .end = 3'000'000,
       .name = std::string(5000, 'x') + "\xE2\x80\xAE",
       .service = std::string(300, 's'),
       .status = tf::status_code::error},
      {.id = 5,
       .parent = 77,
       .start = 8'000'000,
       .end = 8'500'000,
       .name = "\xC0\xAF overlong \xED\xA0\x80 surrogate",
       .service = "orphan"},
  });
}

}  // namespace

TEST_CASE("ascii_timeline: a small trace, header, axis and bars (golden)") {
  const auto ts = small_shop();
  const tf::trace t = ts.traces()[0];
  SUBCASE("80 columns, ASCII") {
    CHECK(emit::to_ascii_timeline(t) ==
          "trace 00000000...  web: GET /cart  3 spans  2.00ms  1 error                     \n"
          "    start span                      0                 1ms               2ms     \n"
          "     +0ns web: GET /cart           [####################################] 2.00ms\n"
          "!  +100us   db: SELECT             [.##########.........................]  500us\n"
          "  +1.00ms   web: render            [..................##################] 1.00ms\n");
  }
  SUBCASE("100 columns: the full trace id fits") {
    CHECK(emit::to_ascii_timeline(t, {.columns = 100}) ==
          "trace 00000000000000004bf92f3577b34da6  web: GET /cart  3 spans  2.00ms  1 error"
          "                    \n"
          "    start span                              0           500us       1ms         1.5ms  "
          "     2ms     \n"
          "     +0ns web: GET /cart                   "
          "[################################################]"
          " 2.00ms\n"
          "!  +100us   db: SELECT                     [..############......................."
          "...........]  500us\n"
          "  +1.00ms   web: render                    [........................#################"
          "#######] 1.00ms\n");
  }
  SUBCASE("80 columns, Unicode: eighth blocks end a bar") {
    CHECK(emit::to_ascii_timeline(t, {.unicode = true}) ==
          "trace 00000000…  web: GET /cart  3 spans  2.00ms  1 error                       \n"
          "    start span                      0                 1ms               2ms     \n"
          "     +0ns web: GET /cart           [████████████████████████████████████] 2.00ms\n"
          "!  +100µs   db: SELECT             [·█████████▊·························]  500µs\n"
          "  +1.00ms   web: render            [··················██████████████████] 1.00ms\n");
  }
  SUBCASE("lanes: SELECT and render share a lane") {
    CHECK(emit::to_ascii_timeline(t, {.lanes = true}) ==
          "trace 00000000...  web: GET /cart  3 spans  2.00ms  1 error                     \n"
          "    start lane                      0                 1ms               2ms     \n"
          "     +0ns lane 0 (1 span)          [####################################] 2.00ms\n"
          "!  +100us lane 1 (2 spans)         [.!!!!!!!!!!.......==================] 1.50ms\n");
  }
  SUBCASE("colour: the error line is red, the others carry no escape") {
    const auto rows = lines(emit::to_ascii_timeline(t, {.color = true}));
    REQUIRE(rows.size() == 5);
    CHECK(rows[3].starts_with("\x1B[31m!  +100us"));
    CHECK(rows[3].ends_with("500us\x1B[0m"));
    for (std::size_t i : {0, 1, 2, 4}) CHECK(rows[i].find('\x1B') == std::string::npos);
    CHECK(width(rows[3]) == 80);
  }
  SUBCASE("the sink overload writes the same text") {
    std::string streamed;
    int calls = 0;
    emit::to_ascii_timeline(t, {.unicode = true}, [&](std::string_view c) {
      streamed += c;
      ++calls;
    });
    CHECK(calls == 1);
    CHECK(streamed == emit::to_ascii_timeline(t, {.unicode = true}));
  }
}

TEST_CASE("ascii_timeline: every line is exactly `columns` cells wide") {
  std::vector<tf::trace_set> sets;
  sets.push_back(small_shop());
  sets.push_back(hostile());
  for (std::uint64_t seed = 1; seed <= 12; ++seed)
    sets.push_back(tft::random_set(seed, tft::all_shapes[seed % 5]));
  // Zero-length spans only, and a trace of one instant: nothing divides by zero.
  sets.push_back(
      tft::build({{.id = 1, .start = 5, .end = 5}, {.id = 2, .parent = 1, .start = 5, .end = 5}}));
  // A span ending before it starts, and a huge time range.
  sets.push_back(tft::build({{.id = 1, .start = 0, .end = UINT64_MAX},
                             {.id = 2, .parent = 1, .start = 100, .end = 50},
                             {.id = 3, .parent = 1, .start = UINT64_MAX - 1, .end = 7}}));
  std::size_t checked = 0;
  for (const auto& ts : sets) {
    for (const tf::trace t : ts.traces()) {
      for (std::size_t columns : {40, 80, 132}) {
        for (bool unicode : {false, true}) {
          for (bool lanes : {false, true}) {
            for (std::size_t max_rows : {0, 3}) {
              const emit::ascii_timeline_options o{.columns = columns,
                                                   .unicode = unicode,
                                                   .lanes = lanes,
                                                   .max_rows = max_rows,
                                                   .color = true};
              const auto rows = lines(emit::to_ascii_timeline(t, o));
              const std::size_t body = lanes ? folds::lanes(t).count : t.size();
              CHECK(rows.size() == 2 + (max_rows == 0 ? body : std::min(body, max_rows)));
              for (const auto& row : rows) {
                CHECK_MESSAGE(width(row) == columns, row);
                ++checked;
              }
            }
          }
        }
      }
    }
  }
  CHECK(checked > 1000);
}

TEST_CASE("ascii_timeline: fewer than 40 columns are taken as 40") {
  const auto ts = small_shop();
  for (const auto& row : lines(emit::to_ascii_timeline(ts.traces()[0], {.columns = 10})))
    CHECK(width(row) == 40);
  CHECK(emit::to_ascii_timeline(ts.traces()[0], {.columns = 0}) ==
        emit::to_ascii_timeline(ts.traces()[0], {.columns = 40}));
}

TEST_CASE("ascii_timeline: bars follow the tree") {
  for (bool unicode : {false, true}) {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      const auto ts = tft::random_set(seed, tft::all_shapes[seed % 4]);
      for (const tf::trace t : ts.traces()) {
        const auto rows = lines(emit::to_ascii_timeline(t, {.columns = 100, .unicode = unicode}));
        REQUIRE(rows.size() == t.size() + 2);
        std::vector<std::u32string> bars;
        for (std::size_t i = 0; i < t.size(); ++i) bars.push_back(bar_of(rows[i + 2]));
        std::uint64_t t0 = UINT64_MAX, t1 = 0;
        for (const tf::span_ref r : t.spans()) {
          t0 = std::min(t0, r->start_time_unix_nano);
          t1 = std::max({t1, r->start_time_unix_nano, r->end_time_unix_nano});
        }
        for (std::size_t i = 0; i < t.size(); ++i) {
          // Every span shows at least one cell, and a bar is one run of cells.
          const std::size_t first = first_drawn(bars[i]);
          REQUIRE(first != std::u32string::npos);
          const std::size_t n = drawn(bars[i]);
          CHECK(n >= 1);
          for (std::size_t c = first; c < first + n; ++c) CHECK_FALSE(empty_cell(bars[i][c]));
          // A child starts at or after its parent's start cell.
          if (const auto p = t[i].parent()) CHECK(first >= first_drawn(bars[p->index()]));
          // A span covering the whole trace fills the bar.
          const tf::span& sp = t[i].span();
          if (sp.start_time_unix_nano == t0 && sp.end_time_unix_nano == t1)
            CHECK(n == bars[i].size());
        }
      }
    }
  }
}

TEST_CASE("ascii_timeline: a root covering the trace fills the bar; a tiny span shows one cell") {
  const auto ts = tft::build({{.id = 1, .start = 0, .end = 1'000'000'000},
                              {.id = 2, .parent = 1, .start = 500'000'000, .end = 500'000'001},
                              {.id = 3, .parent = 1, .start = 1'000'000'000, .end = 1'000'000'000},
                              {.id = 4, .parent = 1, .start = 0, .end = 0}});
  for (bool unicode : {false, true}) {
    const auto rows = lines(emit::to_ascii_timeline(ts.traces()[0], {.unicode = unicode}));
    REQUIRE(rows.size() == 6);
    const auto root = bar_of(rows[2]);
    CHECK(drawn(root) == root.size());
    for (const char32_t c : root) CHECK(c == (unicode ? U'\u2588' : U'#'));
    for (std::size_t i = 3; i < 6; ++i) {
      const auto bar = bar_of(rows[i]);
      CHECK(drawn(bar) == 1);
      CHECK(bar[first_drawn(bar)] == (unicode ? U'\u2588' : U'#'));
    }
    // The span at 0 draws in the first cell, the one at the very end in the last.
    CHECK(first_drawn(bar_of(rows[3])) == 0);
    CHECK(first_drawn(bar_of(rows[4])) == root.size() / 2);
    CHECK(first_drawn(bar_of(rows[5])) == root.size() - 1);
  }
}

TEST_CASE("ascii_timeline: ASCII mode writes only printable ASCII") {
  std::vector<tf::trace_set> sets;
  sets.push_back(hostile());
  sets.push_back(tft::random_set(3, tft::shape::random));
  for (const auto& ts : sets) {
    for (const tf::trace t : ts.traces()) {
      for (bool lanes : {false, true}) {
        const std::string out = emit::to_ascii_timeline(t, {.columns = 90, .lanes = lanes});
        for (const char c : out) {
          const auto b = static_cast<unsigned char>(c);
          CHECK_MESSAGE((c == '\n' || (b >= 0x20 && b < 0x7F)), "byte " << int(b));
        }
      }
    }
  }
}

TEST_CASE("ascii_timeline: hostile names do not reach the terminal raw") {
  const auto ts = hostile();
  const tf::trace t = ts.traces()[0];
  for (bool unicode : {false, true}) {
    for (std::size_t columns : {40, 200, 1000}) {
      const std::string out = emit::to_ascii_timeline(t, {.columns = columns, .unicode = unicode});
      CAPTURE(out);
      CHECK(out.find('\x1B') == std::string::npos);  // no ESC, so no CSI or OSC
      CHECK(out.find('\0') == std::string::npos);
      CHECK(out.find('\r') == std::string::npos);
      CHECK(out.find('\t') == std::string::npos);
      CHECK(out.find('\x07') == std::string::npos);
      CHECK(out.find('\x7F') == std::string::npos);
      CHECK(out.find("\xE2\x80\xAE") == std::string::npos);  // RLO
      CHECK(out.find("\xE2\x81\xA6") == std::string::npos);  // LRI
      CHECK(out.find("\xC2\x9B") == std::string::npos);      // C1 CSI
      CHECK(decode(out).has_value());                        // valid UTF-8 throughout
      const auto rows = lines(out);
      REQUIRE(rows.size() == 7);
      for (const auto& row : rows) CHECK(width(row) == columns);
      CHECK(rows[5].starts_with("!"));   // the error span
      CHECK(rows[6].starts_with(" ^"));  // the orphan
      if (columns < 200) continue;       // the names below fit from 200 columns on
      // The neutralised characters are still visible as '?' (or U+FFFD for bad bytes).
      CHECK(rows[2].find("?[31mred?[0m ?]0;title?") != std::string::npos);
      CHECK(rows[3].find(unicode ? "\xEF\xBF\xBD\xEF\xBF\xBDsvc: nul?byte" : "??svc: nul?byte") !=
            std::string::npos);
      CHECK(rows[4].find(unicode ? "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC: abc?cba ?isolate? ?????"
                                 : "caf? ??: abc?cba ?isolate? ?????") != std::string::npos);
      // The very long name is cut with an ellipsis.
      CHECK(rows[5].find(unicode ? "s\xE2\x80\xA6 [" : "s... [") != std::string::npos);
    }
  }
}

TEST_CASE("ascii_timeline: deep trees indent up to a limit, then show the depth") {
  std::vector<spec> specs;
  for (std::uint64_t i = 1; i <= 30; ++i)
    specs.push_back({.id = i, .parent = i - 1, .start = i, .end = 1000 - i, .name = "n"});
  const auto ts = tft::build(std::span<const spec>(specs));
  const auto rows = lines(emit::to_ascii_timeline(ts.traces()[0]));
  REQUIRE(rows.size() == 32);
  // 80 columns: a 24-cell name column indents at most 12 cells (6 levels).
  // The name column starts at cell 10 (marker 2, offset 7, space).
  CHECK(rows[2].substr(10, 18) == "svc: n            ");
  CHECK(rows[3].substr(10, 18) == "  svc: n          ");
  CHECK(rows[8].substr(10, 18) == "            svc: n");
  CHECK(rows[9].substr(10, 18) == "        (7) svc: n");
  CHECK(rows[31].substr(10, 18) == "       (29) svc: n");
}

TEST_CASE("ascii_timeline: max_rows collapses the rest into one line") {
  const auto ts = small_shop();
  const tf::trace t = ts.traces()[0];
  auto rows = lines(emit::to_ascii_timeline(t, {.max_rows = 2}));
  REQUIRE(rows.size() == 4);
  CHECK(rows[2].find("GET /cart") != std::string::npos);
  CHECK(rows[3] == "  ... 2 more spans not shown (1 error)" + std::string(80 - 38, ' '));
  rows = lines(emit::to_ascii_timeline(t, {.unicode = true, .max_rows = 1}));
  REQUIRE(rows.size() == 3);
  CHECK(rows[2].starts_with("  \xE2\x80\xA6 3 more spans not shown (1 error)"));
  // Exactly as many rows as spans: nothing collapses.
  CHECK(lines(emit::to_ascii_timeline(t, {.max_rows = 3})).size() == 5);
  // Lanes collapse the same way, counting the spans left out.
  rows = lines(emit::to_ascii_timeline(t, {.lanes = true, .max_rows = 1}));
  REQUIRE(rows.size() == 3);
  CHECK(rows[2].starts_with("  ... 2 more lanes not shown (3 spans, 1 error)"));
}

TEST_CASE("ascii_timeline: lanes mode draws one line per lane") {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const auto ts = tft::random_set(seed, tft::all_shapes[seed % 4]);
    for (const tf::trace t : ts.traces()) {
      const folds::lane_layout lanes = folds::lanes(t);
      const auto rows = lines(emit::to_ascii_timeline(t, {.lanes = true}));
      REQUIRE(rows.size() == 2 + lanes.count);
      std::size_t spans = 0;
      for (std::size_t k = 0; k < lanes.count; ++k) {
        const std::string label = "lane " + std::to_string(k) + " (";
        const std::size_t at = rows[2 + k].find(label);
        REQUIRE(at != std::string::npos);
        spans += std::stoul(rows[2 + k].substr(at + label.size()));
      }
      CHECK(spans == t.size());
    }
  }
}

TEST_CASE("ascii_timeline: a 100,000-deep chain renders without recursion") {
  constexpr std::uint64_t n = 100'000;
  std::vector<spec> specs;
  specs.reserve(n);
  for (std::uint64_t i = 1; i <= n; ++i)
    specs.push_back({.id = i,
                     .parent = i - 1,
                     .start = i * 10,
                     .end = 3 * n * 10 - i * 10,
                     .status = i % 1000 == 0 ? tf::status_code::error : tf::status_code::unset});
  const auto ts = tft::build(std::span<const spec>(specs));
  const tf::trace t = ts.traces()[0];
  auto rows = lines(emit::to_ascii_timeline(t, {.max_rows = 50}));
  REQUIRE(rows.size() == 52);
  CHECK(rows[0].find("100,000 spans") != std::string::npos);
  CHECK(rows[0].find("100 errors") != std::string::npos);
  CHECK(rows[51].starts_with("  ... 99,951 more spans not shown (100 errors)"));
  for (const auto& row : rows) CHECK(width(row) == 80);
  // All of it: the last line shows the depth as a number.
  std::string all;
  std::size_t chunks = 0;
  emit::to_ascii_timeline(t, {.unicode = true}, [&](std::string_view c) {
    all += c;
    ++chunks;
  });
  CHECK(chunks > 1);  // about 1 MiB at a time
  rows = lines(all);
  REQUIRE(rows.size() == n + 2);
  CHECK(rows.back().find("(99,999) svc: op") != std::string::npos);
  CHECK(width(rows.back()) == 80);
  rows = lines(emit::to_ascii_timeline(t, {.lanes = true, .max_rows = 10}));
  REQUIRE(rows.size() == 12);
  CHECK(rows[11].starts_with("  ... 99,991 more lanes not shown (100 errors)"));
}

TEST_CASE("ascii_timeline_options::from_environment reads COLUMNS and the locale") {
  scoped_env columns("COLUMNS", nullptr);
  scoped_env lc_all("LC_ALL", nullptr);
  scoped_env lc_ctype("LC_CTYPE", nullptr);
  scoped_env lang("LANG", nullptr);

  auto o = emit::ascii_timeline_options::from_environment();
  CHECK(o.columns == 80);
  CHECK_FALSE(o.unicode);
  CHECK_FALSE(o.lanes);
  CHECK_FALSE(o.color);
  CHECK(o.max_rows == 0);

  const std::pair<const char*, std::size_t> cases[] = {{"120", 120},
                                                       {"40", 40},
                                                       {"1000", 1000},
                                                       {"12", 40},
                                                       {"5000", 1000},
                                                       {"", 80},
                                                       {"abc", 80},
                                                       {"-5", 80},
                                                       {"0", 80},
                                                       {"80x", 80},
                                                       {" 90", 80},
                                                       {"1e3", 80},
                                                       {"99999999999999999999999999", 80}};
  for (const auto& c : cases) {  // not a structured binding: clang 14 cannot capture those
    columns.set(c.first);
    CHECK_MESSAGE(emit::ascii_timeline_options::from_environment().columns == c.second,
                  "COLUMNS=" << c.first);
  }
  columns.set(nullptr);

  lang.set("en_US.UTF-8");
  CHECK(emit::ascii_timeline_options::from_environment().unicode);
  lang.set("de_DE.utf8");
  CHECK(emit::ascii_timeline_options::from_environment().unicode);
  lang.set("C");
  CHECK_FALSE(emit::ascii_timeline_options::from_environment().unicode);
  lang.set("en_US.ISO-8859-1");
  CHECK_FALSE(emit::ascii_timeline_options::from_environment().unicode);
  lc_ctype.set("C.UTF-8");
  CHECK(emit::ascii_timeline_options::from_environment().unicode);  // LC_CTYPE before LANG
  lc_all.set("POSIX");
  CHECK_FALSE(emit::ascii_timeline_options::from_environment().unicode);  // LC_ALL first
  lc_all.set("");
  CHECK(emit::ascii_timeline_options::from_environment().unicode);  // empty means unset
  lc_ctype.set("");
  lang.set("en_GB.Utf-8");
  CHECK(emit::ascii_timeline_options::from_environment().unicode);
}

TEST_CASE("ascii_timeline: premap makes it a fold over traces") {
  const auto ts = tft::random_set(21, tft::shape::random);
  const auto all =
      tf::run(tf::premap(emit::to_ascii_timeline, folds::to_vector<std::string>), ts.traces());
  REQUIRE(all.size() == ts.traces().size());
  for (std::size_t k = 0; k < all.size(); ++k)
    CHECK(all[k] == emit::to_ascii_timeline(ts.traces()[k]));
  const auto wide = tf::run(
      tf::premap([](const tf::trace& t) { return emit::to_ascii_timeline(t, {.columns = 120}); },
                 folds::to_vector<std::string>),
      ts.traces());
  REQUIRE(wide.size() == ts.traces().size());
  CHECK(lines(wide[0])[0].size() == 120);
}
