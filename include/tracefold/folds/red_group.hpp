#pragma once
/// @file
/// `folds::red_group`: the statistics of one group of spans (calls, errors, latency).

#include <cstdint>
#include <tracefold/folds/exponential_histogram.hpp>
#include <tracefold/folds/red_key.hpp>

namespace tracefold::folds {

/// Rate, errors and duration of the spans of one `red_key`: what `red_stats` computes per
/// group. The histograms hold nanoseconds; their quantiles are within the relative error
/// stated by `exponential_histogram` (about 0.54% at scale 6), their min and max exact.
struct red_group {
  red_key key;                      ///< the group
  std::uint64_t count = 0;          ///< spans (calls)
  std::uint64_t errors = 0;         ///< spans with status ERROR
  exponential_histogram duration;   ///< span durations (end - start, 0 when end < start)
  exponential_histogram self_time;  ///< span self times (`folds::self_time`)

  /// Adds `other`'s spans (same key): counts add, histograms merge exactly.
  void merge(const red_group& other) {
    count += other.count;
    errors += other.errors;
    duration.merge(other.duration);
    self_time.merge(other.self_time);
  }

  /// Field-wise equality (histograms bucket for bucket).
  friend bool operator==(const red_group&, const red_group&) = default;
};

}  // namespace tracefold::folds
