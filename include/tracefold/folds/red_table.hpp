#pragma once
/// @file
/// `folds::red_table`: the result of `red_stats`, mergeable across shards.

#include <algorithm>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <tracefold/folds/red_dimensions.hpp>
#include <tracefold/folds/red_group.hpp>
#include <vector>

namespace tracefold::folds {

/// Per-operation rate, errors and duration for a set of traces: `red_stats`' result.
///
/// `groups` are sorted by total duration (the sum of the durations), largest first, ties by
/// key, so the first rows are where the time goes. Two tables over disjoint inputs, grouped
/// by the same attributes, `merge` into the table of the union: counts add and histograms
/// merge exactly, so a batch split over processes gives the same table as one run.
struct red_table {
  std::uint64_t spans = 0;                   ///< spans folded
  std::uint64_t traces = 0;                  ///< traces folded
  std::vector<std::string> attribute_names;  ///< the grouping attributes, as named
  red_dimensions dimensions{};               ///< which span dimensions form the keys
  bool exact = false;                        ///< whether groups kept every value (exact mode)
  std::vector<red_group> groups;             ///< one per key, in `sort()` order

  /// Puts `groups` in their documented order: total duration descending, then key.
  void sort() {
    std::sort(groups.begin(), groups.end(), [](const red_group& a, const red_group& b) {
      if (a.duration.sum() != b.duration.sum()) return a.duration.sum() > b.duration.sum();
      return a.key < b.key;
    });
  }

  /// Adds `other` (a table over other traces): the result equals the table of both inputs.
  /// Throws `std::invalid_argument` when the two were grouped by different attributes or
  /// dimensions, or only one of them is exact.
  void merge(const red_table& other) {
    if (other.attribute_names != attribute_names)
      throw std::invalid_argument(
          "red_table::merge: the tables were grouped by different attributes");
    if (other.dimensions != dimensions)
      throw std::invalid_argument(
          "red_table::merge: the tables were grouped by different dimensions");
    if (other.exact != exact)
      throw std::invalid_argument("red_table::merge: only one of the tables is exact");
    spans += other.spans;
    traces += other.traces;
    std::map<red_key, std::size_t> at;
    for (std::size_t i = 0; i < groups.size(); ++i) at.emplace(groups[i].key, i);
    for (const red_group& g : other.groups) {
      auto it = at.find(g.key);
      if (it == at.end()) {
        at.emplace(g.key, groups.size());
        groups.push_back(g);
      } else {
        groups[it->second].merge(g);
      }
    }
    sort();
  }

  /// Field-wise equality, groups in order.
  friend bool operator==(const red_table&, const red_table&) = default;
};

}  // namespace tracefold::folds
