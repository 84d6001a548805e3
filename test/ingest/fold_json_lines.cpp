// Unit tests of ingest::fold_json_lines: the same traces, trees and statistics as a whole-file
// read (corpus, generated dumps, a dump whose traces come children first and interleaved), on
// 1, 2 and 4 threads with small windows; the same diagnostics; strict mode, stop, I/O errors,
// exceptions; and a bounded-memory check in a child process.
#include <doctest/doctest.h>

#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <support/rich_traces.hpp>
#include <support/text.hpp>
#include <tracefold/emit/generate.hpp>
#include <tracefold/emit/otlp_json.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/red_stats.hpp>
#include <tracefold/ingest/fold_json_lines.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>
#include <vector>

#include "ingest/render.hpp"
#include "support/temp_file.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TFT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TFT_ASAN 1
#endif
#ifdef TFT_ASAN
// The bounded-memory test measures resident memory, and ASan's default quarantine keeps up to
// 256 MiB of freed blocks resident. A small one still catches the use of a block freed lately.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=16"; }
// ASan's allocator: give free memory back to the system (sanitizer/allocator_interface.h).
extern "C" void __sanitizer_purge_allocator();
#endif

namespace fs = std::filesystem;
using namespace tracefold;

namespace {

using tft::temp_file;

/// A mergeable fold whose result describes every trace folded, as a sorted list: its id, its
/// tree (span ids, depths, orphan flags, in pre-order) and its content as canonical OTLP-JSON
/// (every field, resource and scope). Equal results mean the same traces, whole or split the
/// same way, with the same content.
struct trace_signatures {
  using state_type = std::vector<std::string>;
  [[nodiscard]] state_type init() const { return {}; }
  [[nodiscard]] state_type step(state_type s, const trace& t) const {
    std::string sig = t.id().to_hex() + " |";
    for (const span_ref r : t) {
      sig += ' ' + r->span_id.to_hex() + '/' + std::to_string(r.depth());
      if (r.is_orphan()) sig += 'o';
    }
    const std::vector<trace> one{t};
    sig += "\n" + run(emit::otlp_json{}, one).text;
    s.push_back(std::move(sig));
    return s;
  }
  [[nodiscard]] state_type merge(state_type a, state_type b) const {
    for (std::string& x : b) a.push_back(std::move(x));
    return a;
  }
  [[nodiscard]] std::vector<std::string> done(state_type s) const {
    std::sort(s.begin(), s.end());
    return s;
  }
};

/// A mergeable fold that keeps the order traces were folded in (not commutative).
struct trace_order {
  using state_type = std::vector<std::string>;
  [[nodiscard]] state_type init() const { return {}; }
  [[nodiscard]] state_type step(state_type s, const trace& t) const {
    s.push_back(t.id().to_hex() + ":" + std::to_string(t.size()));
    return s;
  }
  [[nodiscard]] state_type merge(state_type a, state_type b) const {
    for (std::string& x : b) a.push_back(std::move(x));
    return a;
  }
  [[nodiscard]] state_type done(state_type s) const { return s; }
};

/// A fold that throws at the `n`th trace any of its copies folds.
struct throwing_fold {
  std::atomic<std::size_t>* folded = nullptr;
  std::size_t n = 0;
  using state_type = std::size_t;
  [[nodiscard]] state_type init() const { return 0; }
  [[nodiscard]] state_type step(state_type s, const trace&) const {
    if (++*folded == n) throw std::runtime_error("fold failed");
    return s + 1;
  }
  [[nodiscard]] state_type merge(state_type a, state_type b) const { return a + b; }
  [[nodiscard]] std::size_t done(state_type s) const { return s; }
};

std::string generated(std::uint64_t bytes, std::size_t spans_per_line = 0, std::uint64_t seed = 1) {
  emit::generate_options o;
  o.target_bytes = bytes;
  o.seed = seed;
  o.format.layout = emit::otlp_layout::lines;
  o.format.spans_per_line = spans_per_line;
  std::string text;
  emit::generate_otlp(o, [&](std::string_view c) { text += c; });
  return text;
}

/// JSON Lines with one span per line: each trace's spans children first (deepest first), the
/// traces of each group of `group` interleaved line by line (a trace's roots, when it has
/// several, as one run of lines). So a trace's root comes last, after lines of other traces:
/// the OpenTelemetry Collector's file exporter order.
std::string children_first(const trace_set& ts, std::size_t group) {
  std::vector<std::vector<std::string>> per_trace;
  for (const trace t : ts.traces()) {
    const std::vector<trace> one{t};
    const std::string text =
        run(emit::otlp_json{{.layout = emit::otlp_layout::lines, .spans_per_line = 1}}, one).text;
    std::map<std::string, std::uint32_t> depth;  // span id -> depth
    for (const span_ref r : t) depth[r->span_id.to_hex()] = r.depth();
    std::vector<std::pair<std::uint32_t, std::string>> lines;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t nl = text.find('\n', at);
      const std::string line = text.substr(at, nl - at + 1);
      at = nl + 1;
      const auto r = ingest::read_otlp_json(line);
      REQUIRE(r.traces.span_count() == 1);
      lines.emplace_back(depth.at(r.traces.traces()[0][0]->span_id.to_hex()), line);
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    // Roots last, and together when there are several (some rich traces have more than one
    // span without a parent), as one batch would bring them.
    per_trace.emplace_back();
    bool roots = false;
    for (auto& [d, line] : lines) {
      if (d == 0 && roots)
        per_trace.back().back() += line;
      else
        per_trace.back().push_back(std::move(line));
      roots = roots || d == 0;
    }
  }
  std::string out;
  for (std::size_t first = 0; first < per_trace.size(); first += group) {
    const std::size_t last = std::min(per_trace.size(), first + group);
    for (std::size_t k = 0;; ++k) {
      bool any = false;
      for (std::size_t t = first; t < last; ++t)
        if (k < per_trace[t].size()) {
          out += per_trace[t][k];
          any = true;
        }
      if (!any) break;
    }
  }
  return out;
}

/// Reader diagnostics (they have a line) as text, in order.
template <class Diags>
std::vector<std::string> reader_diagnostics(const Diags& ds) {
  std::vector<std::string> out;
  for (const diagnostic& d : ds)
    if (d.line != 0) out.push_back(to_string(d));
  return out;
}

/// Tree diagnostics (no line) as sorted text.
template <class Diags>
std::vector<std::string> tree_diagnostics(const Diags& ds) {
  std::vector<std::string> out;
  for (const diagnostic& d : ds)
    if (d.line == 0 && d.code != diagnostic_code::io_error) out.push_back(to_string(d));
  std::sort(out.begin(), out.end());
  return out;
}

/// Folds `path` with `fold_json_lines` and checks everything against `read_file`: counts,
/// completeness, diagnostics and, when no trace was split, the fold's result and the trees.
void check_against_read_file(const fs::path& path, std::size_t window, unsigned threads,
                             bool expect_whole = true) {
  CAPTURE(path.string());
  CAPTURE(window);
  CAPTURE(threads);
  ingest::read_options ro{.source_name = "in.jsonl", .stream_window = window};
  const auto whole = ingest::read_file(path, ro);
  const ingest::stream_options so{
      .read = {.source_name = "in.jsonl"}, .threads = threads, .window_bytes = window};
  ingest::line_windows in1(path);
  const auto red = ingest::fold_json_lines(in1, folds::red_stats{}, so);
  ingest::line_windows in2(path);
  const auto sigs = ingest::fold_json_lines(in2, trace_signatures{}, so);

  CHECK(red.stats == whole.stats);
  CHECK(red.complete == whole.complete);
  CHECK(red.stats.spans_read == red.stats.spans_kept + red.stats.spans_rejected);
  CHECK(red.value.spans == red.stats.spans_kept);
  CHECK(reader_diagnostics(red.diagnostics) == reader_diagnostics(whole.diagnostics()));
  CHECK(red.traces_split == sigs.traces_split);
  if (expect_whole) CHECK(red.traces_split == 0);
  if (red.traces_split == 0) {
    CHECK(red.value == run(folds::red_stats{}, whole.traces.traces()));
    CHECK(sigs.value == run(trace_signatures{}, whole.traces.traces()));
    CHECK(tree_diagnostics(red.diagnostics) == tree_diagnostics(whole.diagnostics()));
  }
}

}  // namespace

