#pragma once
/// @file
/// `ingest::red_partial_result`: what reading a RED partial state gave: the table, or why not.

#include <optional>
#include <string>
#include <tracefold/folds/red_table.hpp>
#include <tracefold/ingest/read_result.hpp>
#include <tracefold/model/diagnostic.hpp>
#include <utility>
#include <vector>

namespace tracefold::ingest {

/// The result of `read_red_partial`: the table when the whole document was valid, else no
/// table and the diagnostic saying where and why.
///
/// All or nothing: a partial state is the exact totals of one shard, and merging part of one
/// would give totals that are silently wrong, so a document with any error gives no table
/// at all (there is no lenient mode).
struct red_partial_result {
  std::optional<folds::red_table> table;  ///< the table, or nullopt when the input was rejected
  std::vector<diagnostic> diagnostics;    ///< empty when `table` is set; else why not (errors)

  /// True when the table was read.
  [[nodiscard]] bool ok() const noexcept { return table.has_value(); }

  /// The table; throws `read_error` naming the first diagnostic when there is none.
  [[nodiscard]] folds::red_table value() && {
    if (table) return std::move(*table);
    throw read_error(diagnostics.empty() ? std::string("no RED partial state was read")
                                         : to_string(diagnostics.front()));
  }
};

}  // namespace tracefold::ingest
