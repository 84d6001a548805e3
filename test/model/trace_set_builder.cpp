#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <support/make_traces.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <vector>

using tft::sid;
using tft::spec;
using tft::tid;
using tracefold::diagnostic_code;
using tracefold::span_ref;
using tracefold::trace;

namespace {

// Ids of the spans of `t` in pre-order.
std::vector<std::uint64_t> preorder_ids(const trace& t) {
  std::vector<std::uint64_t> out;
  for (span_ref r : t.spans())
    out.push_back(r->span_id.bytes()[7] | (std::uint64_t{r->span_id.bytes()[6]} << 8));
  return out;
}

std::size_t count_code(const tracefold::trace_set& ts, diagnostic_code c) {
  return static_cast<std::size_t>(
      std::ranges::count_if(ts.diagnostics(), [&](const auto& d) { return d.code == c; }));
}

}  // namespace

TEST_CASE("an empty builder builds an empty set") {
  tracefold::trace_set_builder b;
  auto ts = std::move(b).build();
  CHECK(ts.trace_count() == 0);
  CHECK(ts.span_count() == 0);
  CHECK(ts.traces().empty());
  CHECK(ts.diagnostics().empty());
}

TEST_CASE("spans in any order become a pre-order tree, children by start time") {
  // 1 -> {2 (t=20), 3 (t=10)}, 3 -> 4
  auto ts =
      tft::build({{1, 2, 1, 20, 30}, {1, 4, 3, 11, 12}, {1, 1, 0, 0, 100}, {1, 3, 1, 10, 15}});
  REQUIRE(ts.trace_count() == 1);
  const trace t = ts.traces()[0];
  CHECK(t.id() == tid(1));
  CHECK(t.size() == 4);
  CHECK(t.root_count() == 1);
  CHECK(preorder_ids(t) == std::vector<std::uint64_t>{1, 3, 4, 2});
  CHECK(t[0].depth() == 0);
  CHECK(t[1].depth() == 1);
  CHECK(t[2].depth() == 2);
  CHECK(t[3].depth() == 1);
  CHECK(t[0].subtree_size() == 4);
  CHECK(t[1].subtree_size() == 2);
  CHECK(t[2].parent()->index() == 1);
  CHECK_FALSE(t[0].parent().has_value());
  std::vector<std::uint32_t> kids;
  for (span_ref c : t[0].children()) kids.push_back(c.index());
  CHECK(kids == std::vector<std::uint32_t>{1, 3});
  CHECK(t[2].trace() == t);
  CHECK(ts.diagnostics().empty());
}

TEST_CASE("equal start times order children by span id") {
  auto ts = tft::build({{1, 1, 0, 0, 10}, {1, 9, 1, 5, 6}, {1, 7, 1, 5, 6}, {1, 8, 1, 5, 6}});
  CHECK(preorder_ids(ts.traces()[0]) == std::vector<std::uint64_t>{1, 7, 8, 9});
}

TEST_CASE("traces come out in order of first appearance") {
  auto ts = tft::build({{5, 1, 0, 0, 1}, {2, 1, 0, 0, 1}, {5, 2, 1, 0, 1}, {9, 1, 0, 0, 1}});
  REQUIRE(ts.trace_count() == 3);
  CHECK(ts.traces()[0].id() == tid(5));
  CHECK(ts.traces()[1].id() == tid(2));
  CHECK(ts.traces()[2].id() == tid(9));
  CHECK(ts.traces()[0].size() == 2);
  std::size_t n = 0;
  for (span_ref r : ts.spans()) n += r.trace().size() > 0;
  CHECK(n == ts.span_count());
}

TEST_CASE("a missing parent makes a flagged orphan root, reported once per trace") {
  auto ts =
      tft::build({{1, 1, 0, 0, 100}, {1, 2, 77, 10, 20}, {1, 3, 78, 30, 40}, {1, 4, 2, 11, 12}});
  const trace t = ts.traces()[0];
  CHECK(t.root_count() == 3);
  std::vector<std::uint64_t> orphans;
  for (span_ref r : t.roots())
    if (r.is_orphan()) orphans.push_back(r->span_id.bytes()[7]);
  CHECK(orphans == std::vector<std::uint64_t>{2, 3});
  CHECK(count_code(ts, diagnostic_code::orphan_spans) == 1);
  CHECK(ts.span_count() == 4);  // nothing dropped
}

