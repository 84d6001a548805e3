#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_json.hpp>
#include <tracefold/fold/map_result.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/red_stats.hpp>
#include <utility>
#include <vector>

#include "support/make_traces.hpp"

namespace tf = tracefold;
namespace emit = tracefold::emit;
namespace folds = tracefold::folds;

namespace {

/// A parsed JSON value (numbers: non-negative integers only, which is all the writer emits).
struct json {
  enum class type { null, boolean, number, string, array, object };
  type t = type::null;
  bool b = false;
  std::uint64_t n = 0;
  std::string s;
  std::vector<json> items;
  std::vector<std::string> keys;  ///< an object's member names, in order
  std::vector<json> values;       ///< an object's member values, aligned with `keys`

  /// The member `key` of an object (its first), or nullptr.
  [[nodiscard]] const json* find(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) return &values[i];
    return nullptr;
  }
  /// The member `key`, which must exist.
  [[nodiscard]] const json& operator[](std::string_view key) const {
    const json* v = find(key);
    REQUIRE_MESSAGE(v != nullptr, "no member " << key);
    return *v;
  }
};

/// A strict RFC 8259 reader: no trailing commas, no leading zeros, strings valid UTF-8
/// without raw control characters, escapes (surrogate pairs too) decoded. `nullopt` when the
/// text is not one JSON value with optional whitespace around it.
class json_reader {
 public:
  explicit json_reader(std::string_view s) : s_(s) {}

