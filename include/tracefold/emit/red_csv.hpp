#pragma once
/// @file
/// `emit::to_red_csv`: a `folds::red_table` as CSV (RFC 4180).

#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/folds/red_table.hpp>

namespace tracefold::emit {

/// Options of the CSV writer.
struct red_csv_options {
  /// Defuse spreadsheet formulas ("CSV injection"): a text field that starts with '=', '+',
  /// '-', '@', a tab or a carriage return gets a leading single quote (`'`) and is quoted, as
  /// OWASP advises. Off by default, because it alters the data (a route "-1" becomes "'-1"):
  /// turn it on when the file is meant to be opened in Excel, LibreOffice or Google Sheets.
  /// Only the fields that come from spans are touched (service, name, attribute values and
  /// names); numbers, kinds and statuses never start with such a character.
  bool spreadsheet_safe = false;
  /// End records with CRLF, as RFC 4180 says; false writes LF.
  bool crlf = true;
};

/// Writes a `red_table` as CSV: a header row, then one record per group in the table's order
/// (total duration, largest first).
///
/// Header: `service,name,kind,status,<attribute names...>,count,errors,` then for `duration`
/// and then `self_time` the columns `<h>_min_ns,<h>_max_ns,<h>_sum_ns,<h>_p50_ns,<h>_p90_ns,`
/// `<h>_p95_ns,<h>_p99_ns`. Kind and status are lowercase names (`to_string`: "server",
/// "error"). Numbers are decimal integers: min, max and the counts are exact; quantiles are the
/// histogram's estimates rounded to the nanosecond; the sum is
/// `exponential_histogram::exact_sum()`, exact at any size (128 bits).
///
/// Quoting per RFC 4180: a field is enclosed in double quotes when it contains a comma, a
/// double quote, CR, LF or another control character, or starts or ends with a space; a
/// double quote inside is doubled. An attribute a group does not have is an empty field; an
/// attribute whose value is the empty string is `""`, so the two stay apart. Invalid UTF-8
/// becomes U+FFFD; nothing else in the data is changed unless `spreadsheet_safe` is set.
///
/// A function object (`map_result(emit::to_red_csv, folds::red_stats{})` is a fold over
/// traces). O(groups × columns); the sink overload hands the output over in chunks of
/// about 1 MiB.
struct to_red_csv_fn {
  /// The table as a string.
  [[nodiscard]] std::string operator()(const folds::red_table& table,
                                       const red_csv_options& options = {}) const;
  /// Writes the table to `out`, which must not be empty.
  void operator()(const folds::red_table& table, const red_csv_options& options,
                  const sink& out) const;
};

/// See `to_red_csv_fn`: `emit::to_red_csv(table)`, or `emit::to_red_csv(table, options, out)`.
inline constexpr to_red_csv_fn to_red_csv{};

}  // namespace tracefold::emit
