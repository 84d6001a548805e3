// libFuzzer target: arbitrary bytes go through the OTLP-JSON reader in lenient and strict
// mode. Nothing may crash, hang or lose a span without saying so: the counts reconcile, every
// error has a message, and the built trees are well formed. The reader's fast path and its
// general path must read every input the same.
// Build with clang: CXX=clang++ meson setup build-fuzz -Dfuzz=true, then
//   ./build-fuzz/test/fuzz/fuzz_ingest_otlp -dict=test/fuzz/otlp.dict test/golden/ingest
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <support/tree_invariants.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>

#include "../../lib/ingest/otlp_json_reader.hpp"

namespace {

[[noreturn]] void fail(const char* mode, const std::string& what) {
  std::fprintf(stderr, "invariant violated (%s mode): %s\n", mode, what.c_str());
  std::abort();
}

void check(std::string_view input, tracefold::ingest::read_mode mode) {
  const char* name = mode == tracefold::ingest::read_mode::strict ? "strict" : "lenient";
  tracefold::ingest::read_options opt;
  opt.mode = mode;
  opt.source_name = "fuzz.json";
  const tracefold::ingest::read_result r = tracefold::ingest::read_otlp_json(input, opt);
  const auto& st = r.stats;
  if (st.spans_read != st.spans_kept + st.spans_rejected)
    fail(name, "spans_read " + std::to_string(st.spans_read) + " != kept " +
                   std::to_string(st.spans_kept) + " + rejected " +
                   std::to_string(st.spans_rejected));
  if (st.spans_kept != r.traces.span_count())
    fail(name, "spans_kept " + std::to_string(st.spans_kept) + " != span_count " +
                   std::to_string(r.traces.span_count()));
  if (st.bytes != input.size()) fail(name, "bytes not counted");
  if (st.documents_failed > st.documents) fail(name, "more documents failed than read");
  std::size_t errors = 0;
  for (const tracefold::diagnostic& d : r.diagnostics()) {
    if (d.severity != tracefold::severity::error) continue;
    ++errors;
    if (d.message.empty()) fail(name, "error diagnostic without a message");
    if (d.file != "fuzz.json") fail(name, "error diagnostic without the file name");
    if (d.byte_offset > input.size()) fail(name, "diagnostic offset past the input");
    if (d.line == 0 || d.column == 0) fail(name, "error diagnostic without line:column");
  }
  // A rejected span, or a document abandoned, is always reported.
  if ((st.spans_rejected != 0 || st.documents_failed != 0) && errors == 0)
    fail(name, "spans rejected or documents failed without an error diagnostic");
  if (mode == tracefold::ingest::read_mode::strict) {
    if (errors > 1) fail(name, "strict mode went on after an error");
    if (errors == 1 && r.complete) fail(name, "strict mode error but complete");
    if (errors == 0 && !r.complete) fail(name, "strict mode incomplete without an error");
  } else if (!r.complete) {
    fail(name, "lenient read incomplete");
  }
  const std::string err = tft::check_tree_invariants(r.traces, r.traces.span_count());
  if (!err.empty()) fail(name, err);
  // The reader's fast path (spans read from the bytes) must read exactly as its general path.
  tracefold::ingest::detail::set_fast_path(false);
  const tracefold::ingest::read_result g = tracefold::ingest::read_otlp_json(input, opt);
  tracefold::ingest::detail::set_fast_path(true);
  if (!(g.stats == r.stats) || g.complete != r.complete)
    fail(name, "fast and general paths count differently");
  if (g.diagnostics().size() != r.diagnostics().size())
    fail(name, "fast and general paths report differently");
  for (std::size_t i = 0; i < g.diagnostics().size(); ++i)
    if (to_string(g.diagnostics()[i]) != to_string(r.diagnostics()[i]) ||
        g.diagnostics()[i].byte_offset != r.diagnostics()[i].byte_offset)
      fail(name, "fast path: " + to_string(r.diagnostics()[i]) +
                     "\ngeneral path: " + to_string(g.diagnostics()[i]));
  if (g.traces.trace_count() != r.traces.trace_count())
    fail(name, "fast and general paths build different trace counts");
  for (std::size_t t = 0; t < g.traces.trace_count(); ++t) {
    const auto x = r.traces.traces()[t];
    const auto y = g.traces.traces()[t];
    if (x.size() != y.size()) fail(name, "fast and general paths build different traces");
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!(x[i].span() == y[i].span()) || x[i].depth() != y[i].depth())
        fail(name, "fast and general paths read span " + x[i]->span_id.to_hex() + " differently");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check(input, tracefold::ingest::read_mode::lenient);
  check(input, tracefold::ingest::read_mode::strict);
  return 0;
}