TEST_CASE("a span that is its own parent is made a root with a warning") {
  auto ts = tft::build({{1, 5, 5, 0, 10}, {1, 6, 5, 1, 2}});
  const trace t = ts.traces()[0];
  CHECK(t.root_count() == 1);
  CHECK(t[0].broke_cycle());
  CHECK(t[0].subtree_size() == 2);
  CHECK(count_code(ts, diagnostic_code::parent_cycle) == 1);
}

TEST_CASE("a parent cycle is broken at its smallest span id, whatever the input order") {
  std::vector<spec> specs{{1, 4, 2, 0, 10}, {1, 2, 3, 0, 10}, {1, 3, 4, 0, 10}, {1, 9, 3, 1, 2}};
  std::vector<std::vector<std::uint64_t>> seen;
  std::sort(specs.begin(), specs.end(), [](auto& a, auto& b) { return a.id < b.id; });
  do {
    auto ts = tft::build(std::span<const spec>(specs));
    REQUIRE(ts.span_count() == 4);
    const trace t = ts.traces()[0];
    CHECK(t.root_count() == 1);
    CHECK(t[0]->span_id == sid(2));
    CHECK(t[0].broke_cycle());
    CHECK(count_code(ts, diagnostic_code::parent_cycle) == 1);
    seen.push_back(preorder_ids(t));
  } while (std::next_permutation(specs.begin(), specs.end(),
                                 [](auto& a, auto& b) { return a.id < b.id; }));
  CHECK(std::all_of(seen.begin(), seen.end(), [&](auto& v) { return v == seen[0]; }));
}

TEST_CASE("duplicate span ids are all kept; children attach to the earliest") {
  auto ts =
      tft::build({{1, 1, 0, 0, 100}, {1, 2, 1, 50, 60}, {1, 2, 1, 10, 20}, {1, 3, 2, 55, 56}});
  const trace t = ts.traces()[0];
  REQUIRE(t.size() == 4);
  CHECK(count_code(ts, diagnostic_code::duplicate_span_id) == 1);
  // Pre-order: 1, 2(t=10) with child 3, 2(t=50).
  CHECK(t[1]->start_time_unix_nano == 10);
  CHECK(t[1].has_duplicate_id());
  CHECK(t[2]->span_id == sid(3));
  CHECK(t[2].parent()->index() == 1);
  CHECK(t[3]->start_time_unix_nano == 50);
  CHECK(t[3].has_duplicate_id());
}

TEST_CASE("shared span ids: one warning per id in id order; children attach to the first") {
  // Ids 9 (three spans, two starting at 10) and 3 (two spans, the later one starting first).
  auto ts = tft::build({{1, 5, 0, 0, 100, "root"},
                        {1, 9, 5, 10, 20, "nine-a"},
                        {1, 3, 5, 30, 40, "three-a"},
                        {1, 9, 5, 10, 20, "nine-b"},
                        {1, 3, 5, 25, 40, "three-b"},
                        {1, 9, 5, 12, 20, "nine-c"},
                        {1, 7, 9, 11, 12, "child-of-nine"},
                        {1, 8, 3, 31, 32, "child-of-three"}});
  REQUIRE(ts.trace_count() == 1);
  const trace t = ts.traces()[0];
  REQUIRE(t.size() == 8);
  std::vector<std::string> warned;
  for (const auto& d : ts.diagnostics())
    if (d.code == diagnostic_code::duplicate_span_id) warned.push_back(d.path + ": " + d.message);
  REQUIRE(warned.size() == 2);
  CHECK(warned[0].find("span " + sid(3).to_hex()) != std::string::npos);
  CHECK(warned[0].find(": 2 spans share") != std::string::npos);
  CHECK(warned[1].find("span " + sid(9).to_hex()) != std::string::npos);
  CHECK(warned[1].find(": 3 spans share") != std::string::npos);
  for (span_ref r : t.spans()) {
    CAPTURE(r->name);
    if (r->name == "child-of-nine") CHECK((*r.parent())->name == "nine-a");
    if (r->name == "child-of-three") CHECK((*r.parent())->name == "three-b");
    CHECK(r.has_duplicate_id() == (r->span_id == sid(9) || r->span_id == sid(3)));
  }
}

