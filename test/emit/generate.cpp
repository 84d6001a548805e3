#include <doctest/doctest.h>

#include <set>
#include <string>
#include <tracefold/emit/generate.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>

namespace emit = tracefold::emit;

namespace {
std::string generate(emit::generate_options o) {
  std::string out;
  const auto r = emit::generate_otlp(o, [&](std::string_view c) { out += c; });
  CHECK(r.bytes == out.size());
  return out;
}
}  // namespace

TEST_CASE("the generator is deterministic per seed") {
  emit::generate_options o;
  o.target_bytes = 300'000;
  const std::string a = generate(o);
  CHECK(a == generate(o));
  o.seed = 2;
  CHECK(a != generate(o));
}

TEST_CASE("generated dumps are realistic, valid, and about the requested size") {
  for (auto layout : {emit::otlp_layout::document, emit::otlp_layout::lines}) {
    emit::generate_options o;
    o.target_bytes = 2'000'000;
    o.format.layout = layout;
    const std::string text = generate(o);
    CHECK(text.size() >= o.target_bytes);
    CHECK(text.size() < o.target_bytes + 100'000);
    auto r = tracefold::ingest::read_otlp_json(text);
    REQUIRE(r.ok());
    CHECK(r.diagnostics().empty());  // no orphans, no duplicates: complete, clean traces
    const auto& ts = r.traces;
    const double bytes_per_span =
        static_cast<double>(text.size()) / static_cast<double>(ts.span_count());
    CHECK(bytes_per_span > 600);
    CHECK(bytes_per_span < 950);

    std::set<std::string> services;
    std::set<tracefold::value_kind> kinds;
    std::size_t errors = 0, events = 0, links = 0, spans = 0;
    bool sizes_ok = true;
    for (tracefold::trace t : ts.traces()) {
      sizes_ok = sizes_ok && t.size() >= 15 && t.size() <= 25 && t.root_count() == 1;
      for (tracefold::span_ref s : t) {
        ++spans;
        services.insert(std::string(s->service_name()));
        for (const auto& kv : s->attributes) kinds.insert(kv.value.kind());
        for (const auto& kv : s->resource->attributes) kinds.insert(kv.value.kind());
        errors += s->status.code == tracefold::status_code::error;
        events += s->events.size();
        links += s->links.size();
      }
    }
    CHECK(sizes_ok);
    CHECK(services.size() == 8);
    CHECK(ts.resources().size() >= 8);
    for (auto k : {tracefold::value_kind::string, tracefold::value_kind::int64,
                   tracefold::value_kind::double_, tracefold::value_kind::boolean,
                   tracefold::value_kind::array, tracefold::value_kind::kvlist,
                   tracefold::value_kind::bytes})
      CHECK(kinds.count(k) == 1);
    const double error_rate = static_cast<double>(errors) / static_cast<double>(spans);
    CHECK(error_rate > 0.01);
    CHECK(error_rate < 0.10);
    CHECK(events > 0);
    CHECK(links > 0);
  }
}

TEST_CASE("extreme shapes add deep and wide traces") {
  emit::generate_options o;
  o.target_bytes = 1'500'000;
  o.extreme_shapes = true;
  auto r = tracefold::ingest::read_otlp_json(generate(o));
  REQUIRE(r.ok());
  std::uint32_t deepest = 0;
  std::size_t widest = 0;
  for (tracefold::trace t : r.traces.traces()) {
    for (tracefold::span_ref s : t) deepest = std::max(deepest, s.depth());
    std::size_t kids = 0;
    for (auto c : t[0].children()) kids += c.index() > 0;
    widest = std::max(widest, kids);
  }
  CHECK(deepest >= 299);
  CHECK(widest >= 400);
}
