#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/emit/red_partial.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/red_stats.hpp>
#include <tracefold/ingest/read_red_partial.hpp>
#include <utility>
#include <vector>

#include "support/make_traces.hpp"
#include "support/rich_traces.hpp"

namespace tf = tracefold;
namespace emit = tracefold::emit;
namespace folds = tracefold::folds;
namespace ingest = tracefold::ingest;

namespace {

/// A group of `values.size()` spans whose durations and self times are `values`.
folds::red_group make_group(folds::red_key key, const std::vector<std::uint64_t>& values,
                            std::uint64_t errors = 0) {
  folds::red_group g;
  g.key = std::move(key);
  g.count = values.size();
  g.errors = errors;
  for (const std::uint64_t v : values) {
    g.duration.record(v);
    g.self_time.record(v / 2);
  }
  return g;
}

/// The table read back from `table`'s partial state (which must be readable).
folds::red_table through_partial(const folds::red_table& table) {
  const std::string text = emit::to_red_partial(table);
  ingest::red_partial_result r = ingest::read_red_partial(text, "partial.json");
  for (const tf::diagnostic& d : r.diagnostics) INFO(tf::to_string(d));
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.ok());
  return std::move(r).value();
}

/// red_stats over traces [from, to) of `ts`.
folds::red_table run_shard(const folds::red_stats& f, const tf::trace_set& ts, std::size_t from,
                           std::size_t to) {
  auto s = f.init();
  std::size_t i = 0;
  for (tf::trace t : ts.traces()) {
    if (i >= from && i < to) s = f.step(std::move(s), t);
    ++i;
  }
  return f.done(std::move(s));
}

/// Whether `s` is valid UTF-8 (RFC 3629: no overlong forms, surrogates or values past
/// U+10FFFF) with no raw control character other than newline.
bool clean_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\n') return false;
      ++i;
      continue;
    }
    std::size_t n = 0;  // continuation bytes
    std::uint32_t cp = 0;
    std::uint32_t least = 0;  // the smallest code point that needs this many bytes
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
      least = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
      least = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
      least = 0x10000;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = cp << 6 | (d & 0x3F);
    }
    if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

constexpr std::string_view one_span_histogram =
    R"({"max_size":2048,"max_scale":20,"scale":20,"count":"1","zero_count":"0",)"
    R"("rejected_count":"0","sum":"2000","min":"2000","max":"2000","offset":11498458,)"
    R"("bucket_counts":["1"]})";

}  // namespace

TEST_CASE("to_red_partial: an empty table") {
  const folds::red_table t;
  CHECK(emit::to_red_partial(t) ==
        R"({"format":"tracefold.red_partial","version":1,"spans":"0","traces":"0",)"
        R"("attributes":[],"groups":[]})"
        "\n");
  CHECK(through_partial(t) == t);
}

TEST_CASE("to_red_partial: one span, every field as documented") {
  const auto ts = tft::build({{.trace = 1,
                               .id = 1,
                               .parent = 0,
                               .start = 1000,
                               .end = 3000,
                               .name = "GET /cart",
                               .service = "web",
                               .status = tf::status_code::error}});
  const folds::red_table t = tf::run(folds::red_stats{{.attributes = {"http.route"}}}, ts.traces());
  const std::string want =
      R"({"format":"tracefold.red_partial","version":1,"spans":"1","traces":"1",)"
      R"("attributes":["http.route"],"groups":[)"
      "\n"
      R"({"service":"web","name":"GET /cart","kind":0,"status":2,"attributes":[null],)"
      R"("count":"1","errors":"1","duration":)" +
      std::string(one_span_histogram) + R"(,"self_time":)" + std::string(one_span_histogram) +
      "}\n]}\n";
  CHECK(emit::to_red_partial(t) == want);
  CHECK(through_partial(t) == t);
}