TEST_CASE("the builder deep-copies everything it is given") {
  tracefold::trace_set_builder b;
  std::string key = "http.route";
  std::string val = "/cart/{id}";
  std::vector<tracefold::any_value> inner{tracefold::any_value::of_string(val),
                                          tracefold::any_value::of_int(3)};
  std::vector<tracefold::key_value> nested{{key, tracefold::any_value::of_array(inner)}};
  std::vector<tracefold::key_value> attrs{{key, tracefold::any_value::of_string(val)},
                                          {"nested", tracefold::any_value::of_kvlist(nested)}};
  std::string rname = "svc";
  tracefold::key_value rattr{"service.name", tracefold::any_value::of_string(rname)};
  auto r = b.add_resource({.attributes = {&rattr, 1}, .schema_url = "https://schema"});
  auto s = b.add_scope(r, {.name = "lib", .version = "1.0"});
  std::string name = "GET";
  tracefold::event ev{5, "exception", attrs, 1};
  tracefold::link ln{tid(9), sid(9), "ts=1", attrs, 2, 1};
  tracefold::span sp;
  sp.trace_id = tid(1);
  sp.span_id = sid(1);
  sp.name = name;
  sp.attributes = attrs;
  sp.events = {&ev, 1};
  sp.links = {&ln, 1};
  sp.status = {tracefold::status_code::error, "boom"};
  b.add_span(s, sp);
  auto ts = std::move(b).build();
  // Scribble over every caller buffer: the set must not notice.
  key.assign(key.size(), '#');
  val.assign(val.size(), '#');
  name.assign(name.size(), '#');
  rname.assign(rname.size(), '#');
  const tracefold::span& got = ts.traces()[0][0].span();
  CHECK(got.name == "GET");
  CHECK(got.attributes[0].key == "http.route");
  CHECK(got.attributes[0].value.as_string() == "/cart/{id}");
  auto nested_got = got.attributes[1].value.as_kvlist();
  CHECK(nested_got[0].key == "http.route");
  CHECK(nested_got[0].value.as_array()[0].as_string() == "/cart/{id}");
  CHECK(got.events[0].attributes[0].value.as_string() == "/cart/{id}");
  CHECK(got.links[0].attributes[1].key == "nested");
  CHECK(got.service_name() == "svc");
  CHECK(got.resource->schema_url == "https://schema");
  CHECK(got.scope->name == "lib");
  CHECK(got.status.message == "boom");
  CHECK(ts.resources().size() == 1);
  CHECK(ts.scopes().size() == 1);
}

TEST_CASE("a 100,000-deep chain builds and walks without recursion") {
  const std::uint64_t n = 100000;
  std::vector<spec> specs;
  specs.reserve(n);
  for (std::uint64_t i = n; i >= 1; --i) specs.push_back({1, i, i - 1, i, 2 * n - i});
  auto ts = tft::build(std::span<const spec>(specs));
  const trace t = ts.traces()[0];
  REQUIRE(t.size() == n);
  CHECK(t.root_count() == 1);
  CHECK(t[n - 1].depth() == n - 1);
  CHECK(t[0].subtree_size() == n);
  CHECK(t[n - 1].parent()->index() == n - 2);
}

