#pragma once
/// @file
/// `ingest::read_red_partial`: reads back a RED partial state (`emit::to_red_partial`).

#include <filesystem>
#include <string>
#include <string_view>
#include <tracefold/ingest/red_partial_result.hpp>

namespace tracefold::ingest {

/// Reads a `folds::red_table` from the partial state `emit::to_red_partial` wrote (format in
/// docs/red-partial.md): `read_red_partial(emit::to_red_partial(t)).table == t`. Merging the
/// tables read from the partials of shards gives the table of the whole input.
///
/// The input must be exactly one version-1 document (an optional UTF-8 BOM and whitespace
/// around it allowed), with every field present, none unknown and none twice, each of its
/// type. It must also be consistent: each histogram a possible state
/// (`exponential_histogram::parts_problem`), each group's histograms holding `count` values
/// and at most `count` errors, one value per grouping attribute in each group, no key twice,
/// and the groups' counts adding up to `spans`. Groups come back in `red_table::sort()` order
/// whatever their order in the document.
///
/// Otherwise the result has no table and one error diagnostic (the first problem found),
/// with `source_name` as its file, line, column and byte offset of the offending value, its
/// JSON path (`groups[3].duration.bucket_counts[0]`) and a message, e.g.
/// `part-2.json:4:518: error: groups[3].duration: inconsistent histogram: min is above max`.
/// Codes: `empty_input`, `syntax_error`, `invalid_utf8`, `too_deep` (not JSON);
/// `wrong_shape` (another format or version, a missing or unknown field: `missing_field`
/// for the former); `wrong_type`; `bad_number` (an integer out of range or not canonical);
/// `inconsistent` (the values contradict each other). Never throws on bad input.
///
/// Copies `json` once into a padded buffer (simdjson reads ahead). O(input size), plus
/// O(groups log groups) for the duplicate check and the sort.
[[nodiscard]] red_partial_result read_red_partial(std::string_view json,
                                                  std::string source_name = {});

/// Reads a partial state from a file (see `read_red_partial`), naming the file in
/// diagnostics. A file that cannot be read gives no table and an `io_error` diagnostic.
[[nodiscard]] red_partial_result read_red_partial_file(const std::filesystem::path& path);

}  // namespace tracefold::ingest