TEST_CASE("to_red_partial: counts and the 128-bit sum are exact decimal strings") {
  folds::red_table t;
  folds::red_group g = make_group(
      {"svc", "op", tf::span_kind::server, tf::status_code::ok, {}},
      {std::numeric_limits<std::uint64_t>::max(), std::numeric_limits<std::uint64_t>::max(), 0});
  t.groups.push_back(g);
  t.spans = 3;
  t.traces = 1;
  const std::string text = emit::to_red_partial(t);
  // 2 * (2^64 - 1) = 36893488147419103230, past 2^64 and far past 2^53.
  CHECK(text.find(R"("sum":"36893488147419103230")") != std::string::npos);
  CHECK(text.find(R"("max":"18446744073709551615")") != std::string::npos);
  CHECK(text.find(R"("zero_count":"1")") != std::string::npos);
  CHECK(through_partial(t) == t);
}

TEST_CASE("write_red_partial: the sink receives the same text, in chunks of about 1 MiB") {
  folds::red_table t;
  for (int i = 0; i < 3000; ++i) {
    std::string name(400, 'x');
    name += std::to_string(i);
    t.groups.push_back(make_group({"svc", name, tf::span_kind::client, tf::status_code::unset, {}},
                                  {static_cast<std::uint64_t>(i) + 1, 7}));
    t.spans += 2;
  }
  t.traces = 1;
  t.sort();
  std::vector<std::string> chunks;
  emit::write_red_partial(t, [&](std::string_view c) { chunks.emplace_back(c); });
  REQUIRE(chunks.size() >= 2);
  std::string joined;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (i + 1 < chunks.size()) CHECK(chunks[i].size() >= (std::size_t{1} << 20));
    CHECK(chunks[i].size() < (std::size_t{2} << 20));
    joined += chunks[i];
  }
  CHECK(joined == emit::to_red_partial(t));
  CHECK(through_partial(t) == t);
}

TEST_CASE("hostile strings survive: quotes, backslashes, control characters, unicode, bad UTF-8") {
  const std::string all_controls = [] {
    std::string s;
    for (int c = 0; c < 0x20; ++c) s.push_back(static_cast<char>(c));
    return s + "\x7f";
  }();
  const std::vector<std::string> hostile = {
      "",
      "quote \" and \\ backslash \\\" both",
      all_controls,
      "ünïcødé 日本語 emoji 🚀 \xF4\x8F\xBF\xBF",
      "</script><svg onload=alert(1)>",
      "bad \xff utf8",
      "lone \x80 continuation",
      "cut \xE6\x97",
      "overlong \xC0\x80 nul",
      "surrogate \xED\xA0\x80 half",
      std::string("embedded \0 nul", 14),
      "{\"hex\":\"41\"}",
  };
  folds::red_table t;
  t.attribute_names = {hostile[1], hostile[2], hostile[5]};
  std::uint64_t v = 1;
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    folds::red_key key{hostile[i],
                       hostile[(i + 3) % hostile.size()],
                       static_cast<tf::span_kind>(static_cast<std::int32_t>(i) - 3),
                       static_cast<tf::status_code>(static_cast<std::int32_t>(i % 5)),
                       {hostile[(i + 1) % hostile.size()], std::nullopt, hostile[i]}};
    t.groups.push_back(make_group(key, {v, v * 3, 0}, i % 2));
    t.spans += 3;
    v *= 7;
  }
  t.groups.push_back(make_group({"k",
                                 "extreme kinds",
                                 static_cast<tf::span_kind>(INT32_MIN),
                                 static_cast<tf::status_code>(INT32_MAX),
                                 {"", "", ""}},
                                {5}));
  t.spans += 1;
  t.traces = 4;
  t.sort();
  const std::string text = emit::to_red_partial(t);
  CHECK(clean_utf8(text));
  // Bytes that are not UTF-8 go out as hex; control characters as \u00XX escapes.
  CHECK(text.find(R"({"hex":"62616420ff2075746638"})") != std::string::npos);
  CHECK(text.find(R"("\u0000\u0001\u0002)") != std::string::npos);
  CHECK(text.find(R"(\u001f)"
                  "\x7f\"") != std::string::npos);
  CHECK(text.find(R"("quote \" and \\ backslash \\\" both")") != std::string::npos);
  CHECK(text.find("\"ünïcødé 日本語 emoji 🚀 \xF4\x8F\xBF\xBF\"") != std::string::npos);
  CHECK(text.find(R"("embedded \u0000 nul")") != std::string::npos);
  const folds::red_table back = through_partial(t);
  CHECK(back == t);
  CHECK(emit::to_red_partial(back) == text);
}

TEST_CASE("round trip: red_stats tables of random trace sets read back equal") {
  const std::vector<std::vector<std::string>> groupings = {
      {}, {"service.name"}, {"service.name", "absent.attribute"}};
  for (std::uint64_t seed = 1; seed <= 12; ++seed)
    for (const tft::shape sh : tft::all_shapes)
      for (const auto& attributes : groupings)
        for (const std::uint32_t max_size : {2048u, 8u}) {
          CAPTURE(seed);
          CAPTURE(static_cast<int>(sh));
          CAPTURE(attributes.size());
          CAPTURE(max_size);
          const auto ts = tft::random_set(seed, sh);
          const folds::red_stats f{{.attributes = attributes, .histogram_max_size = max_size}};
          const folds::red_table t = tf::run(f, ts.traces());
          const std::string text = emit::to_red_partial(t);
          const folds::red_table back = through_partial(t);
          CHECK(back == t);
          CHECK(emit::to_red_partial(back) == text);
        }
}

TEST_CASE(
    "round trip: tables of rich traces (hostile names and attribute values) read back equal") {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    CAPTURE(seed);
    tft::rich_generator gen(seed);
    const auto ts = gen.make();
    // Attribute keys the generator uses, so that groups have string, number, bool, array,
    // kvlist and bytes values, and absent ones.
    const folds::red_stats f{
        {.attributes = {"a", "ünïcødé", "quote \" and \\ backslash", "tab\there", ""}}};
    const folds::red_table t = tf::run(f, ts.traces());
    REQUIRE(t.spans == ts.span_count());
    CHECK(through_partial(t) == t);
  }
}