TEST_CASE("fold_json_lines equals a whole-file read on the corpus") {
  const fs::path corpus = tft::corpus_dir();
  if (corpus.empty()) {
    MESSAGE("corpus not found (TRACEFOLD_CORPUS): skipped");
    return;
  }
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(corpus / "otlp")) {
    if (e.path().extension() != ".jsonl") continue;
    for (std::size_t window : {std::size_t{4096}, std::size_t{1} << 20})
      for (unsigned threads : {1u, 2u, 4u}) check_against_read_file(e.path(), window, threads);
    ++files;
  }
  CHECK(files >= 1);
}

TEST_CASE("fold_json_lines equals a whole-file read on generated dumps") {
  SUBCASE("one trace per line") {
    const temp_file f(generated(400'000));
    for (unsigned threads : {1u, 2u, 4u}) check_against_read_file(f.path(), 4096, threads);
  }
  SUBCASE("three spans per line, traces in pre-order across lines and windows") {
    // A trace's root comes first here, so its first window looks whole: it must wait a
    // window before it is folded, and the next window's spans must join it.
    const temp_file f(generated(400'000, 3, 7));
    for (unsigned threads : {1u, 2u, 4u}) check_against_read_file(f.path(), 4096, threads);
    // The control: traces do cross windows here, so with no room to wait some are split.
    ingest::line_windows in(f.path());
    const auto r = ingest::fold_json_lines(in, folds::red_stats{},
                                           {.window_bytes = 4096, .max_pending_bytes = 0});
    CHECK(r.traces_split > 10);
  }
}

TEST_CASE("fold_json_lines assembles traces whose children come first, interleaved") {
  // Rich traces (every field) and generated ones, one span per line, children first, six
  // traces interleaved: with 4 KiB windows most traces span several windows.
  std::string text;
  for (std::uint64_t seed = 1; seed <= 12; ++seed)
    text += children_first(tft::rich_generator(seed).make(30), 3);
  const auto gen = ingest::read_otlp_json(generated(150'000, 0, 3));
  REQUIRE(gen.ok());
  text += children_first(gen.traces, 6);
  const temp_file f(text);
  for (unsigned threads : {1u, 2u, 4u}) check_against_read_file(f.path(), 4096, threads);

  SUBCASE("the order of folding does not depend on the number of threads") {
    std::vector<std::string> first;
    for (unsigned threads : {1u, 2u, 4u}) {
      ingest::line_windows in(f.path());
      const auto r =
          ingest::fold_json_lines(in, trace_order{}, {.threads = threads, .window_bytes = 4096});
      if (threads == 1) first = r.value;
      CHECK(r.value == first);
    }
    CHECK(!first.empty());
  }

  SUBCASE("a pending store too small to wait splits traces, and says so") {
    for (unsigned threads : {1u, 2u}) {
      ingest::line_windows in(f.path());
      const auto r = ingest::fold_json_lines(
          in, folds::red_stats{},
          {.threads = threads, .window_bytes = 4096, .max_pending_bytes = 0});
      const auto whole = ingest::read_file(f.path());
      CHECK(r.traces_split > 0);
      CHECK(r.complete);
      CHECK(r.stats == whole.stats);
      CHECK(r.value.spans == whole.stats.spans_kept);      // every span folded once
      CHECK(r.value.traces > whole.traces.trace_count());  // some in several parts
      REQUIRE(!r.diagnostics.empty());
      const diagnostic& last = r.diagnostics.back();
      CHECK(last.severity == severity::warning);
      CHECK(last.message.find(std::to_string(r.traces_split) + " traces were folded in parts") ==
            0);
    }
  }
}

TEST_CASE("trace_assembler: pending traces wait within their bound and every span comes out once") {
  // Drives the assembler by hand over a children-first dump: traces do wait (the store is
  // used), the store stays within its bound after every window, and every span read is
  // released exactly once, in traces whose ids are unique when nothing was split.
  std::string text;
  for (std::uint64_t seed = 1; seed <= 8; ++seed)
    text += children_first(tft::rich_generator(seed).make(30), 4);
  const temp_file f(text);
  const auto whole = ingest::read_file(f.path());
  for (std::size_t bound : {std::size_t{64} << 20, std::size_t{16} << 10}) {
    CAPTURE(bound);
    ingest::detail::trace_assembler a(bound, "x");
    ingest::line_windows in(f.path(), 2048);
    std::size_t most_pending = 0, spans = 0;
    std::map<std::string, int> seen;
    auto take = [&](const ingest::detail::fold_batch& b) {
      b.for_each([&](const trace& t) {
        spans += t.size();
        ++seen[t.id().to_hex()];
      });
    };
    while (auto w = in.next()) {
      take(a.add(ingest::read_window(*w, {})));
      most_pending = std::max(most_pending, a.pending_traces());
      CHECK(a.pending_bytes() <= bound);
    }
    take(a.finish());
    CHECK(a.pending_traces() == 0);
    CHECK(a.pending_bytes() == 0);
    CHECK(spans == whole.stats.spans_kept);
    if (a.traces_split() == 0) {
      CHECK(seen.size() == whole.traces.trace_count());
      for (const auto& [id, n] : seen) CHECK(n == 1);
    }
    if (bound == (std::size_t{64} << 20)) {
      CHECK(a.traces_split() == 0);
      CHECK(most_pending > 0);
    }
  }
}

TEST_CASE("spans that come after their trace was folded are a separate part, counted once") {
  // Trace A is whole in the first lines; after 3 windows of other traces, more spans of A
  // come: a late child of A's root, then a second root.
  const auto gen = ingest::read_otlp_json(generated(60'000, 0, 5));
  REQUIRE(gen.traces.trace_count() > 3);
  const trace a = gen.traces.traces()[0];
  const std::string a_hex = a.id().to_hex();
  const std::string root_hex = a[0]->span_id.to_hex();
  auto span_line = [&](std::string_view span_id, std::string_view parent) {
    return R"({"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{"traceId":")" + a_hex +
           R"(","spanId":")" + std::string(span_id) + R"(","parentSpanId":")" +
           std::string(parent) +
           R"(","name":"late","kind":1,"startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]})" +
           "\n";
  };
  const std::string all =
      run(emit::otlp_json{{.layout = emit::otlp_layout::lines}}, gen.traces.traces()).text;
  std::string text = all + span_line("00000000000000a1", root_hex) +
                     span_line("00000000000000a2", "") + all.substr(all.find('\n') + 1);
  // The last part repeats traces 2.. after A's late spans: they are folded again as well.
  const temp_file f(text);
  ingest::line_windows in(f.path());
  const auto r = ingest::fold_json_lines(in, folds::red_stats{}, {.window_bytes = 4096});
  CHECK(r.complete);
  CHECK(r.traces_split == gen.traces.trace_count());  // A, and every repeated trace
  CHECK(r.value.spans == r.stats.spans_kept);
}

TEST_CASE("fold_json_lines reports bad lines as read_file does") {
  SUBCASE("golden JSON Lines inputs") {
    std::size_t files = 0;
    for (const auto& path : tft::golden_inputs()) {
      if (path.extension() != ".jsonl") continue;
      for (unsigned threads : {1u, 2u}) check_against_read_file(path, 4096, threads, false);
      ++files;
    }
    CHECK(files >= 5);
  }
  SUBCASE("broken lines in a generated dump") {
    std::string text = generated(300'000);
    for (std::size_t at : {text.size() / 3, text.size() / 2, text.size() - 1000}) {
      const std::size_t id = text.find("\"spanId\":\"", at);
      REQUIRE(id != std::string::npos);
      text.replace(id + 10, 3, "xyz");
    }
    text.insert(text.find('\n', text.size() / 4) + 1, "{\"resourceSpans\": [tru\n");
    const temp_file f(text);
    const auto whole = ingest::read_file(f.path(), {.source_name = "in.jsonl"});
    CHECK(whole.error_count() == 5);  // the broken line has two
    for (unsigned threads : {1u, 2u, 4u}) check_against_read_file(f.path(), 4096, threads);
  }
}

TEST_CASE("a note made once per input is made once however the input is cut") {
  // Regression (found by fuzz_fold_json_lines): every window, and every thread's part of a
  // whole-file read, has a reader of its own, and each made the lenient-mode notes afresh.
  // Every line here has a base64 span id and an enum name; the input is over 4 MiB, so that
  // read_file on two threads cuts it in parts.
  std::string text;
  constexpr std::size_t lines = 24'000;
  for (std::size_t i = 0; i < lines; ++i) {
    char id[33];
    std::snprintf(id, sizeof id, "%032zx", i + 1);
    text += R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":")";
    text += id;
    text += R"(","spanId":"7uGbfsPBsXQ=","name":"x","kind":"SPAN_KIND_SERVER",)"
            R"("startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]})"
            "\n";
  }
  REQUIRE(text.size() > (std::size_t{4} << 20));
  const temp_file f(text);
  const auto check_notes = [&](const auto& diagnostics, const ingest::read_stats& stats) {
    CHECK(stats.spans_kept == lines);
    std::vector<std::string> notes;
    for (const diagnostic& d : diagnostics)
      if (d.code == diagnostic_code::non_canonical) notes.push_back(to_string(d));
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].starts_with("in.jsonl:1:"));
    CHECK(notes[0].find("base64") != std::string::npos);
    CHECK(notes[1].starts_with("in.jsonl:1:"));
    CHECK(notes[1].find("enum values written as names") != std::string::npos);
  };
  for (unsigned threads : {1u, 2u}) {
    CAPTURE(threads);
    // read_file: small windows into one builder (one thread), or parts appended (two).
    const auto whole = ingest::read_file(
        f.path(), {.source_name = "in.jsonl", .threads = threads, .stream_window = 4096});
    check_notes(whole.diagnostics(), whole.stats);
    // fold_json_lines: small windows, each with its own reader and builder.
    ingest::line_windows in(f.path());
    const auto folded = ingest::fold_json_lines(
        in, trace_order{},
        {.read = {.source_name = "in.jsonl"}, .threads = threads, .window_bytes = 4096});
    check_notes(folded.diagnostics, folded.stats);
    CHECK(folded.value.size() == lines);
  }
}

TEST_CASE("fold_json_lines in strict mode stops at the first error, as read_file does") {
  std::string text = generated(200'000);
  const std::size_t id = text.find("\"spanId\":\"", text.size() / 2);
  text.replace(id + 10, 3, "xyz");
  const temp_file f(text);
  const auto whole = ingest::read_file(
      f.path(),
      {.mode = ingest::read_mode::strict, .source_name = "s.jsonl", .stream_window = 4096});
  REQUIRE_FALSE(whole.complete);
  for (unsigned threads : {1u, 2u, 4u}) {
    CAPTURE(threads);
    ingest::line_windows in(f.path());
    const auto r = ingest::fold_json_lines(
        in, folds::red_stats{},
        {.read = {.mode = ingest::read_mode::strict, .source_name = "s.jsonl"},
         .threads = threads,
         .window_bytes = 4096});
    CHECK_FALSE(r.complete);
    CHECK(r.stats == whole.stats);
    CHECK(r.stats.bytes < text.size());
    CHECK(r.error_count() == 1);
    CHECK(reader_diagnostics(r.diagnostics) == reader_diagnostics(whole.diagnostics()));
    CHECK(r.traces_split == 0);
    CHECK(r.value == run(folds::red_stats{}, whole.traces.traces()));
  }
}

TEST_CASE("fold_json_lines stops when asked") {
  const std::string text = generated(200'000);
  const temp_file f(text);
  SUBCASE("before the first window") {
    const std::atomic<bool> stop{true};
    ingest::line_windows in(f.path());
    const auto r = ingest::fold_json_lines(in, folds::red_stats{}, {.stop = &stop});
    CHECK_FALSE(r.complete);
    CHECK(r.stats.bytes == 0);
    CHECK(r.value.spans == 0);
  }
  SUBCASE("after the first window") {
    for (unsigned threads : {1u, 2u}) {
      std::atomic<bool> stop{false};
      std::vector<std::uint64_t> progress;
      ingest::line_windows in(f.path());
      const auto r = ingest::fold_json_lines(in, folds::red_stats{},
                                             {.threads = threads,
                                              .window_bytes = 4096,
                                              .on_progress =
                                                  [&](std::uint64_t done) {
                                                    progress.push_back(done);
                                                    stop = true;
                                                  },
                                              .stop = &stop});
      CHECK_FALSE(r.complete);
      CHECK(r.stats.bytes < text.size() / 4);
      CHECK(r.stats.spans_read == r.stats.spans_kept + r.stats.spans_rejected);
      CHECK(r.value.spans == r.stats.spans_kept);
      REQUIRE(!progress.empty());
      CHECK(progress.size() <= threads);
      CHECK(progress.back() == r.stats.bytes);
    }
  }
  SUBCASE("progress reaches the input size") {
    std::vector<std::uint64_t> progress;
    ingest::line_windows in(f.path());
    const auto r = ingest::fold_json_lines(
        in, folds::red_stats{},
        {.threads = 2, .window_bytes = 16384, .on_progress = [&](std::uint64_t done) {
           progress.push_back(done);
         }});
    CHECK(r.complete);
    REQUIRE(progress.size() > 2);
    CHECK(std::is_sorted(progress.begin(), progress.end()));
    CHECK(progress.back() == text.size());
  }
}

TEST_CASE("the README example runs") {
  // README.md, "Streaming JSON Lines with bounded memory", with string streams for the
  // standard ones and a generated dump for dump.jsonl.
  const temp_file dump(generated(100'000));
  std::ostringstream cerr, cout;
  tracefold::ingest::line_windows in(dump.path());
  auto r = tracefold::ingest::fold_json_lines(
      in, tracefold::folds::red_stats{{.attributes = {"http.route"}}}, {.threads = 0});
  for (const auto& d : r.diagnostics) cerr << tracefold::to_string(d) << '\n';
  cout << r.stats.spans_kept << " spans kept, " << r.stats.spans_rejected << " rejected, "
       << r.traces_split << " traces split\n";
  const tracefold::folds::red_table& table = r.value;
  CHECK(cerr.str().empty());
  CHECK(cout.str() ==
        std::to_string(r.stats.spans_kept) + " spans kept, 0 rejected, 0 traces split\n");
  CHECK(table.spans == r.stats.spans_kept);
  CHECK(table.attribute_names == std::vector<std::string>{"http.route"});
  CHECK(r.complete);
}

TEST_CASE("fold_json_lines reports a file it cannot read") {
  ingest::line_windows in(fs::path("/nonexistent/x.jsonl"));
  const auto r = ingest::fold_json_lines(in, folds::red_stats{}, {.threads = 2});
  CHECK_FALSE(r.complete);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == diagnostic_code::io_error);
  CHECK(r.diagnostics[0].file == "/nonexistent/x.jsonl");
  CHECK(r.value.spans == 0);
}

TEST_CASE("fold_json_lines on an empty input and on blank lines") {
  for (const std::string text : {"", "\n\n  \n"}) {
    const temp_file f(text);
    const auto whole = ingest::read_file(f.path(), {.source_name = "e.jsonl"});
    for (unsigned threads : {1u, 2u}) {
      ingest::line_windows in(f.path());
      const auto r = ingest::fold_json_lines(
          in, folds::red_stats{}, {.read = {.source_name = "e.jsonl"}, .threads = threads});
      CHECK(r.complete);
      CHECK(r.stats == whole.stats);
      REQUIRE(r.diagnostics.size() == 1);
      CHECK(r.diagnostics[0].code == diagnostic_code::empty_input);
      CHECK(to_string(r.diagnostics[0]) == to_string(whole.diagnostics()[0]));
      CHECK(r.value.traces == 0);
    }
  }
}

TEST_CASE("an input without JSON reads the same in small windows as in one") {
  // Regression (found by fuzz_fold_json_lines): whitespace filling whole windows left an empty
  // last window, reported as "the input is empty"; a byte order mark made its window count as
  // content, so whitespace after it was reported at the wrong place.
  const std::string bom = "\xEF\xBB\xBF";
  const std::string cases[] = {"",
                               "\n\n  \n",
                               std::string(15, ' ') + "\n",
                               std::string(40, '\n'),
                               std::string(4095, ' ') + "\n",
                               bom,
                               bom + "\n" + std::string(40, ' '),
                               bom + "\n" + std::string(30, ' ') + "\n\t\n"};
  for (const std::string& text : cases) {
    CAPTURE(text.size());
    const temp_file f(text);
    const auto whole = ingest::read_file(f.path(), {.source_name = "e.jsonl"});
    REQUIRE(whole.diagnostics().size() == 1);
    const diagnostic& want = whole.diagnostics()[0];
    CHECK(want.code == diagnostic_code::empty_input);
    const auto same = [&](const diagnostic& d) {
      CHECK(to_string(d) == to_string(want));
      CHECK(d.byte_offset == want.byte_offset);
    };
    const auto windowed =
        ingest::read_file(f.path(), {.source_name = "e.jsonl", .stream_window = 4096});
    REQUIRE(windowed.diagnostics().size() == 1);
    same(windowed.diagnostics()[0]);
    for (unsigned threads : {1u, 2u}) {
      CAPTURE(threads);
      ingest::line_windows in(f.path());
      const auto r = ingest::fold_json_lines(
          in, folds::red_stats{},
          {.read = {.source_name = "e.jsonl"}, .threads = threads, .window_bytes = 16});
      CHECK(r.complete);
      CHECK(r.stats == whole.stats);
      REQUIRE(r.diagnostics.size() == 1);
      same(r.diagnostics[0]);
    }
  }
}

TEST_CASE("an exception from the fold stops every worker and comes out") {
  const temp_file f(generated(200'000));
  for (unsigned threads : {1u, 2u, 4u}) {
    CAPTURE(threads);
    std::atomic<std::size_t> folded{0};
    ingest::line_windows in(f.path());
    CHECK_THROWS_WITH((void)ingest::fold_json_lines(in, throwing_fold{&folded, 3},
                                                    {.threads = threads, .window_bytes = 4096}),
                      "fold failed");
  }
}

namespace {

/// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"), or -1.
long status_kib(std::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 &&
        line[field.size()] == ':')
      return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
  return -1;
}

/// What a child process measured: spans folded, its resident memory when the work began and
/// its peak during the work (KiB), and the work's wall time.
struct child_report {
  std::uint64_t spans = 0;
  long rss_before_kib = 0;
  long peak_kib = 0;
  double seconds = 0;
  bool ok = false;
};

/// Runs `work` (returning the spans it folded) in a forked child and measures its memory.
///
/// A forked child starts with the parent's pages resident, and the parent's allocator may
/// hold freed memory the work would reuse unseen. So the child first gives free memory back
/// (malloc_trim; ASan's allocator purge), then resets its peak to what is resident
/// (/proc/self/clear_refs "5"), and reports the growth of the peak (VmHWM) over that. Where
/// /proc is missing it falls back to getrusage's ru_maxrss, which only overstates the base.
template <class Work>
child_report in_child(Work work) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    child_report rep;
#ifdef TFT_ASAN
    __sanitizer_purge_allocator();
#else
    ::malloc_trim(0);
#endif
    bool reset = false;
    if (std::FILE* c = std::fopen("/proc/self/clear_refs", "w")) {
      reset = std::fputs("5", c) >= 0;
      reset = std::fclose(c) == 0 && reset;
    }
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    rep.rss_before_kib = reset ? status_kib("VmRSS") : ru.ru_maxrss;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      rep.spans = work();
      rep.ok = true;
    } catch (...) {
    }
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ::getrusage(RUSAGE_SELF, &ru);
    rep.peak_kib = reset ? status_kib("VmHWM") : ru.ru_maxrss;
    const ssize_t n = ::write(fds[1], &rep, sizeof rep);
    ::_exit(n == static_cast<ssize_t>(sizeof rep) ? 0 : 1);
  }
  ::close(fds[1]);
  child_report rep;
  const ssize_t n = ::read(fds[0], &rep, sizeof rep);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(n == static_cast<ssize_t>(sizeof rep));
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  return rep;
}

}  // namespace

TEST_CASE("fold_json_lines folds a large input in bounded memory; read_file does not") {
  // 200 MB of generated JSON Lines, written to a temporary file by a child process so this
  // process stays small. TRACEFOLD_STREAM_TEST_MB and TRACEFOLD_STREAM_TEST_THREADS change the
  // size and the threads (docs/performance.md quotes a 2 GB run).
  std::uint64_t mb = 200;
  unsigned threads = 2;
  if (const char* env = std::getenv("TRACEFOLD_STREAM_TEST_MB"))
    mb = std::strtoull(env, nullptr, 10);
  if (const char* env = std::getenv("TRACEFOLD_STREAM_TEST_THREADS"))
    threads = static_cast<unsigned>(std::strtoul(env, nullptr, 10));
  const temp_file f;
  const child_report gen = in_child([&] {
    std::FILE* out = std::fopen(f.path().c_str(), "wb");
    if (out == nullptr) throw std::runtime_error("cannot write");
    emit::generate_options o;
    o.target_bytes = mb << 20;
    o.format.layout = emit::otlp_layout::lines;
    const auto g = emit::generate_otlp(
        o, [&](std::string_view c) { std::fwrite(c.data(), 1, c.size(), out); });
    if (std::fclose(out) != 0) throw std::runtime_error("cannot write");
    return g.spans;
  });
  REQUIRE(gen.ok);
  const auto size = fs::file_size(f.path());
  REQUIRE(size >= (mb << 20));

  const child_report streamed = in_child([&] {
    ingest::line_windows in(f.path());
    const auto r = ingest::fold_json_lines(in, folds::red_stats{}, {.threads = threads});
    if (!r.complete || r.traces_split != 0) throw std::runtime_error("not whole");
    return r.value.spans;
  });
  const child_report whole = in_child([&] {
    const auto r = ingest::read_file(f.path());
    return run(folds::red_stats{}, r.traces.traces()).spans;
  });
  REQUIRE(streamed.ok);
  REQUIRE(whole.ok);
  CHECK(streamed.spans == gen.spans);
  CHECK(whole.spans == gen.spans);
  const long streamed_mib = (streamed.peak_kib - streamed.rss_before_kib) >> 10;
  const long whole_mib = (whole.peak_kib - whole.rss_before_kib) >> 10;
  MESSAGE("input " << (size >> 20) << " MiB, " << gen.spans << " spans; peak RSS growth: "
                   << "fold_json_lines (" << threads << " threads) " << streamed_mib
                   << " MiB (peak " << (streamed.peak_kib >> 10) << " MiB, " << streamed.seconds
                   << " s), read_file + run " << whole_mib << " MiB (peak "
                   << (whole.peak_kib >> 10) << " MiB, " << whole.seconds << " s)");
  // Bounded: well under the input. The whole-file read holds every trace, so the same check
  // on it fails: the measurement can tell the two apart.
  const long bound_mib = static_cast<long>(mb * 96 / 200);
  CHECK(streamed_mib < bound_mib);
  CHECK(whole_mib > bound_mib);
}
