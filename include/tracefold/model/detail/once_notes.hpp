#pragma once
/// @file
/// `detail::once_notes`: keeps each once-per-input note to its first occurrence when an input
/// is read in parts.

#include <algorithm>
#include <string>
#include <tracefold/model/diagnostic.hpp>
#include <vector>

namespace tracefold::detail {

/// The once-per-input notes (`diagnostic_code::non_canonical`: "base64 ids were accepted")
/// seen so far in one input. An input read in parts (JSON Lines windows, a thread's share of a
/// file) has a reader per part, and each part's reader makes these notes afresh; whoever joins
/// the parts in input order asks `repeated` of each diagnostic and drops those it says are.
/// Notes are told apart by their message (a reader writes one fixed message per kind).
/// Memory: one string per kind of note seen (a handful).
class once_notes {
 public:
  /// True when `d` is a once-per-input note whose kind was seen before (drop it); otherwise
  /// false, and a once-per-input note is remembered.
  [[nodiscard]] bool repeated(const diagnostic& d) {
    if (d.code != diagnostic_code::non_canonical) return false;
    if (std::find(seen_.begin(), seen_.end(), d.message) != seen_.end()) return true;
    seen_.push_back(d.message);
    return false;
  }

 private:
  std::vector<std::string> seen_;
};

}  // namespace tracefold::detail
