#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_csv.hpp>
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

using record = std::vector<std::string>;

/// A strict RFC 4180 reader: records end in CRLF (the last one too); a quoted field may hold
/// anything, with `""` for a quote; an unquoted field may not hold a quote, CR or LF.
/// `nullopt` when `s` is not such CSV.
std::optional<std::vector<record>> parse_csv(std::string_view s) {
  std::vector<record> out;
  std::size_t i = 0;
  while (i < s.size()) {
    record r;
    for (;;) {
      std::string field;
      if (i < s.size() && s[i] == '"') {
        ++i;
        for (;;) {
          if (i == s.size()) return std::nullopt;  // unterminated
          if (s[i] == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field.push_back(s[i++]);
        }
      } else {
        while (i < s.size() && s[i] != ',' && s[i] != '\r') {
          if (s[i] == '"' || s[i] == '\n') return std::nullopt;
          field.push_back(s[i++]);
        }
      }
      r.push_back(std::move(field));
      if (i < s.size() && s[i] == ',') {
        ++i;
        continue;
      }
      if (s.substr(i, 2) != "\r\n") return std::nullopt;
      i += 2;
      break;
    }
    out.push_back(std::move(r));
  }
  return out;
}

/// A group of `count` spans of `ns` each (self time `ns / 2`).
folds::red_group group(std::string service, std::string name, std::uint64_t count, std::uint64_t ns,
                       std::vector<std::optional<std::string>> attributes = {}) {
  folds::red_group g;
  g.key = {std::move(service), std::move(name), tf::span_kind::client, tf::status_code::ok,
           std::move(attributes)};
  g.count = count;
  for (std::uint64_t i = 0; i < count; ++i) {
    g.duration.record(ns);
    g.self_time.record(ns / 2);
  }
  return g;
}

const char* const header_tail =
    "count,errors,duration_min_ns,duration_max_ns,duration_sum_ns,duration_p50_ns,"
    "duration_p90_ns,duration_p95_ns,duration_p99_ns,self_time_min_ns,self_time_max_ns,"
    "self_time_sum_ns,self_time_p50_ns,self_time_p90_ns,self_time_p95_ns,self_time_p99_ns";

}  // namespace

TEST_CASE("red_csv: header and records of a small case (golden)") {
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
  const std::string want = std::string("service,name,kind,status,") + header_tail +
                           "\r\n"
                           "web,GET /cart,unspecified,unset,1,0,2000000,2000000,2000000,2000000,"
                           "2000000,2000000,2000000,1500000,1500000,1500000,1500000,1500000,"
                           "1500000,1500000\r\n"
                           "db,SELECT,unspecified,error,1,1,1400000,1400000,1400000,1400000,"
                           "1400000,1400000,1400000,1400000,1400000,1400000,1400000,1400000,"
                           "1400000,1400000\r\n"
                           "db,SELECT,unspecified,unset,1,0,500000,500000,500000,500000,500000,"
                           "500000,500000,500000,500000,500000,500000,500000,500000,500000\r\n";
  CHECK(emit::to_red_csv(t) == want);

  SUBCASE("LF line ends") {
    std::string lf = want;
    for (std::size_t p; (p = lf.find("\r\n")) != std::string::npos;) lf.erase(p, 1);
    CHECK(emit::to_red_csv(t, {.crlf = false}) == lf);
  }
  SUBCASE("the sink gets the same bytes") {
    std::string got;
    emit::to_red_csv(t, {}, [&](std::string_view chunk) { got += chunk; });
    CHECK(got == want);
  }
  SUBCASE("as a fold over traces, by map_result") {
    CHECK(tf::run(tf::map_result(emit::to_red_csv, folds::red_stats{}), ts.traces()) == want);
  }
}

TEST_CASE("red_csv: one column per grouping attribute, absent empty, empty quoted") {
  folds::red_table t;
  t.attribute_names = {"http.route", "tenant"};
  t.groups.push_back(group("s", "a", 1, 30, {std::string("/x"), std::nullopt}));
  t.groups.push_back(group("s", "b", 1, 20, {std::nullopt, std::string()}));
  t.sort();
  const std::string csv = emit::to_red_csv(t, {.crlf = false});
  CHECK(csv.rfind(std::string("service,name,kind,status,http.route,tenant,") + header_tail + "\n",
                  0) == 0);
  CHECK(csv.find("\ns,a,client,ok,/x,,1,0,30,") != std::string::npos);
  CHECK(csv.find("\ns,b,client,ok,,\"\",1,0,20,") != std::string::npos);
  const auto rows = parse_csv(emit::to_red_csv(t));
  REQUIRE(rows);
  REQUIRE(rows->size() == 3);
  for (const record& r : *rows) CHECK(r.size() == 6 + 16);
}