TEST_CASE("a 100,000-wide star builds with children in start order") {
  const std::uint64_t n = 100000;
  std::vector<spec> specs;
  specs.push_back({1, 1, 0, 0, 10 * n});
  for (std::uint64_t i = 2; i <= n; ++i) specs.push_back({1, i, 1, n - i, n});
  auto ts = tft::build(std::span<const spec>(specs));
  const trace t = ts.traces()[0];
  REQUIRE(t.size() == n);
  std::size_t kids = 0;
  std::uint64_t prev = 0;
  bool ordered = true;
  for (span_ref c : t[0].children()) {
    ordered = ordered && c->start_time_unix_nano >= prev;
    prev = c->start_time_unix_nano;
    ++kids;
    CHECK_FALSE(c.has_children());
  }
  CHECK(kids == n - 1);
  CHECK(ordered);
}

TEST_CASE("a 1,000,000-span trace builds") {
  const std::uint64_t n = 1000000;
  std::vector<spec> specs;
  specs.reserve(n);
  // A bushy tree: span 1 is the root, spans 2 and 3 hang under it, and the parent of i >= 4 is i
  // / 4.
  for (std::uint64_t i = 1; i <= n; ++i)
    specs.push_back({1, i, i == 1 ? 0 : i < 4 ? 1 : i / 4, i, i + 10});
  auto ts = tft::build(std::span<const spec>(specs));
  const trace t = ts.traces()[0];
  REQUIRE(t.size() == n);
  CHECK(t.root_count() == 1);
  CHECK(t[0].subtree_size() == n);
  // Every node's subtree nests inside its parent's.
  bool nested = true;
  for (span_ref r : t.spans())
    if (auto p = r.parent())
      nested = nested && p->index() < r.index() &&
               r.index() + r.subtree_size() <= p->index() + p->subtree_size();
  CHECK(nested);
}

TEST_CASE("moving a trace_set keeps its views valid") {
  auto ts = tft::build({{1, 1, 0, 0, 10, "root"}});
  const trace before = ts.traces()[0];
  tracefold::trace_set moved = std::move(ts);
  CHECK(moved.traces()[0] == before);
  CHECK(before[0]->name == "root");
}

TEST_CASE("set_resource and set_scope update spans added earlier") {
  tracefold::trace_set_builder b;
  auto r = b.add_resource({});
  auto s = b.add_scope(r, {});
  tracefold::span sp;
  sp.trace_id = tid(1);
  sp.span_id = sid(1);
  b.add_span(s, sp);
  std::string svc = "late-service";
  tracefold::key_value attr{"service.name", tracefold::any_value::of_string(svc)};
  b.set_resource(r, {.attributes = {&attr, 1}, .dropped_attributes_count = 2});
  b.set_scope(s, {.name = "late.scope", .version = "2"});
  svc.assign(svc.size(), '#');
  auto ts = std::move(b).build();
  const tracefold::span& got = ts.traces()[0][0].span();
  CHECK(got.service_name() == "late-service");
  CHECK(got.resource->dropped_attributes_count == 2);
  CHECK(got.scope->name == "late.scope");
  CHECK(got.scope->version == "2");
}

TEST_CASE("append merges builders filled separately into one set") {
  auto fill = [](tracefold::trace_set_builder& b, std::uint64_t first, const char* name) {
    auto s = b.add_scope(b.add_resource({}), {.name = name});
    for (std::uint64_t i = first; i < first + 3; ++i) {
      tracefold::span sp;
      sp.trace_id = tid(1);
      sp.span_id = sid(i);
      sp.parent_span_id = sid(i == 1 ? 0 : 1);
      sp.start_time_unix_nano = i;
      std::string n = std::string(name) + std::to_string(i);
      sp.name = n;
      b.add_span(s, sp);
    }
  };
  tracefold::trace_set_builder a, c;
  fill(a, 1, "a");
  fill(c, 4, "c");
  a.append(std::move(c));
  CHECK(c.span_count() == 0);
  auto ts = std::move(a).build();
  REQUIRE(ts.trace_count() == 1);
  const trace t = ts.traces()[0];
  CHECK(t.size() == 6);
  CHECK(t.root_count() == 1);
  CHECK(t[0]->name == "a1");
  CHECK(t[5]->name == "c6");
  CHECK(t[5]->scope->name == "c");
  CHECK(ts.scopes().size() == 2);
}

