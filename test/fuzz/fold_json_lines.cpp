// libFuzzer target: arbitrary bytes as a JSON Lines stream through line_windows and
// fold_json_lines, in small windows on one or two threads (the first two bytes choose), against
// the same bytes in one window on one thread. Where the windows fall must change nothing the
// reader reports: the counts (but, in strict mode, the bytes read before the stop), whether
// the read is complete, and the reader's diagnostics (file, line, column, byte offset, text).
// The counts reconcile, every span kept is folded once, and a span rejected is always
// reported.
// Build with clang: CXX=clang++ meson setup build-fuzz -Dfuzz=true, then
//   ./build-fuzz/test/fuzz/fuzz_fold_json_lines -dict=test/fuzz/otlp.dict test/golden/ingest
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tracefold/ingest/fold_json_lines.hpp>
#include <vector>

namespace {

using namespace tracefold;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "invariant violated: %s\n", what.c_str());
  std::abort();
}

/// Spans and traces folded: every kept span must come out of the fold exactly once.
struct span_count {
  struct state_type {
    std::uint64_t spans = 0;
    std::uint64_t traces = 0;
  };
  [[nodiscard]] state_type init() const { return {}; }
  [[nodiscard]] state_type step(state_type s, const trace& t) const {
    s.spans += t.size();
    ++s.traces;
    return s;
  }
  [[nodiscard]] state_type merge(state_type a, state_type b) const {
    return {a.spans + b.spans, a.traces + b.traces};
  }
  [[nodiscard]] state_type done(state_type s) const { return s; }
};

/// The reader's diagnostics (those with a line) as text with their byte offsets, in order.
std::vector<std::string> reader_diagnostics(const std::vector<diagnostic>& ds) {
  std::vector<std::string> out;
  for (const diagnostic& d : ds)
    if (d.line != 0) out.push_back(to_string(d) + " @" + std::to_string(d.byte_offset));
  return out;
}

ingest::stream_result<span_count::state_type> fold(std::string_view text, ingest::read_mode mode,
                                                   std::size_t window, unsigned threads) {
  // fmemopen refuses a zero size; an empty input is read from /dev/null instead.
  std::FILE* f = text.empty() ? std::fopen("/dev/null", "rb")
                              : fmemopen(const_cast<char*>(text.data()), text.size(), "rb");
  if (f == nullptr) fail("cannot open the input as a stream");
  ingest::stream_result<span_count::state_type> r;
  {
    ingest::line_windows in(f, "fuzz.jsonl");
    r = ingest::fold_json_lines(in, span_count{},
                                {.read = {.mode = mode, .source_name = "fuzz.jsonl"},
                                 .threads = threads,
                                 .window_bytes = window});
  }
  std::fclose(f);
  return r;
}

void check(std::string_view text, ingest::read_mode mode, std::size_t window, unsigned threads) {
  const auto small = fold(text, mode, window, threads);
  const auto whole = fold(text, mode, std::size_t{1} << 20, 1);
  const std::string how = std::string(mode == ingest::read_mode::strict ? "strict" : "lenient") +
                          ", window " + std::to_string(window) + ", threads " +
                          std::to_string(threads) + ": ";
  for (const auto* r : {&small, &whole}) {
    const ingest::read_stats& st = r->stats;
    if (st.spans_read != st.spans_kept + st.spans_rejected) fail(how + "counts do not reconcile");
    // Strict mode stops reading at its error: only the bytes of the windows read are counted.
    if (mode == ingest::read_mode::lenient ? st.bytes != text.size() : st.bytes > text.size())
      fail(how + "bytes counted wrong: " + std::to_string(st.bytes));
    if (r->value.spans != st.spans_kept)
      fail(how + "folded " + std::to_string(r->value.spans) + " spans, kept " +
           std::to_string(st.spans_kept));
    if ((st.spans_rejected != 0 || st.documents_failed != 0) && r->error_count() == 0)
      fail(how + "spans rejected or lines abandoned without an error");
    for (const diagnostic& d : r->diagnostics) {
      if (d.message.empty()) fail(how + "diagnostic without a message");
      if (d.line != 0 && (d.file != "fuzz.jsonl" || d.column == 0 || d.byte_offset > text.size()))
        fail(how + "diagnostic without its place: " + to_string(d));
    }
    if (mode == ingest::read_mode::strict && r->error_count() > 1)
      fail(how + "strict mode went on after an error");
    if (mode == ingest::read_mode::lenient && !r->complete) fail(how + "lenient read incomplete");
  }
  ingest::read_stats x = small.stats, y = whole.stats;
  if (mode == ingest::read_mode::strict) x.bytes = y.bytes;  // windows read before the stop
  if (!(x == y)) fail(how + "counts depend on the windows");
  if (small.complete != whole.complete) fail(how + "completeness depends on the windows");
  const auto a = reader_diagnostics(small.diagnostics);
  const auto b = reader_diagnostics(whole.diagnostics);
  for (std::size_t i = 0; i < a.size() || i < b.size(); ++i)
    if (i >= a.size() || i >= b.size() || a[i] != b[i])
      fail(how + "diagnostics depend on the windows:\n  small windows: " +
           (i < a.size() ? a[i] : "(none)") +
           "\n  one window:    " + (i < b.size() ? b[i] : "(none)"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // Windows of 16 bytes to 2 KiB: smaller than most lines, so lines are carried over, taken
  // whole past the window, and cut at every place.
  const std::size_t window = std::size_t{16} << (data[0] % 8);
  const unsigned threads = 1 + (data[1] & 1);
  const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  check(text, ingest::read_mode::lenient, window, threads);
  check(text, ingest::read_mode::strict, window, threads);
  return 0;
}
