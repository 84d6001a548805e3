#pragma once
/// @file
/// `folds::red_group`: the statistics of one group of spans (calls, errors, latency).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <tracefold/folds/detail/latency_value.hpp>
#include <tracefold/folds/exponential_histogram.hpp>
#include <tracefold/folds/red_key.hpp>
#include <vector>

namespace tracefold::folds {

/// Rate, errors and duration of the spans of one `red_key`: what `red_stats` computes per
/// group. The histograms hold nanoseconds; their quantiles are within the relative error
/// stated by `exponential_histogram` (about 0.54% at scale 6), their min and max exact.
///
/// With `red_options::exact`, the group also keeps every duration and self time, sorted
/// ascending (8 bytes per span each), and `duration_quantile` / `self_time_quantile` are
/// exact nearest-rank quantiles; without it those vectors are empty and the quantiles are the
/// histograms' estimates.
struct red_group {
  red_key key;                      ///< the group
  std::uint64_t count = 0;          ///< spans (calls)
  std::uint64_t errors = 0;         ///< spans with status ERROR
  exponential_histogram duration;   ///< span durations (end - start, 0 when end < start)
  exponential_histogram self_time;  ///< span self times (`folds::self_time`)
  std::vector<std::uint64_t> exact_duration{};   ///< every duration, ascending (exact mode)
  std::vector<std::uint64_t> exact_self_time{};  ///< every self time, ascending (exact mode)

  /// Adds `other`'s spans (same key): counts add, histograms merge exactly, kept values
  /// merge in order. O(buckets + kept values).
  void merge(const red_group& other) {
    count += other.count;
    errors += other.errors;
    duration.merge(other.duration);
    self_time.merge(other.self_time);
    merge_sorted(exact_duration, other.exact_duration);
    merge_sorted(exact_self_time, other.exact_self_time);
  }

  /// Quantile `q` of the durations: the value of nearest rank `ceil(q * n)` (at least 1) when
  /// the values are kept, else the histogram's estimate. `nullopt` when there are none. O(1).
  [[nodiscard]] std::optional<double> duration_quantile(double q) const {
    return quantile_of(exact_duration, duration, q);
  }
  /// Quantile `q` of the self times, as `duration_quantile`.
  [[nodiscard]] std::optional<double> self_time_quantile(double q) const {
    return quantile_of(exact_self_time, self_time, q);
  }

  /// Field-wise equality (histograms bucket for bucket).
  friend bool operator==(const red_group&, const red_group&) = default;

 private:
  static void merge_sorted(std::vector<std::uint64_t>& into,
                           const std::vector<std::uint64_t>& from) {
    if (from.empty()) return;
    const auto mid = static_cast<std::ptrdiff_t>(into.size());
    into.insert(into.end(), from.begin(), from.end());
    std::inplace_merge(into.begin(), into.begin() + mid, into.end());
  }
  static std::optional<double> quantile_of(const std::vector<std::uint64_t>& kept,
                                           const exponential_histogram& h, double q) {
    if (kept.empty() || q != q) return h.quantile(q);
    return static_cast<double>(kept[tracefold::detail::nearest_rank(q, kept.size()) - 1]);
  }
};

}  // namespace tracefold::folds