TEST_CASE("a builder keeps the first of each once-per-input note, also across append") {
  using tracefold::diagnostic;
  using tracefold::diagnostic_code;
  const auto note = [](std::string message, std::uint64_t line) {
    return diagnostic{.severity = tracefold::severity::info,
                      .code = diagnostic_code::non_canonical,
                      .line = line,
                      .message = std::move(message)};
  };
  const auto error = [](std::uint64_t line) {
    return diagnostic{.code = diagnostic_code::bad_id, .line = line, .message = "bad id"};
  };
  tracefold::trace_set_builder a, c;
  a.add_diagnostic(note("base64 ids", 1));
  a.add_diagnostic(error(2));
  a.add_diagnostic(note("base64 ids", 3));  // the same kind: dropped
  c.add_diagnostic(note("base64 ids", 4));  // made again by another part's reader: dropped
  c.add_diagnostic(note("enum names", 5));  // another kind: kept
  c.add_diagnostic(error(6));
  c.add_diagnostic(error(6));  // other codes are never dropped
  a.append(std::move(c));
  std::vector<std::uint64_t> lines;
  for (const diagnostic& d : a.diagnostics()) lines.push_back(d.line);
  CHECK(lines == std::vector<std::uint64_t>{1, 2, 5, 6, 6});
  const auto ts = std::move(a).build();
  CHECK(ts.diagnostics().size() == 5);
}

TEST_CASE("build on several threads gives the same set and diagnostics as on one") {
  std::vector<spec> specs;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    auto more = tft::random_specs(seed, tft::shape::random, 150);
    specs.insert(specs.end(), more.begin(), more.end());
  }
  // Structure problems in traces spread over the input: duplicates and a cycle.
  specs.push_back({9001, 1, 0, 0, 100});
  specs.push_back({9001, 1, 0, 5, 10});
  specs.push_back({9002, 2, 3, 0, 10});
  specs.push_back({9002, 3, 2, 0, 10});
  REQUIRE(specs.size() > 3 * 4096);
  auto make = [&](unsigned threads) {
    tracefold::trace_set_builder b;
    std::map<std::string, tracefold::scope_handle> scopes;
    auto s = b.add_scope(b.add_resource({}), {});
    for (const spec& x : specs) {
      b.add_span(s, tft::to_span(x));
    }
    return std::move(b).build(threads);
  };
  const auto one = make(1);
  for (unsigned threads : {2u, 3u, 4u}) {
    const auto many = make(threads);
    CAPTURE(threads);
    REQUIRE(many.trace_count() == one.trace_count());
    bool same = true;
    for (std::size_t t = 0; t < one.trace_count(); ++t) {
      const trace x = one.traces()[t], y = many.traces()[t];
      same = same && x.id() == y.id() && x.size() == y.size() && x.root_count() == y.root_count();
      for (std::size_t i = 0; same && i < x.size(); ++i)
        same = x[i].span() == y[i].span() && x[i].depth() == y[i].depth() &&
               x[i].subtree_size() == y[i].subtree_size() && x[i].is_orphan() == y[i].is_orphan();
    }
    CHECK(same);
    CHECK(std::equal(one.diagnostics().begin(), one.diagnostics().end(), many.diagnostics().begin(),
                     many.diagnostics().end()));
  }
  CHECK(count_code(one, diagnostic_code::duplicate_span_id) == 1);
  CHECK(count_code(one, diagnostic_code::parent_cycle) == 1);
}

