/// @file
/// Drawing one large trace: `emit::to_svg_waterfall` (rows and lanes) on traces of 1,000 to
/// 1,000,000 spans, the "100,000 spans in under 100 ms" and "output linear in spans";
/// and the terminal timeline and timeline JSON of the 100,000-span trace. `svg_rows_ingested`
/// draws the 100,000-span trace after a round trip through OTLP-JSON (`to_otlp_json`, then
/// `read_otlp_json`), so its strings are laid out as the reader lays out a dump's.
///
/// Input: one trace per size, built from a fixed seed, shaped like a large batch job rather
/// than a request: 8 services, 64 span names; every span after the root picks its parent
/// uniformly among the spans before it (a random recursive tree: depth about ln n, 12 to 20
/// for 100,000 spans, wide near the root); children lie inside their parent's time; 6 attributes
/// per span (3 strings of 10 to 40 characters, 2 ints, a bool), 3% error spans with a status
/// message. Each span's tooltip therefore lists 6 attributes, as a real one would.
///
/// Reported per variant: wall time per picture (`real_time`), `spans/s`, `bytes_per_span` and
/// `MB/s` of SVG. Before timing, each picture is checked: as many bars as spans (or as rows
/// allowed), well-formed start and end.

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <tracefold/tracefold.hpp>
#include <vector>

#include "../support/bench_main.hpp"

namespace {

namespace tf = tracefold;

/// One trace of `n` spans (see the file comment), owning its strings through the trace_set.
tf::trace_set big_trace(std::size_t n, std::uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&](std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
  };
  static constexpr const char* services[] = {"frontend",  "checkout", "cart",    "payment",
                                             "inventory", "shipping", "pricing", "search"};
  tf::trace_set_builder b;
  std::vector<tf::scope_handle> scopes;
  std::vector<std::string> names;
  for (const char* s : services) {
    tf::key_value attr{"service.name", tf::any_value::of_string(s)};
    scopes.push_back(b.add_scope(b.add_resource({.attributes = {&attr, 1}}), {.name = "bench"}));
    for (int k = 0; k < 8; ++k)
      names.push_back(std::string(s) + (k % 2 ? " GET /api/v1/" : " process ") + std::to_string(k));
  }
  const std::string text = "abcdefghijklmnopqrstuvwxyz0123456789-_/ ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::vector<std::uint64_t> start(n), end(n);
  std::string s1, s2, s3;
  tf::trace_id tid{};
  {
    std::string raw(16, '\0');
    for (auto& c : raw) c = static_cast<char>(uniform(1, 255));
    tid = *tf::trace_id::from_bytes(raw);
  }
  const auto sid = [](std::size_t i) {
    std::string raw(8, '\0');
    for (int k = 0; k < 8; ++k) raw[7 - k] = static_cast<char>((i + 1) >> (8 * k));
    return *tf::span_id::from_bytes(raw);
  };
  const auto random_text = [&](std::string& s) {
    s.resize(uniform(10, 40));
    for (char& c : s) c = text[uniform(0, text.size() - 1)];
  };
  const std::uint64_t t0 = 1'700'000'000'000'000'000;
  for (std::size_t i = 0; i < n; ++i) {
    tf::span sp;
    sp.trace_id = tid;
    sp.span_id = sid(i);
    std::size_t parent = 0;
    if (i == 0) {
      start[i] = t0;
      end[i] = t0 + 60'000'000'000ull;  // a one-minute job
    } else {
      parent = uniform(0, i - 1);
      sp.parent_span_id = sid(parent);
      const std::uint64_t len = end[parent] - start[parent];
      start[i] = start[parent] + uniform(0, len / 2);
      end[i] = start[i] + uniform(len / 50, (end[parent] - start[i]));
    }
    sp.start_time_unix_nano = start[i];
    sp.end_time_unix_nano = end[i];
    const std::size_t svc = i == 0 ? 0 : uniform(0, 7);
    sp.name = names[svc * 8 + uniform(0, 7)];
    sp.kind = static_cast<tf::span_kind>(uniform(1, 3));
    random_text(s1);
    random_text(s2);
    random_text(s3);
    const tf::key_value attrs[] = {
        {"http.route", tf::any_value::of_string(s1)},
        {"db.statement", tf::any_value::of_string(s2)},
        {"net.peer.name", tf::any_value::of_string(s3)},
        {"http.status_code", tf::any_value::of_int(static_cast<std::int64_t>(uniform(200, 504)))},
        {"thread.id", tf::any_value::of_int(static_cast<std::int64_t>(uniform(1, 64)))},
        {"cache.hit", tf::any_value::of_bool(uniform(0, 1) == 1)}};
    sp.attributes = attrs;
    if (uniform(0, 99) < 3) sp.status = {tf::status_code::error, "upstream timed out after 30s"};
    b.add_span(scopes[svc], sp);
  }
  return std::move(b).build();
}

