#pragma once
/// @file
/// `folds::exact_quantiles`: every value kept, for exact quantiles (tests, small groups).

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <tracefold/folds/detail/latency_value.hpp>
#include <tracefold/folds/detail/sort_values.hpp>
#include <tracefold/folds/duration.hpp>
#include <utility>
#include <vector>

namespace tracefold::folds {

/// Keeps **every** value, so its quantiles are exact: the reference `latency_histogram` is
/// tested against, and a fold for groups small enough to keep. O(1) amortised per input and
/// 8 bytes per value (the vector grows geometrically); `done` sorts (a radix sort, O(n)).
/// Mergeable by concatenation.
///
/// Inputs are those of `latency_histogram`, converted the same way: a `span` or `span_ref`
/// (its duration in nanoseconds), an integer, or a number convertible to `double` (rounded to
/// an integer); negative values, NaN and values of 2^64 or more are counted as rejected.
struct exact_quantiles_fn {
  /// The values in input order, and how many inputs were rejected.
  struct state_type {
    std::vector<std::uint64_t> values;  ///< every recorded value
    std::uint64_t rejected = 0;         ///< inputs that were not non-negative integers
    /// Same values in the same order, same rejected count.
    friend bool operator==(const state_type&, const state_type&) = default;
  };

  /// The sorted values, with exact nearest-rank quantiles.
  class result_type {
   public:
    /// No values.
    result_type() = default;
    /// The values of `s`, sorted.
    explicit result_type(state_type s) : values_(std::move(s.values)), rejected_(s.rejected) {
      tracefold::detail::sort_values(values_);
      for (const std::uint64_t v : values_) sum_ += v;
    }
    /// Values kept.
    [[nodiscard]] std::uint64_t count() const noexcept { return values_.size(); }
    /// Inputs not kept (negative, NaN, 2^64 or more).
    [[nodiscard]] std::uint64_t rejected_count() const noexcept { return rejected_; }
    /// The smallest value; 0 when there is none.
    [[nodiscard]] std::uint64_t min() const noexcept {
      return values_.empty() ? 0 : values_.front();
    }
    /// The largest value; 0 when there is none.
    [[nodiscard]] std::uint64_t max() const noexcept {
      return values_.empty() ? 0 : values_.back();
    }
    /// The sum, exact internally (128 bits) and rounded once to a `double`.
    [[nodiscard]] double sum() const noexcept { return static_cast<double>(sum_); }
    /// The value of nearest rank `ceil(q * count())` (rank 1 for `q <= 0`; `q` clamped to
    /// [0, 1]), exactly as `exponential_histogram::quantile` ranks. `nullopt` when empty or
    /// when `q` is NaN. O(1).
    [[nodiscard]] std::optional<std::uint64_t> quantile(double q) const {
      if (values_.empty() || std::isnan(q)) return std::nullopt;
      return values_[detail::nearest_rank(q, values_.size()) - 1];
    }
    /// Every value, ascending.
    [[nodiscard]] std::span<const std::uint64_t> values() const noexcept { return values_; }
    /// Same values and rejected count.
    friend bool operator==(const result_type& a, const result_type& b) {
      return a.values_ == b.values_ && a.rejected_ == b.rejected_;
    }

   private:
    std::vector<std::uint64_t> values_;
    detail::uint128 sum_ = 0;
    std::uint64_t rejected_ = 0;
  };

  /// No values.
  [[nodiscard]] state_type init() const { return {}; }
  /// Keeps the number `x`.
  template <class In>
    requires detail::latency_number<In>
  [[nodiscard]] state_type step(state_type s, const In& x) const {
    if (const std::optional<std::uint64_t> v = detail::to_latency(x)) {
      s.values.push_back(*v);
    } else {
      ++s.rejected;
    }
    return s;
  }
  /// Keeps the duration of span `x` (a `span` or `span_ref`).
  template <class In>
    requires(!detail::latency_number<In> && std::invocable<const duration_fn&, const In&>)
  [[nodiscard]] state_type step(state_type s, const In& x) const {
    return step(std::move(s), duration(x));
  }
  /// `a`'s values then `b`'s.
  [[nodiscard]] state_type merge(state_type a, state_type b) const {
    a.values.insert(a.values.end(), b.values.begin(), b.values.end());
    a.rejected += b.rejected;
    return a;
  }
  /// The values, sorted.
  [[nodiscard]] result_type done(state_type s) const { return result_type(std::move(s)); }
};

/// See `exact_quantiles_fn`.
inline constexpr exact_quantiles_fn exact_quantiles{};

}  // namespace tracefold::folds