TEST_CASE("shards serialized, read back and merged in any order equal the whole run") {
  const std::vector<std::vector<std::string>> groupings = {{}, {"service.name", "absent"}};
  for (std::uint64_t seed = 1; seed <= 8; ++seed)
    for (const tft::shape sh : tft::all_shapes)
      for (const auto& attributes : groupings) {
        const auto ts = tft::random_set(seed, sh);
        const folds::red_stats f{{.attributes = attributes}};
        const folds::red_table whole = tf::run(f, ts.traces());
        const std::size_t n = ts.trace_count();
        for (std::size_t k = 1; k <= 4; ++k) {
          CAPTURE(seed);
          CAPTURE(static_cast<int>(sh));
          CAPTURE(attributes.size());
          CAPTURE(k);
          // k contiguous shards (some empty when there are fewer traces than shards), each
          // folded on its own, written as a partial and read back, as separate processes would.
          std::vector<folds::red_table> read;
          for (std::size_t s = 0; s < k; ++s) {
            const std::string partial =
                emit::to_red_partial(run_shard(f, ts, n * s / k, n * (s + 1) / k));
            ingest::red_partial_result r = ingest::read_red_partial(partial, "shard");
            REQUIRE(r.ok());
            read.push_back(std::move(r).value());
          }
          std::vector<std::vector<std::size_t>> orders = {{}, {}, {}};
          for (std::size_t s = 0; s < k; ++s) {
            orders[0].push_back(s);            // in order
            orders[1].push_back(k - 1 - s);    // reversed
            orders[2].push_back((s + 1) % k);  // rotated
          }
          for (const auto& order : orders) {
            folds::red_table merged = read[order[0]];
            for (std::size_t j = 1; j < k; ++j) merged.merge(read[order[j]]);
            CHECK(merged == whole);
          }
          // A merge of partials is itself a partial: written and read once more, still whole.
          folds::red_table merged = read[0];
          for (std::size_t j = 1; j < k; ++j) merged.merge(read[j]);
          CHECK(through_partial(merged) == whole);
        }
      }
}