/// The trace of `n` spans, built once per size.
const tf::trace_set& trace_of(std::size_t n) {
  static std::vector<std::pair<std::size_t, tf::trace_set>> cache;
  for (auto& [size, ts] : cache)
    if (size == n) return ts;
  cache.emplace_back(n, big_trace(n));
  return cache.back().second;
}

/// The same trace written as OTLP-JSON and read back, as a trace drawn from a dump would be:
/// the reader stores repeated strings (names, keys) once, and in the order of the dump.
const tf::trace_set& ingested_trace_of(std::size_t n) {
  static std::vector<std::pair<std::size_t, tf::trace_set>> cache;
  for (auto& [size, ts] : cache)
    if (size == n) return ts;
  const std::string json = tf::emit::to_otlp_json(trace_of(n));
  cache.emplace_back(n, tf::ingest::read_otlp_json(json).value());
  return cache.back().second;
}

std::size_t bars(std::string_view svg) {
  std::size_t k = 0;
  for (std::size_t at = svg.find("</title><rect "); at != std::string_view::npos;
       at = svg.find("</title><rect ", at + 1))
    ++k;
  return k;
}

void draw(benchmark::State& state, tf::emit::svg_waterfall_options o, bool ingested = false) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const tf::trace_set& ts = ingested ? ingested_trace_of(n) : trace_of(n);
  const tf::trace t = ts.traces()[0];
  if (!tf::bench::check(state, ts.traces().size() == 1 && t.size() == n, "one trace of n spans"))
    return;
  const std::string first = tf::emit::to_svg_waterfall(t, o);
  const std::size_t want = o.max_rows != 0 && !o.lanes ? std::min<std::size_t>(n, o.max_rows) : n;
  if (!tf::bench::check(
          state, bars(first) <= n && (o.lanes || bars(first) == want),
          "bar count " + std::to_string(bars(first)) + " for " + std::to_string(want)))
    return;
  if (!tf::bench::check(state, first.rfind("<?xml", 0) == 0 && first.ends_with("</svg>\n"),
                        "document start and end"))
    return;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string svg = tf::emit::to_svg_waterfall(t, o);
    bytes = svg.size();
    benchmark::DoNotOptimize(svg.data());
  }
  state.counters["spans/s"] =
      benchmark::Counter(static_cast<double>(n) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["bytes_per_span"] = static_cast<double>(bytes) / static_cast<double>(n);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}

void svg_rows(benchmark::State& state) { draw(state, {}); }
void svg_rows_ingested(benchmark::State& state) { draw(state, {}, true); }

/// The fold with a sink, as a batch writes pictures to files: its buffer is reused, so the
/// pages of a large picture are touched once, not allocated afresh for each picture.
void svg_rows_sink(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const tf::trace_set& ts = trace_of(n);
  const tf::trace t = ts.traces()[0];
  std::size_t bytes = 0;
  std::size_t drawn = 0;
  tf::emit::svg_waterfall w{{}, [&](const tf::trace&, std::string_view svg) {
                              bytes = svg.size();
                              drawn = bars(svg);
                            }};
  auto s = w.step(w.init(), t);
  if (!tf::bench::check(state, drawn == n, "bar count " + std::to_string(drawn))) return;
  for (auto _ : state) {
    s = w.step(std::move(s), t);
    benchmark::DoNotOptimize(s.buf.data());
  }
  state.counters["spans/s"] =
      benchmark::Counter(static_cast<double>(n) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["bytes_per_span"] = static_cast<double>(bytes) / static_cast<double>(n);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}
void svg_lanes(benchmark::State& state) { draw(state, {.lanes = true}); }
void svg_row_limit(benchmark::State& state) { draw(state, {.max_rows = 10'000}); }

/// The terminal timeline (ASCII, 120 columns) and the timeline JSON of the same trace.
void ascii_timeline(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const tf::trace t = trace_of(n).traces()[0];
  const tf::emit::ascii_timeline_options o{.columns = 120};
  const std::string first = tf::emit::to_ascii_timeline(t, o);
  const auto lines = static_cast<std::size_t>(std::count(first.begin(), first.end(), '\n'));
  if (!tf::bench::check(state, lines == n + 2, "line count " + std::to_string(lines))) return;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = tf::emit::to_ascii_timeline(t, o);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["spans/s"] =
      benchmark::Counter(static_cast<double>(n) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}

void timeline_json(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const tf::trace_set& ts = trace_of(n);
  const std::string first = tf::emit::to_timeline_json(ts);
  const std::size_t ids = [&] {
    std::size_t k = 0;
    for (std::size_t at = first.find("\"span_id\""); at != std::string::npos;
         at = first.find("\"span_id\"", at + 1))
      ++k;
    return k;
  }();
  if (!tf::bench::check(state, ids == n, "span count " + std::to_string(ids))) return;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = tf::emit::to_timeline_json(ts);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["spans/s"] =
      benchmark::Counter(static_cast<double>(n) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}

}  // namespace

BENCHMARK(ascii_timeline)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(timeline_json)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(svg_rows)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(svg_rows_ingested)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(svg_rows_sink)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(svg_lanes)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(svg_row_limit)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

TRACEFOLD_BENCHMARK_MAIN();
