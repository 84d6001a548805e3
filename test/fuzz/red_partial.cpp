// libFuzzer target: arbitrary bytes go through read_red_partial. Nothing may crash or hang;
// a rejected input has exactly one located error diagnostic and no table; an accepted one has
// no diagnostic, is consistent (groups' counts add up to spans, histograms hold one value per
// span), re-serializes to a partial that reads back equal and serializes to the same text,
// and survives merging with itself and quantile queries.
// Build with clang: CXX=clang++ meson setup build-fuzz -Dfuzz=true, then
//   ./build-fuzz/test/fuzz/fuzz_red_partial -dict=test/fuzz/red_partial.dict \
//       test/fuzz/red_partial_seeds
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tracefold/emit/red_partial.hpp>
#include <tracefold/ingest/read_red_partial.hpp>

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "invariant violated: %s\n", what.c_str());
  std::abort();
}

/// The checks on a table that was read: totals, re-serialization, merge and quantiles.
void check_table(const tracefold::folds::red_table& t) {
  tracefold::detail::uint128 total = 0;
  for (const tracefold::folds::red_group& g : t.groups) {
    total += g.count;
    if (g.errors > g.count) fail("a group has more errors than spans");
    if (g.duration.count() != g.count || g.self_time.count() != g.count)
      fail("a histogram does not hold one value per span");
    if (g.key.attributes.size() != t.attribute_names.size())
      fail("a group has the wrong number of attribute values");
    for (const double q : {0.0, 0.5, 0.99, 1.0}) {
      const auto v = g.duration.quantile(q);
      if (g.count != 0 && (!v || *v < static_cast<double>(g.duration.min()) ||
                           *v > static_cast<double>(g.duration.max())))
        fail("a quantile outside [min, max]");
    }
  }
  if (total != t.spans) fail("the groups' counts do not add up to spans");

  const std::string text = tracefold::emit::to_red_partial(t);
  const tracefold::ingest::red_partial_result again =
      tracefold::ingest::read_red_partial(text, "again.json");
  if (!again.table) {
    fail("a table read from the input does not read back from its own partial: " +
         (again.diagnostics.empty() ? std::string("no diagnostic")
                                    : tracefold::to_string(again.diagnostics[0])));
  }
  if (!(*again.table == t)) fail("the table read back differs from the table written");
  if (tracefold::emit::to_red_partial(*again.table) != text)
    fail("writing the table read back gives different text");

  tracefold::folds::red_table doubled = t;
  doubled.merge(t);
  if (doubled.groups.size() != t.groups.size()) fail("merging a table with itself added groups");
  // Counts below 2^63 do not wrap when doubled (each histogram holds at most `spans` values,
  // so its sum stays below 2^127): the merged histograms must be valid states.
  if (t.spans >= std::uint64_t{1} << 63) return;
  for (const tracefold::folds::red_group& g : doubled.groups)
    for (const auto* h : {&g.duration, &g.self_time})
      if (const auto why = tracefold::folds::exponential_histogram::parts_problem(h->to_parts());
          !why.empty())
        fail("a merged histogram is no histogram's state: " + std::string(why));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const tracefold::ingest::red_partial_result r =
      tracefold::ingest::read_red_partial(input, "fuzz.json");
  if (r.table) {
    if (!r.diagnostics.empty()) fail("a table and a diagnostic");
    check_table(*r.table);
    return 0;
  }
  if (r.diagnostics.size() != 1) fail("a rejected input without exactly one diagnostic");
  const tracefold::diagnostic& d = r.diagnostics[0];
  if (d.severity != tracefold::severity::error) fail("a rejection that is not an error");
  if (d.message.empty()) fail("a diagnostic without a message");
  if (d.file != "fuzz.json") fail("a diagnostic without the file name");
  if (d.byte_offset > input.size()) fail("a diagnostic offset past the input");
  if (d.line == 0 || d.column == 0) fail("a diagnostic without line:column");
  return 0;
}