  std::optional<json> document() {
    json v;
    if (!value(v, 0)) return std::nullopt;
    space();
    if (i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  bool eat(char c) {
    space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool value(json& v, int depth) {
    if (depth > 64) return false;
    space();
    if (i_ == s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') {
      ++i_;
      v.t = json::type::object;
      if (eat('}')) return true;
      do {
        space();
        std::string k;
        if (!string(k) || !eat(':')) return false;
        json m;
        if (!value(m, depth + 1)) return false;
        v.keys.push_back(std::move(k));
        v.values.push_back(std::move(m));
      } while (eat(','));
      return eat('}');
    }
    if (c == '[') {
      ++i_;
      v.t = json::type::array;
      if (eat(']')) return true;
      do {
        json m;
        if (!value(m, depth + 1)) return false;
        v.items.push_back(std::move(m));
      } while (eat(','));
      return eat(']');
    }
    if (c == '"') {
      v.t = json::type::string;
      return string(v.s);
    }
    if (c >= '0' && c <= '9') {
      v.t = json::type::number;
      if (c == '0' && i_ + 1 < s_.size() && s_[i_ + 1] >= '0' && s_[i_ + 1] <= '9') return false;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
        const auto d = static_cast<std::uint64_t>(s_[i_++] - '0');
        if (v.n > (UINT64_MAX - d) / 10) return false;  // the writer stays within uint64
        v.n = v.n * 10 + d;
      }
      return i_ == s_.size() || (s_[i_] != '.' && s_[i_] != 'e' && s_[i_] != 'E');
    }
    if (word("true") || word("false")) {
      v.t = json::type::boolean;
      v.b = s_[i_ - 1] == 'e' && s_[i_ - 2] == 'u';
      return true;
    }
    return word("null");
  }
  static void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool hex4(std::uint32_t& cp) {
    if (s_.size() - i_ < 4) return false;
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') {
        cp |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        cp |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        cp |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }
  /// One valid UTF-8 sequence (RFC 3629) at i_, appended to `out`.
  bool utf8(std::string& out) {
    const auto b0 = static_cast<unsigned char>(s_[i_]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07u;
    } else {
      return false;
    }
    if (s_.size() - i_ < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s_[i_ + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    const std::uint32_t least = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.append(s_.data() + i_, len);
    i_ += len;
    return true;
  }
  bool string(std::string& out) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        if (!utf8(out)) return false;
        continue;
      }
      ++i_;
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        continue;
      }
      if (i_ == s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t lo = 0;
            if (!word("\\u") || !hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          put_utf8(out, cp);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

std::optional<json> parse(std::string_view s) { return json_reader(s).document(); }

/// A group of `count` spans of `ns` each (self time `ns / 2`).
folds::red_group group(std::string service, std::string name, std::uint64_t count, std::uint64_t ns,
                       std::vector<std::optional<std::string>> attributes = {}) {
  folds::red_group g;
  g.key = {std::move(service), std::move(name), tf::span_kind::producer, tf::status_code::error,
           std::move(attributes)};
  g.count = count;
  g.errors = count;
  for (std::uint64_t i = 0; i < count; ++i) {
    g.duration.record(ns);
    g.self_time.record(ns / 2);
  }
  return g;
}

/// The seven numbers of a histogram object, in the documented order, checked for keys.
std::vector<std::uint64_t> stats(const json& h) {
  std::vector<std::uint64_t> out;
  REQUIRE(h.t == json::type::object);
  REQUIRE(h.keys.size() == 7);
  const char* keys[] = {"min", "max", "sum", "p50", "p90", "p95", "p99"};
  for (std::size_t k = 0; k < 7; ++k) {
    CHECK(h.keys[k] == keys[k]);
    CHECK(h.values[k].t == json::type::number);
    out.push_back(h.values[k].n);
  }
  return out;
}

}  // namespace

TEST_CASE("red_json: the test reader rejects what is not JSON") {
  CHECK(parse("{\"a\":[1,2,{\"b\":null}],\"c\":\"\\u00e9\\ud83d\\ude00\"}"));
  CHECK(parse("{\"c\":\"\\u00e9\\ud83d\\ude00\"}")->find("c")->s == "\xC3\xA9\xF0\x9F\x98\x80");
  CHECK_FALSE(parse("{\"a\":1,}"));
  CHECK_FALSE(parse("[01]"));
  CHECK_FALSE(parse("\"tab\there\""));
  CHECK_FALSE(parse("\"bad \xFF\""));
  CHECK_FALSE(parse("\"\\ud800\""));
  CHECK_FALSE(parse("{\"a\":1} x"));
  CHECK_FALSE(parse("{\"a\" 1}"));
}

TEST_CASE("red_json: a small case, exactly (golden)") {
  const auto ts = tft::build({
      {.trace = 1, .id = 1, .start = 0, .end = 2'000'000, .name = "GET /cart", .service = "web"},
      {.trace = 1,
       .id = 2,
       .parent = 1,
       .start = 100'000,
       .end = 600'000,
       .name = "SELECT",
       .service = "db"},
      {.trace = 2,
       .id = 3,
       .start = 0,
       .end = 1'400'000,
       .name = "SELECT",
       .service = "db",
       .status = tf::status_code::error},
  });
  const folds::red_table t = tf::run(folds::red_stats{}, ts.traces());
  const std::string want =
      "{\"spans\":3,\"traces\":2,\"attributes\":[],\"groups\":[\n"
      "{\"service\":\"web\",\"name\":\"GET /cart\",\"kind\":\"unspecified\",\"status\":\"unset\","
      "\"count\":1,\"errors\":0,"
      "\"duration_ns\":{\"min\":2000000,\"max\":2000000,\"sum\":2000000,\"p50\":2000000,"
      "\"p90\":2000000,\"p95\":2000000,\"p99\":2000000},"
      "\"self_time_ns\":{\"min\":1500000,\"max\":1500000,\"sum\":1500000,\"p50\":1500000,"
      "\"p90\":1500000,\"p95\":1500000,\"p99\":1500000}},\n"
      "{\"service\":\"db\",\"name\":\"SELECT\",\"kind\":\"unspecified\",\"status\":\"error\","
      "\"count\":1,\"errors\":1,"
      "\"duration_ns\":{\"min\":1400000,\"max\":1400000,\"sum\":1400000,\"p50\":1400000,"
      "\"p90\":1400000,\"p95\":1400000,\"p99\":1400000},"
      "\"self_time_ns\":{\"min\":1400000,\"max\":1400000,\"sum\":1400000,\"p50\":1400000,"
      "\"p90\":1400000,\"p95\":1400000,\"p99\":1400000}},\n"
      "{\"service\":\"db\",\"name\":\"SELECT\",\"kind\":\"unspecified\",\"status\":\"unset\","
      "\"count\":1,\"errors\":0,"
      "\"duration_ns\":{\"min\":500000,\"max\":500000,\"sum\":500000,\"p50\":500000,"
      "\"p90\":500000,\"p95\":500000,\"p99\":500000},"
      "\"self_time_ns\":{\"min\":500000,\"max\":500000,\"sum\":500000,\"p50\":500000,"
      "\"p90\":500000,\"p95\":500000,\"p99\":500000}}\n"
      "]}\n";
  CHECK(emit::to_red_json(t) == want);
  CHECK(parse(want));

  SUBCASE("the sink gets the same bytes") {
    std::string got;
    emit::to_red_json(t, [&](std::string_view chunk) { got += chunk; });
    CHECK(got == want);
  }
  SUBCASE("as a fold over traces, by map_result") {
    CHECK(tf::run(tf::map_result(emit::to_red_json, folds::red_stats{}), ts.traces()) == want);
  }
}

TEST_CASE("red_json: the schema, read back") {
  folds::red_table t;
  t.spans = 12;
  t.traces = 3;
  t.attribute_names = {"http.route", "tenant"};
  t.groups.push_back(group("web", "GET", 2, 3'000, {std::string("/x"), std::nullopt}));
  folds::red_group spread = group("db", "q", 0, 0, {std::nullopt, std::string("")});
  for (std::uint64_t v : {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000}) {
    spread.duration.record(v);
    spread.self_time.record(0);
    ++spread.count;
  }
  t.groups.push_back(std::move(spread));
  t.sort();
  const std::string text = emit::to_red_json(t);
  const auto doc = parse(text);
  REQUIRE(doc);
  REQUIRE(doc->t == json::type::object);
  CHECK(doc->keys == std::vector<std::string>{"spans", "traces", "attributes", "groups"});
  CHECK((*doc)["spans"].n == 12);
  CHECK((*doc)["traces"].n == 3);
  const json& names = (*doc)["attributes"];
  REQUIRE(names.items.size() == 2);
  CHECK(names.items[0].s == "http.route");
  CHECK(names.items[1].s == "tenant");
  const json& groups = (*doc)["groups"];
  REQUIRE(groups.t == json::type::array);
  REQUIRE(groups.items.size() == 2);

  const json& web = groups.items[0];  // 6,000 ns in all, before db's 5,500
  CHECK(web["service"].s == "web");
  CHECK(web["name"].s == "GET");
  CHECK(web["kind"].s == "producer");
  CHECK(web["status"].s == "error");
  CHECK(web["attributes"]["http.route"].s == "/x");
  CHECK(web["attributes"]["tenant"].t == json::type::null);
  CHECK(web["count"].n == 2);
  CHECK(web["errors"].n == 2);
  CHECK(stats(web["duration_ns"]) ==
        std::vector<std::uint64_t>{3000, 3000, 6000, 3000, 3000, 3000, 3000});
  CHECK(stats(web["self_time_ns"]) ==
        std::vector<std::uint64_t>{1500, 1500, 3000, 1500, 1500, 1500, 1500});

  const json& db = groups.items[1];
  CHECK(db["attributes"]["http.route"].t == json::type::null);
  CHECK(db["attributes"]["tenant"].t == json::type::string);  // empty, not absent
  CHECK(db["attributes"]["tenant"].s.empty());
  const auto d = stats(db["duration_ns"]);
  CHECK(d[0] == 100);
  CHECK(d[1] == 1000);
  CHECK(d[2] == 5500);
  // Nearest rank: p50 is the 5th value (500), p90 the 9th (900), p95 and p99 the 10th (max).
  // Quantiles inside the range are estimates within the histogram's relative error.
  const folds::red_group& g = t.groups[1];
  const double bound = g.duration.relative_error_bound();
  CHECK(static_cast<double>(d[3]) == doctest::Approx(500).epsilon(bound + 0.002));
  CHECK(static_cast<double>(d[4]) == doctest::Approx(900).epsilon(bound + 0.002));
  CHECK(d[5] == 1000);
  CHECK(d[6] == 1000);
  CHECK(stats(db["self_time_ns"]) == std::vector<std::uint64_t>{0, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("red_json: no attributes named, no attributes object in groups") {
  folds::red_table t;
  t.groups.push_back(group("s", "n", 1, 10));
  const auto doc = parse(emit::to_red_json(t));
  REQUIRE(doc);
  CHECK((*doc)["attributes"].t == json::type::array);
  CHECK((*doc)["attributes"].items.empty());
  REQUIRE((*doc)["groups"].items.size() == 1);
  CHECK((*doc)["groups"].items[0].find("attributes") == nullptr);
  CHECK(emit::to_red_json(folds::red_table{}) ==
        "{\"spans\":0,\"traces\":0,\"attributes\":[],\"groups\":[]}\n");
}

TEST_CASE("red_json: hostile names are escaped, invalid UTF-8 repaired") {
  folds::red_table t;
  t.attribute_names = {"k\"ey\\"};
  const std::string hostile = "q\"b\\s/\n\r\t\x01\x1b[31m\x7f end";
  t.groups.push_back(group(hostile, "bad\xFF\xC3(\xED\xA0\x80x", 1, 20, {hostile}));
  t.groups.push_back(group("caf\xC3\xA9 \xF0\x9F\x98\x80",
                           "\xE2\x80\xAE"
                           "rtl",
                           1, 10, {std::nullopt}));
  t.sort();
  const std::string text = emit::to_red_json(t);
  for (const char c : text) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
  CHECK(text.find("\"q\\\"b\\\\s/\\u000a\\u000d\\u0009\\u0001\\u001b[31m\x7f end\"") !=
        std::string::npos);
  const auto doc = parse(text);
  REQUIRE(doc);
  CHECK((*doc)["attributes"].items[0].s == "k\"ey\\");
  const json& g0 = (*doc)["groups"].items[0];
  CHECK(g0["service"].s == hostile);  // control characters survive the round trip
  CHECK(g0["attributes"]["k\"ey\\"].s == hostile);
  // Each invalid byte (a stray 0xFF, a truncated sequence, an encoded surrogate) is U+FFFD.
  const std::string name = g0["name"].s;
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(name == "bad" + fffd + fffd + "(" + fffd + fffd + fffd + "x");
  const json& g1 = (*doc)["groups"].items[1];
  CHECK(g1["service"].s == "caf\xC3\xA9 \xF0\x9F\x98\x80");  // valid UTF-8 kept as is
  CHECK(g1["name"].s ==
        "\xE2\x80\xAE"
        "rtl");
}

TEST_CASE("red_json: sums above 2^64 stay integers") {
  folds::red_table t;
  folds::red_group g = group("s", "n", 0, 0);
  for (int i = 0; i < 8; ++i) g.duration.record(std::uint64_t{1} << 62);  // sum 2^65
  g.count = 8;
  t.groups.push_back(std::move(g));
  const std::string text = emit::to_red_json(t);
  CHECK(text.find("\"sum\":36893488147419103232,") != std::string::npos);
}