TEST_CASE("traces in runs, split in two runs, interleaved or joined by append build the same") {
  // Every layout below keeps the spans of each trace in the same relative order and the
  // traces in the same order of first appearance, so each must build the same set: runs of
  // one trace each (read without sorting), traces in two runs and interleaved traces (read
  // by sorting), and runs cut across builders joined by append (runs that cross the cut).
  std::vector<std::vector<spec>> traces;
  std::map<std::uint64_t, std::size_t> index;
  auto add = [&](const spec& s) {
    auto [it, fresh] = index.emplace(s.trace, traces.size());
    if (fresh) traces.emplace_back();
    traces[it->second].push_back(s);
  };
  for (std::uint64_t seed = 1; seed <= 60; ++seed)
    for (const spec& s : tft::random_specs(seed, tft::shape::random, 80)) add(s);
  for (const spec& s : std::initializer_list<spec>{
           {9001, 1, 0, 0, 100}, {9001, 1, 0, 5, 10}, {9002, 2, 3, 0, 10}, {9002, 3, 2, 0, 10}})
    add(s);
  REQUIRE(traces.size() > 100);

  std::vector<spec> runs, interleaved, halves;
  for (const auto& t : traces) runs.insert(runs.end(), t.begin(), t.end());
  for (std::size_t i = 0, more = 1; more != 0; ++i) {
    more = 0;
    for (const auto& t : traces)
      if (i < t.size()) {
        interleaved.push_back(t[i]);
        more = 1;
      }
  }
  for (int half = 0; half < 2; ++half)
    for (const auto& t : traces) {
      const std::size_t mid = (t.size() + 1) / 2;
      halves.insert(halves.end(), t.begin() + (half == 0 ? 0 : static_cast<std::ptrdiff_t>(mid)),
                    half == 0 ? t.begin() + static_cast<std::ptrdiff_t>(mid) : t.end());
    }
  REQUIRE(interleaved.size() == runs.size());
  REQUIRE(halves.size() == runs.size());

  // `specs` cut into builders at `cuts` (positions), appended in order, built on `threads`.
  auto make = [&](const std::vector<spec>& specs, std::vector<std::size_t> cuts, unsigned threads) {
    cuts.push_back(specs.size());
    std::vector<tracefold::trace_set_builder> parts(cuts.size());
    std::size_t from = 0;
    for (std::size_t p = 0; p < cuts.size(); ++p) {
      auto s = parts[p].add_scope(parts[p].add_resource({}), {});
      for (std::size_t i = from; i < cuts[p]; ++i) parts[p].add_span(s, tft::to_span(specs[i]));
      from = cuts[p];
    }
    for (std::size_t p = 1; p < parts.size(); ++p) parts[0].append(std::move(parts[p]));
    return std::move(parts[0]).build(threads);
  };
  auto same = [](const tracefold::trace_set& a, const tracefold::trace_set& b) {
    if (a.trace_count() != b.trace_count()) return false;
    for (std::size_t t = 0; t < a.trace_count(); ++t) {
      const trace x = a.traces()[t], y = b.traces()[t];
      if (x.id() != y.id() || x.size() != y.size() || x.root_count() != y.root_count())
        return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!(x[i].span() == y[i].span()) || x[i].depth() != y[i].depth() ||
            x[i].subtree_size() != y[i].subtree_size() || x[i].is_orphan() != y[i].is_orphan() ||
            x[i].broke_cycle() != y[i].broke_cycle() ||
            x[i].has_duplicate_id() != y[i].has_duplicate_id())
          return false;
    }
    return std::equal(a.diagnostics().begin(), a.diagnostics().end(), b.diagnostics().begin(),
                      b.diagnostics().end());
  };
  const auto reference = make(runs, {}, 1);
  CHECK(reference.trace_count() == traces.size());
  CHECK(count_code(reference, diagnostic_code::duplicate_span_id) == 1);
  CHECK(count_code(reference, diagnostic_code::parent_cycle) == 1);
  const std::size_t n = runs.size();
  for (unsigned threads : {1u, 2u, 3u}) {
    CAPTURE(threads);
    CHECK(same(reference, make(runs, {}, threads)));
    CHECK(same(reference, make(interleaved, {}, threads)));
    CHECK(same(reference, make(halves, {}, threads)));
    CHECK(same(reference, make(runs, {n / 3, n / 2, n / 2 + 1, 2 * n / 3}, threads)));
    const std::size_t first = traces[0].size(), second = first + traces[1].size();
    CHECK(same(reference, make(runs, {first, second}, threads)));  // cuts between traces
    CHECK(same(reference, make(halves, {n / 2}, threads)));
  }
}