TEST_CASE("red_csv: fields with commas, quotes and line breaks are quoted per RFC 4180") {
  const std::vector<std::string> names = {
      "plain", "a,b",    "say \"hi\"", "two\nlines", "cr\rhere", "crlf\r\nx",
      " lead", "trail ", "tab\tx",     "\"",         ",",        "comma, \"quote\"\n",
      "-1",    "=1+1",   "caf\xC3\xA9"};
  folds::red_table t;
  t.attribute_names = {"attr,with \"comma\""};
  std::uint64_t ns = 1000;
  for (const std::string& n : names) t.groups.push_back(group(n, n, 1, ns++, {n}));
  t.sort();
  const std::string csv = emit::to_red_csv(t);
  const auto rows = parse_csv(csv);
  REQUIRE(rows);
  REQUIRE(rows->size() == names.size() + 1);
  CHECK((*rows)[0][4] == "attr,with \"comma\"");
  for (std::size_t i = 1; i < rows->size(); ++i) {
    const record& r = (*rows)[i];
    REQUIRE(r.size() == 5 + 16);
    CHECK(r[0] == r[1]);
    CHECK(r[0] == r[4]);
    CHECK(r[0] == t.groups[i - 1].key.name);  // every name read back unchanged
  }
  CHECK(csv.find("\r\nplain,plain,") != std::string::npos);  // unquoted when it needs none
  CHECK(csv.find("\r\n\"a,b\",\"a,b\",") != std::string::npos);
  CHECK(csv.find("\r\n\"say \"\"hi\"\"\",") != std::string::npos);
  CHECK(csv.find("\r\n\"two\nlines\",") != std::string::npos);
  CHECK(csv.find("\r\n\" lead\",") != std::string::npos);
  CHECK(csv.find("\r\n-1,-1,") != std::string::npos);  // not altered by default
  CHECK(csv.find("\r\n=1+1,=1+1,") != std::string::npos);
}

TEST_CASE("red_csv: spreadsheet_safe defuses formulas, only when asked") {
  const std::vector<std::string> risky = {
      "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx"};
  folds::red_table t;
  t.attribute_names = {"=cmd"};
  std::uint64_t ns = 100;
  for (const std::string& n : risky) t.groups.push_back(group(n, "op", 1, ns++, {n}));
  t.groups.push_back(group("safe", "op", 1, 1, {std::string("a=b")}));
  t.sort();
  const auto plain = parse_csv(emit::to_red_csv(t));
  const std::string safe_csv = emit::to_red_csv(t, {.spreadsheet_safe = true});
  const auto safe = parse_csv(safe_csv);
  REQUIRE(plain);
  REQUIRE(safe);
  REQUIRE(plain->size() == risky.size() + 2);
  REQUIRE(safe->size() == risky.size() + 2);
  CHECK((*plain)[0][4] == "=cmd");
  CHECK((*safe)[0][4] == "'=cmd");
  CHECK(safe_csv.rfind("service,name,kind,status,\"'=cmd\",count,", 0) == 0);
  for (std::size_t i = 1; i <= risky.size(); ++i) {
    const std::string& original = t.groups[i - 1].key.service;
    CHECK((*plain)[i][0] == original);
    CHECK((*safe)[i][0] == "'" + original);
    CHECK((*safe)[i][4] == "'" + original);
    CHECK((*safe)[i][1] == "op");
  }
  CHECK(safe->back()[0] == "safe");  // nothing risky, nothing changed
  CHECK(safe->back()[4] == "a=b");
  CHECK(safe_csv.find("\r\n\"'=HYPERLINK(\"\"http://x\"\")\",") != std::string::npos);
  CHECK(safe_csv.find("\r\n\"'+1\",op,") != std::string::npos);
}

TEST_CASE("red_csv: invalid UTF-8 becomes U+FFFD") {
  folds::red_table t;
  t.groups.push_back(group("bad\xFF", "x\xC3", 1, 5));
  const std::string csv = emit::to_red_csv(t, {.crlf = false});
  CHECK(csv.find("\nbad\xEF\xBF\xBD,x\xEF\xBF\xBD,client,ok,") != std::string::npos);
}

TEST_CASE("red_csv: numbers are integers, large sums included") {
  folds::red_table t;
  folds::red_group g = group("s", "huge", 0, 0);
  for (int i = 0; i < 4; ++i) g.duration.record(std::uint64_t{1} << 62);  // sum 2^64
  g.count = 4;
  for (int i = 0; i < 4; ++i) g.self_time.record(std::uint64_t{1'000'000'007});
  t.groups.push_back(std::move(g));
  const auto rows = parse_csv(emit::to_red_csv(t));
  REQUIRE(rows);
  REQUIRE(rows->size() == 2);
  const record& r = (*rows)[1];
  CHECK(r[4] == "4");
  CHECK(r[6] == "4611686018427387904");   // min, exact
  CHECK(r[7] == "4611686018427387904");   // max, exact
  CHECK(r[8] == "18446744073709551616");  // sum 2^64: an integer, no exponent
  CHECK(r[13] == "1000000007");           // self_time min
  CHECK(r[15] == "4000000028");           // self_time sum, exact
  for (std::size_t c = 4; c < r.size(); ++c) {
    CAPTURE(c);
    CHECK(!r[c].empty());
    CHECK(r[c].find_first_not_of("0123456789") == std::string::npos);
  }
}

TEST_CASE("red_csv: an empty table is the header row alone") {
  CHECK(emit::to_red_csv(folds::red_table{}) ==
        std::string("service,name,kind,status,") + header_tail + "\r\n");
}
