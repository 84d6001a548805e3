#pragma once
/// @file
/// `folds::exponential_histogram`: an OpenTelemetry base-2 exponential histogram of
/// non-negative integers (span durations in nanoseconds), with exact merge and quantiles.

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <tracefold/folds/detail/latency_value.hpp>
#include <utility>
#include <vector>

namespace tracefold::detail {

/// A 256-bit unsigned integer as its high and low 128-bit halves.
struct uint256 {
  uint128 hi;  ///< bits 128..255
  uint128 lo;  ///< bits 0..127
};

/// The full 256-bit product `a * b`.
inline uint256 multiply_wide(uint128 a, uint128 b) noexcept {
  const std::uint64_t a1 = static_cast<std::uint64_t>(a >> 64);
  const std::uint64_t a0 = static_cast<std::uint64_t>(a);
  const std::uint64_t b1 = static_cast<std::uint64_t>(b >> 64);
  const std::uint64_t b0 = static_cast<std::uint64_t>(b);
  const uint128 p00 = uint128(a0) * b0;
  const uint128 p01 = uint128(a0) * b1;
  const uint128 p10 = uint128(a1) * b0;
  const uint128 p11 = uint128(a1) * b1;
  // Bits 64..191 of the cross terms, collected below 2^66 so nothing overflows.
  const uint128 mid =
      (p00 >> 64) + static_cast<std::uint64_t>(p01) + static_cast<std::uint64_t>(p10);
  return {p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64),
          (mid << 64) | static_cast<std::uint64_t>(p00)};
}

/// A positive number `m / 2^127 * 2^e`, `m` in [2^127, 2^128): one end of an interval.
struct wide_float {
  uint128 m;       ///< the mantissa, top bit set
  std::int64_t e;  ///< the binary exponent
};

/// `x * x`, its mantissa truncated to 128 bits (`round_up` false) or rounded up (true).
inline wide_float square(wide_float x, bool round_up) noexcept {
  const uint256 p = multiply_wide(x.m, x.m);  // in [2^254, 2^256)
  wide_float r{};
  uint128 rest = 0;  // the bits dropped from the mantissa
  if ((p.hi >> 127) != 0) {
    r = {p.hi, 2 * x.e + 1};
    rest = p.lo;
  } else {
    r = {(p.hi << 1) | (p.lo >> 127), 2 * x.e};
    rest = p.lo << 1;
  }
  if (round_up && rest != 0 && ++r.m == 0) r = {uint128(1) << 127, r.e + 1};
  return r;
}

/// Whether `(x / 2^63)^(2^scale) > 2^n`, for `x` in (2^63, 2^64), `1 <= scale <= 20`:
/// that is, whether the mantissa `x / 2^63` lies above the bucket boundary `2^(n / 2^scale)`.
///
/// Certified, not estimated: the power is computed by `scale` squarings twice, once rounding
/// every mantissa down and once up (128 bits each), so the true power lies between the two.
/// The answer is given only when both ends agree, else `nullopt`. The relative width of the
/// interval stays below 2^(scale - 126) <= 2^-106, while a 64-bit mantissa comes no closer
/// than about 2^-84 to a boundary (test/folds/exponential_histogram.cpp checks every
/// boundary of scales 1 to 12 and samples of 13 to 20): `nullopt` does not happen in practice.
/// O(scale), about 8 * scale 64-bit multiplications; no allocation.
inline std::optional<bool> power_exceeds(std::uint64_t x, std::int32_t scale,
                                         std::int64_t n) noexcept {
  wide_float lo{uint128(x) << 64, 0};
  wide_float hi = lo;
  for (std::int32_t k = 0; k < scale; ++k) {
    lo = square(lo, false);
    hi = square(hi, true);
  }
  const uint128 one = uint128(1) << 127;
  if (lo.e > n || (lo.e == n && lo.m > one)) return true;
  if (hi.e < n || (hi.e == n && hi.m == one)) return false;
  return std::nullopt;
}

/// One entry of `log2_table`: for the mantissas `m` in `[1 + k/256, 1 + (k+1)/256)`,
/// `inv` is `1 / c` rounded to a double, `c` the middle of that range, and `log2_inv` is
/// `-log2(inv)` of that rounded `inv`, so that `log2(m) = log2_inv + log2(m * inv)` holds
/// exactly and only `m * inv` rounds.
struct log2_entry {
  double inv;       ///< about 1 / (1 + (k + 0.5) / 256)
  double log2_inv;  ///< -log2(inv), to about an ulp
};

/// `ln(x)` for `x` in [1/2, 2], by the series of `2 atanh((x - 1) / (x + 1))` in `long double`;
/// for building `log2_table` at compile time.
constexpr long double series_ln(long double x) noexcept {
  const long double z = (x - 1) / (x + 1);  // |z| <= 1/3
  const long double z2 = z * z;
  long double term = z;
  long double sum = 0;
  for (int k = 1; k < 200 && (term > 1e-30L || term < -1e-30L); k += 2) {
    sum += term / k;
    term *= z2;
  }
  return 2 * sum;
}

/// `ln 2`.
inline constexpr long double ln2 = 0.693147180559945309417232121458176568L;

/// The 256 entries of `log2_table`.
constexpr std::array<log2_entry, 256> make_log2_table() noexcept {
  std::array<log2_entry, 256> t{};
  for (int k = 0; k < 256; ++k) {
    const double inv = 1.0 / (1.0 + (2.0 * k + 1) / 512.0);
    t[static_cast<std::size_t>(k)] = {inv, static_cast<double>(-series_ln(inv) / ln2)};
  }
  return t;
}

/// Table for `log2_mantissa`, indexed by the top 8 bits of the mantissa (4 KiB).
inline constexpr std::array<log2_entry, 256> log2_table = make_log2_table();

/// `log2(m)` for `m` in [1, 2), with an absolute error below 2^-50 (about 2^-51.7 measured):
/// `log2(m) = log2_inv + log2(1 + r)` with `r = m * inv - 1`, `|r| <= 2^-9`, and
/// `log2(1 + r)` by its Taylor series to `r^5` (truncation error `|r|^6 / (6 ln 2)` < 2^-56),
/// evaluated in Estrin's form, whose dependency chain is half as long as Horner's.
/// About 2 ns where `std::log2` takes 7 (bench/aggregate's machine), no libm call.
inline double log2_mantissa(double m) noexcept {
  constexpr double c1 = static_cast<double>(1 / ln2);
  constexpr double c2 = static_cast<double>(-1 / (2 * ln2));
  constexpr double c3 = static_cast<double>(1 / (3 * ln2));
  constexpr double c4 = static_cast<double>(-1 / (4 * ln2));
  constexpr double c5 = static_cast<double>(1 / (5 * ln2));
  const log2_entry& e = log2_table[(std::bit_cast<std::uint64_t>(m) >> 44) & 0xff];
  const double r = m * e.inv - 1;
  const double r2 = r * r;
  return e.log2_inv + (r * (c1 + r * c2) + r2 * r * ((c3 + r * c4) + r2 * c5));
}

/// `floor(log2(x / 2^63) * 2^scale)` for `x` in (2^63, 2^64) (not a power of two),
/// `1 <= scale <= 20`: the bucket of the mantissa `x / 2^63` among the `2^scale` buckets of
/// one binade. `log2_mantissa` settles it unless its estimate lies within 2^-24 of a boundary
/// (in units of buckets; the estimate's error is below 2^(scale - 50) <= 2^-30 units, from
/// `log2_mantissa` and from truncating `x` to 53 bits); `power_exceeds` settles the rest
/// exactly. That slow path takes about 2^-23 of random inputs.
[[gnu::cold]] inline std::int32_t mantissa_index_near_boundary(std::uint64_t x, std::int32_t scale,
                                                               double estimate) noexcept {
  const std::int64_t n = std::llround(estimate);  // the boundary nearby
  const std::int32_t buckets = std::int32_t{1} << scale;
  if (n <= 0) return 0;                  // the boundary is 1: x / 2^63 > 1
  if (n >= buckets) return buckets - 1;  // the boundary is 2: x / 2^63 < 2
  const std::optional<bool> above = power_exceeds(x, scale, n);
  if (!above) return static_cast<std::int32_t>(std::floor(estimate));  // see power_exceeds
  return static_cast<std::int32_t>(*above ? n : n - 1);
}

/// See `mantissa_index_near_boundary`; this is its fast path.
inline std::int32_t mantissa_index(std::uint64_t x, std::int32_t scale) noexcept {
  // The 52 bits below the leading one, as the mantissa of a double in [1, 2) (truncated).
  const double m = std::bit_cast<double>(0x3ff0000000000000ull | ((x << 1) >> 12));
  const double two_to_scale = std::bit_cast<double>(static_cast<std::uint64_t>(1023 + scale) << 52);
  const double t = log2_mantissa(m) * two_to_scale;
  const auto j = static_cast<std::int32_t>(t);
  const double f = t - j;
  if (f > 0x1p-24 && f < 1 - 0x1p-24) [[likely]]
    return j;
  return mantissa_index_near_boundary(x, scale, t);
}

}  // namespace tracefold::detail

namespace tracefold::folds {

/// An OpenTelemetry base-2 exponential histogram (the data of an OTLP
/// `ExponentialHistogramDataPoint`) of non-negative integers, meant for span durations in
/// nanoseconds: `scale`, `zero_count`, the positive buckets as `offset` and `bucket_counts`,
/// `count`, `sum`, `min` and `max`.
///
/// **Buckets.** At scale `s` the base is `2^(2^-s)` and bucket `i` holds the values in
/// `(base^i, base^(i+1)]`; 0 goes to `zero_count`. `map_to_index` is exact, for every value
/// and scale, including powers of two and values next to an irrational boundary.
///
/// **Scale.** Recording starts at `max_scale` (default 20, OpenTelemetry's largest) and halves
/// the resolution (scale - 1: buckets `2i` and `2i + 1` become bucket `i`) as often as needed
/// to keep the buckets between the smallest and largest positive value within `max_size`
/// (default 2048: scale 6 over a range of 2^32, e.g. 1 ns to 4 s, or 1 us to 71 min). So the
/// scale is always the finest whose bucket range fits, which makes the histogram a function of
/// the multiset of recorded values: recording in any order, or merging any split, gives the
/// same histogram (`==` compares every field). The scale never goes below -10, where every
/// `uint64_t` fits in two buckets.
///
/// **Quantiles.** `quantile(q)` takes the nearest rank, `ceil(q * count)`; ranks 1 and `count`
/// give `min` and `max` exactly, and any other rank the point of its bucket `(lo, hi]` with
/// the least worst-case relative error, `2 * lo * hi / (lo + hi)` (the harmonic mean), clamped
/// to `[min, max]` and to the integers the bucket holds. Its relative error is at most
/// `(base - 1) / (base + 1)`: 0.54% at scale 6, 0.27% at 7, 0.14% at 8 (`relative_error_bound`).
///
/// **Inputs.** `record` takes integers and numbers convertible to `double`; a floating-point
/// value is rounded to the nearest integer. Negative values, NaN and values of 2^64 or more
/// cannot be durations: they are counted by `rejected_count` and nowhere else.
///
/// **Cost.** `record` is O(1): a table lookup, a degree-5 polynomial and a few branches,
/// no libm call (bench/aggregate measures it). The buckets live in one `std::vector<uint64_t>`
/// that grows geometrically, at most to `max_size` (16 KiB at 2048), and is not reallocated
/// once the range of values stops growing: no allocation per record in steady state.
/// `merge` and `quantile` are O(buckets). If an allocation throws, `record` and `merge` leave
/// a valid histogram without the new values (its scale may already be lower).
class exponential_histogram {
 public:
  /// OpenTelemetry's finest scale, and the default `max_scale`.
  static constexpr std::int32_t finest_scale = 20;
  /// OpenTelemetry's coarsest scale: every `uint64_t` fits in buckets -1 and 0.
  static constexpr std::int32_t coarsest_scale = -10;
  /// The default bucket limit: scale 6 over a range of 2^32.
  static constexpr std::uint32_t default_max_size = 2048;

  /// Everything a histogram is, as plain numbers: what `to_parts` gives and `from_parts`
  /// rebuilds a histogram from (to serialize one, e.g. `emit::to_red_partial`). Each field is
  /// the accessor of the same name (`sum` is `exact_sum()`, `rejected_count` is
  /// `rejected_count()`); `bucket_counts` is a view the caller keeps alive.
  struct parts {
    std::uint32_t max_size = default_max_size;       ///< the bucket limit, at least 2
    std::int32_t max_scale = finest_scale;           ///< in [-10, 20]
    std::int32_t scale = finest_scale;               ///< in [-10, max_scale]
    std::uint64_t count = 0;                         ///< values, zeros included
    std::uint64_t zero_count = 0;                    ///< values equal to 0
    std::uint64_t rejected_count = 0;                ///< inputs not recorded
    detail::uint128 sum = 0;                         ///< the exact sum of the values
    std::uint64_t min = 0;                           ///< 0 when `count` is 0
    std::uint64_t max = 0;                           ///< 0 when `count` is 0
    std::int32_t offset = 0;                         ///< index of the first bucket; 0 if none
    std::span<const std::uint64_t> bucket_counts{};  ///< trimmed: first and last nonzero
  };

  /// Empty, at the default limits (`max_size` 2048, `max_scale` 20).
  exponential_histogram() = default;

  /// Empty, with at most `max_size` buckets (at least 2) starting at scale `max_scale`
  /// (clamped to [-10, 20]). Allocates nothing until the first positive value.
  explicit exponential_histogram(std::uint32_t max_size, std::int32_t max_scale = finest_scale)
      : scale_(std::clamp(max_scale, coarsest_scale, finest_scale)),
        max_scale_(scale_),
        max_size_(std::max<std::uint32_t>(max_size, 2)) {}

  /// Records `v`. Amortised O(1); allocates only when the range of values grows.
  void record(std::uint64_t v) {
    if (v == 0) {
      ++zero_count_;
    } else {
      const std::int32_t i = map_to_index(v, scale_);
      if (i >= lo_ && i <= hi_) [[likely]] {
        ++counts_[static_cast<std::size_t>(i - base_)];
      } else {
        record_outside(i);  // may allocate; the totals below change only once it succeeded
      }
    }
    ++count_;
    sum_ += v;
    min_ = v < min_ ? v : min_;
    max_ = v > max_ ? v : max_;
  }

  /// Records `x` rounded to an integer, or counts it in `rejected_count` when it is negative,
  /// NaN or at least 2^64.
  template <detail::latency_number T>
    requires(!std::same_as<T, std::uint64_t>)
  void record(const T& x) {
    if (const std::optional<std::uint64_t> v = detail::to_latency(x)) {
      record(*v);
    } else {
      ++rejected_;
    }
  }

  /// Adds `other`'s values to this histogram: afterwards it equals the histogram of both
  /// multisets of values, field for field. Both sides are lowered to the finest scale at
  /// which the combined range fits. Limits differing between the two (not the case for
  /// states of one fold) combine to the smaller `max_size` and `max_scale`.
  /// O(buckets of both); allocates only if the range grows.
  void merge(const exponential_histogram& other) {
    if (&other == this) {
      const exponential_histogram copy = other;
      merge(copy);
      return;
    }
    max_size_ = std::min(max_size_, other.max_size_);
    max_scale_ = std::min(max_scale_, other.max_scale_);
    const bool mine = has_buckets();
    const bool theirs = other.has_buckets();
    std::int32_t s = max_scale_;
    if (mine) s = std::min(s, scale_);
    if (theirs) s = std::min(s, other.scale_);
    std::int32_t lo = std::numeric_limits<std::int32_t>::max();
    std::int32_t hi = std::numeric_limits<std::int32_t>::min();
    if (mine) {
      lo = lo_ >> (scale_ - s);
      hi = hi_ >> (scale_ - s);
    }
    if (theirs) {
      lo = std::min(lo, other.lo_ >> (other.scale_ - s));
      hi = std::max(hi, other.hi_ >> (other.scale_ - s));
    }
    if (mine || theirs) {
      const std::int32_t k = shift_to_fit(lo, hi, s);
      s -= k;
      lo >>= k;
      hi >>= k;
    }
    if (!mine) scale_ = s;  // no buckets to move (even if a failed allocation left it lower)
    downscale(scale_ - s);
    if (theirs) {
      make_room(lo, hi);  // may allocate; nothing below throws
      const std::int32_t d = other.scale_ - s;
      for (std::int32_t i = other.lo_; i <= other.hi_; ++i)
        counts_[static_cast<std::size_t>((i >> d) - base_)] +=
            other.counts_[static_cast<std::size_t>(i - other.base_)];
      lo_ = lo;
      hi_ = hi;
    }
    count_ += other.count_;
    zero_count_ += other.zero_count_;
    rejected_ += other.rejected_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }

  /// Values recorded, zeros included (`zero_count() + ` the bucket counts).
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  /// Values equal to 0.
  [[nodiscard]] std::uint64_t zero_count() const noexcept { return zero_count_; }
  /// Inputs that could not be recorded (negative, NaN, 2^64 or more); not in `count`.
  [[nodiscard]] std::uint64_t rejected_count() const noexcept { return rejected_; }
  /// Sum of the values: exact internally (128 bits), rounded once to a `double` here.
  [[nodiscard]] double sum() const noexcept { return static_cast<double>(sum_); }
  /// Sum of the values, exactly: a 128-bit integer, which no sum of `uint64_t` values can
  /// overflow in practice (it would take 2^64 values of 2^64 - 1).
  [[nodiscard]] detail::uint128 exact_sum() const noexcept { return sum_; }
  /// The smallest value; 0 when `count() == 0`.
  [[nodiscard]] std::uint64_t min() const noexcept { return count_ == 0 ? 0 : min_; }
  /// The largest value; 0 when `count() == 0`.
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  /// The current scale: `base = 2^(2^-scale)`.
  [[nodiscard]] std::int32_t scale() const noexcept { return scale_; }
  /// The scale recording starts at, and the finest it can be.
  [[nodiscard]] std::int32_t max_scale() const noexcept { return max_scale_; }
  /// The largest number of positive buckets.
  [[nodiscard]] std::uint32_t max_size() const noexcept { return max_size_; }
  /// Index of the first positive bucket (that of the smallest positive value): the OTLP
  /// `positive.offset`. 0 when there is none.
  [[nodiscard]] std::int32_t offset() const noexcept { return has_buckets() ? lo_ : 0; }
  /// The positive buckets' counts, from `offset()` to the bucket of `max()`: the OTLP
  /// `positive.bucket_counts`, without leading or trailing zeros. Valid until the next
  /// `record` or `merge`.
  [[nodiscard]] std::span<const std::uint64_t> bucket_counts() const noexcept {
    if (!has_buckets()) return {};
    return {counts_.data() + (lo_ - base_), static_cast<std::size_t>(hi_ - lo_ + 1)};
  }
  /// Lower boundary of bucket `index` (an index, as `offset() + k` for the `k`th count), not
  /// part of the bucket: `base^index`.
  [[nodiscard]] double bucket_lower(std::int32_t index) const noexcept {
    return lower_boundary(index, scale_);
  }
  /// Upper boundary of bucket `index`, part of the bucket: `base^(index + 1)`.
  [[nodiscard]] double bucket_upper(std::int32_t index) const noexcept {
    return lower_boundary(index + 1, scale_);
  }

  /// The value at quantile `q` (clamped to [0, 1]), by nearest rank `ceil(q * count())`:
  /// `min()` and `max()` exactly for ranks 1 and `count()`, 0 for a rank among the zeros,
  /// else the harmonic mean of its bucket's boundaries clamped to `[min(), max()]` and to the
  /// integers in the bucket. Relative error at most `relative_error_bound()`.
  /// `nullopt` when empty or when `q` is NaN. O(buckets).
  [[nodiscard]] std::optional<double> quantile(double q) const {
    if (count_ == 0 || std::isnan(q)) return std::nullopt;
    const std::uint64_t rank = detail::nearest_rank(q, count_);
    if (rank == 1) return static_cast<double>(min_);
    if (rank == count_) return static_cast<double>(max_);
    if (rank <= zero_count_) return 0.0;
    std::uint64_t left = rank - zero_count_;
    for (std::int32_t i = lo_; i <= hi_; ++i) {
      const std::uint64_t c = counts_[static_cast<std::size_t>(i - base_)];
      if (left <= c) return representative(i);
      left -= c;
    }
    return static_cast<double>(max_);  // not reached: the buckets hold count - zero_count
  }

  /// The largest relative error of `quantile` at the current scale: `(base - 1) / (base + 1)`.
  [[nodiscard]] double relative_error_bound() const noexcept {
    const double base = lower_boundary(1, scale_);
    return std::isinf(base) ? 1.0 : (base - 1) / (base + 1);
  }

  /// The bucket of `v >= 1` at `scale` in [-10, 20]: `ceil(log2(v) * 2^scale) - 1`, exactly.
  /// Scale <= 0 and powers of two need only the exponent (`(e << scale) - 1` for `v = 2^e`,
  /// as the OpenTelemetry reference mappings do). Otherwise a table-driven `log2` of the
  /// mantissa (`detail::log2_mantissa`, error < 2^-50, no libm call) gives the bucket, and a value
  /// within 2^-24 of a boundary (in units of buckets) is settled exactly by
  /// `detail::power_exceeds`. So `map_to_index(v, s - k) == map_to_index(v, s) >> k`: buckets nest
  /// across scales, which makes lowering the scale exact.
  [[nodiscard]] static std::int32_t map_to_index(std::uint64_t v, std::int32_t scale) noexcept {
    const std::int32_t e = 63 - std::countl_zero(v);
    const std::uint64_t x = v << (63 - e);  // the mantissa, leading one at bit 63
    // (Not `(v & (v - 1)) == 0`: clang 14 makes that a software popcount without -mpopcnt.)
    const bool power_of_two = x == std::uint64_t{1} << 63;
    if (scale <= 0) return (e - (power_of_two ? 1 : 0)) >> -scale;
    if (power_of_two) return (e << scale) - 1;
    return (e << scale) + detail::mantissa_index(x, scale);
  }

  /// `base^index` at `scale`: the lower boundary of bucket `index` (exact for powers of two,
  /// else within an ulp or two; `inf` above the range of `double`).
  [[nodiscard]] static double lower_boundary(std::int32_t index, std::int32_t scale) noexcept {
    if (scale <= 0) {
      const std::int64_t e = std::int64_t{index} * (std::int64_t{1} << -scale);
      return std::ldexp(1.0, static_cast<int>(std::clamp<std::int64_t>(e, -1100, 1100)));
    }
    const std::int32_t whole = index >> scale;
    const std::int32_t part = index & ((std::int32_t{1} << scale) - 1);
    return std::ldexp(std::exp2(std::ldexp(static_cast<double>(part), -scale)), whole);
  }

  /// This histogram as `parts`: `from_parts(h.to_parts())` equals `h`. The bucket view is
  /// valid until the next `record` or `merge`. O(1), no allocation.
  [[nodiscard]] parts to_parts() const noexcept {
    return {max_size_, max_scale_, scale_, count_,   zero_count_,    rejected_,
            sum_,      min(),      max_,   offset(), bucket_counts()};
  }

  /// Why `from_parts(p)` would refuse `p`, in a phrase ("min is above max"), or an empty
  /// view when `p` is the state of some histogram. The checks, in order:
  /// - limits: `max_scale` in [-10, 20], `scale` in [-10, `max_scale`], `max_size` >= 2, at
  ///   most `max_size` buckets;
  /// - buckets: trimmed (first and last count nonzero), inside the indices of 1 .. 2^64 - 1
  ///   at `scale` (so from -1 to `map_to_index(2^64 - 1, scale)`), `offset` 0 when there are
  ///   none, and then `scale == max_scale` (only positive values lower the scale);
  /// - totals: `zero_count` plus the bucket counts is `count`; an empty histogram has `min`,
  ///   `max` and `sum` 0; otherwise `min <= max`, `min` is 0 exactly when there are zeros,
  ///   `max` is 0 exactly when there are no buckets, `min` (when positive) falls in the first
  ///   bucket and `max` in the last, and `sum` is what `count` values from `min` to `max`
  ///   that include both can add up to.
  ///
  /// A scale coarser than the range needs is accepted (recording picks the finest that fits,
  /// but a histogram whose growth failed to allocate keeps the lower scale).
  /// O(buckets), no allocation.
  [[nodiscard]] static std::string_view parts_problem(const parts& p) noexcept {
    using detail::uint128;
    if (p.max_scale < coarsest_scale || p.max_scale > finest_scale)
      return "max_scale is outside [-10, 20]";
    if (p.scale < coarsest_scale || p.scale > p.max_scale)
      return "scale is outside [-10, max_scale]";
    if (p.max_size < 2) return "max_size is below 2";
    const std::span<const std::uint64_t> b = p.bucket_counts;
    if (b.size() > p.max_size) return "there are more buckets than max_size";
    if (b.empty()) {
      if (p.offset != 0) return "offset is not 0 but there are no buckets";
      if (p.scale != p.max_scale) return "scale is below max_scale but there are no buckets";
    } else {
      if (b.front() == 0 || b.back() == 0) return "the first or the last bucket count is 0";
      const std::int64_t last = std::int64_t{p.offset} + static_cast<std::int64_t>(b.size()) - 1;
      if (p.offset < -1 || last > map_to_index(std::numeric_limits<std::uint64_t>::max(), p.scale))
        return "the buckets lie outside the indices of 1 to 2^64 - 1 at this scale";
    }
    uint128 total = p.zero_count;
    for (const std::uint64_t c : b) total += c;  // at most 2^32 terms: no overflow
    if (total != p.count) return "zero_count plus the bucket counts is not count";
    if (p.count == 0) {
      if (p.min != 0 || p.max != 0 || p.sum != 0) return "count is 0 but min, max or sum is not";
      return {};
    }
    if (p.min > p.max) return "min is above max";
    if ((p.zero_count != 0) != (p.min == 0))
      return p.min == 0 ? "min is 0 but zero_count is 0" : "zero_count is not 0 but min is not 0";
    if (b.empty() != (p.max == 0))
      return b.empty() ? "max is not 0 but there are no buckets" : "max is 0 but there are buckets";
    if (!b.empty()) {
      if (p.min != 0 && map_to_index(p.min, p.scale) != p.offset)
        return "min does not fall in the first bucket";
      if (std::int64_t{map_to_index(p.max, p.scale)} !=
          std::int64_t{p.offset} + static_cast<std::int64_t>(b.size()) - 1)
        return "max does not fall in the last bucket";
    }
    // count values in [min, max], one of them min and one max (the same one when count is 1).
    const uint128 others = p.count - 1;
    const uint128 least = p.count == 1 ? uint128{p.min} : p.min * others + p.max;
    const uint128 most = p.count == 1 ? uint128{p.max} : p.max * others + p.min;
    if (p.sum < least || p.sum > most)
      return "sum is not what count values from min to max can add up to";
    return {};
  }

  /// The histogram whose state is `p` (see `parts_problem` for what makes a state), or
  /// `nullopt` when `p` is no histogram's state. The result equals (`==`) the histogram `p`
  /// was taken from and behaves as it does afterwards: `record`, `merge` and `quantile` give
  /// the same results. O(buckets); allocates the buckets.
  [[nodiscard]] static std::optional<exponential_histogram> from_parts(const parts& p) {
    if (!parts_problem(p).empty()) return std::nullopt;
    exponential_histogram h(p.max_size, p.max_scale);
    h.scale_ = p.scale;
    h.count_ = p.count;
    h.zero_count_ = p.zero_count;
    h.rejected_ = p.rejected_count;
    h.sum_ = p.sum;
    h.min_ = p.count == 0 ? std::numeric_limits<std::uint64_t>::max() : p.min;
    h.max_ = p.max;
    if (!p.bucket_counts.empty()) {
      h.counts_.assign(p.bucket_counts.begin(), p.bucket_counts.end());
      h.base_ = p.offset;
      h.lo_ = p.offset;
      h.hi_ = static_cast<std::int32_t>(p.offset + static_cast<std::int64_t>(h.counts_.size()) - 1);
    }
    return h;
  }

  /// Same limits, scale, counts, sum, min, max and buckets.
  friend bool operator==(const exponential_histogram& a, const exponential_histogram& b) {
    return a.count_ == b.count_ && a.zero_count_ == b.zero_count_ && a.rejected_ == b.rejected_ &&
           a.sum_ == b.sum_ && a.min_ == b.min_ && a.max_ == b.max_ && a.scale_ == b.scale_ &&
           a.max_scale_ == b.max_scale_ && a.max_size_ == b.max_size_ && a.offset() == b.offset() &&
           std::ranges::equal(a.bucket_counts(), b.bucket_counts());
  }

 private:
  [[nodiscard]] bool has_buckets() const noexcept { return lo_ <= hi_; }

  /// How many halvings bring the bucket range `[lo, hi]` at `scale` within `max_size_`.
  [[nodiscard]] std::int32_t shift_to_fit(std::int32_t lo, std::int32_t hi,
                                          std::int32_t scale) const noexcept {
    std::int32_t k = 0;
    while (scale - k > coarsest_scale &&
           std::int64_t{hi >> k} - std::int64_t{lo >> k} + 1 > std::int64_t{max_size_})
      ++k;
    return k;
  }

  /// `record`'s slow path: bucket `i` lies outside the range recorded so far.
  void record_outside(std::int32_t i) {
    std::int32_t lo = std::min(lo_, i);
    std::int32_t hi = std::max(hi_, i);
    const std::int32_t k = shift_to_fit(lo, hi, scale_);
    downscale(k);
    lo >>= k;
    hi >>= k;
    make_room(lo, hi);
    lo_ = lo;
    hi_ = hi;
    ++counts_[static_cast<std::size_t>((i >> k) - base_)];
  }

  /// Lowers the scale by `k`: bucket `i` becomes bucket `i >> k`, in place.
  void downscale(std::int32_t k) noexcept {
    if (k <= 0) return;
    scale_ -= k;
    if (!has_buckets()) return;
    const std::int32_t new_lo = lo_ >> k;
    std::uint64_t* c = counts_.data();
    const std::int32_t first = lo_ - base_;
    // Target positions never pass the source positions, so one forward sweep suffices.
    for (std::int32_t p = 0; p <= hi_ - lo_; ++p) {
      const std::uint64_t n = c[first + p];
      c[first + p] = 0;
      c[((lo_ + p) >> k) - new_lo] += n;
    }
    base_ = new_lo;
    lo_ = new_lo;
    hi_ >>= k;
  }

  /// Makes the buffer cover buckets `[lo, hi]` (at most `max_size_` of them, or the current
  /// size), growing it geometrically and leaving the spare room on the side the range grew.
  void make_room(std::int32_t lo, std::int32_t hi) {
    const auto size = static_cast<std::int64_t>(counts_.size());
    if (lo >= base_ && std::int64_t{hi} - base_ < size) return;
    const std::int64_t need = std::int64_t{hi} - lo + 1;
    std::int64_t new_size = size;
    if (need > size)
      new_size = std::min<std::int64_t>(std::max<std::int64_t>({need, 2 * size, 64}),
                                        std::max<std::int64_t>(max_size_, need));
    std::int64_t new_base = lo;
    if (!has_buckets() || (lo < lo_ && hi > hi_)) {
      new_base = lo - (new_size - need) / 2;
    } else if (lo < lo_) {
      new_base = std::int64_t{hi} - new_size + 1;
    }
    const std::int64_t n = has_buckets() ? std::int64_t{hi_} - lo_ + 1 : 0;
    const std::int64_t from = has_buckets() ? std::int64_t{lo_} - base_ : 0;
    const std::int64_t to = has_buckets() ? std::int64_t{lo_} - new_base : 0;
    if (new_size != size) {
      std::vector<std::uint64_t> fresh(static_cast<std::size_t>(new_size), 0);
      std::copy_n(counts_.data() + from, n, fresh.data() + to);
      counts_ = std::move(fresh);
    } else {
      std::uint64_t* c = counts_.data();
      std::memmove(c + to, c + from, static_cast<std::size_t>(n) * sizeof(std::uint64_t));
      std::fill(c, c + to, std::uint64_t{0});
      std::fill(c + to + n, c + size, std::uint64_t{0});
    }
    base_ = static_cast<std::int32_t>(new_base);
  }

  /// The smallest integer in bucket `i` or above: `map_to_index(v) >= i`; 2^64 - 1 if none.
  [[nodiscard]] std::uint64_t first_integer_from(std::int32_t i) const noexcept {
    constexpr std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
    auto reaches = [&](std::uint64_t v) { return v != 0 && map_to_index(v, scale_) >= i; };
    if (!reaches(top)) return top;
    const double b = lower_boundary(i, scale_);  // within a few ulps of the true boundary
    const std::uint64_t guess = b < 1 ? 1 : b >= 0x1p64 ? top : static_cast<std::uint64_t>(b);
    const std::uint64_t slack = (guess >> 40) + 4;
    std::uint64_t lo = guess > slack ? guess - slack : 0;          // !reaches(lo), or lo == 0
    std::uint64_t hi = guess < top - slack ? guess + slack : top;  // reaches(hi)
    while (lo != 0 && reaches(lo)) lo /= 2;
    while (!reaches(hi)) hi = hi > top / 2 ? top : 2 * hi;
    while (hi - lo > 1) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      (reaches(mid) ? hi : lo) = mid;
    }
    return hi;
  }

  /// `quantile`'s value for a rank in bucket `i`.
  [[nodiscard]] double representative(std::int32_t i) const noexcept {
    const double lower = bucket_lower(i);
    const double upper = bucket_upper(i);
    const double mid = 2 * lower / (1 + lower / upper);  // 2 lo hi / (lo + hi); 2 lo if hi = inf
    const std::uint64_t first = first_integer_from(i);
    const std::uint64_t next = first_integer_from(i + 1);
    const std::uint64_t last = map_to_index(next, scale_) > i ? next - 1 : next;
    const double lo = static_cast<double>(std::max(first, min_));
    const double hi = static_cast<double>(std::min(last, max_));
    return std::clamp(mid, lo, std::max(lo, hi));
  }

  std::vector<std::uint64_t> counts_;  // buckets base_ .. base_ + size - 1; zero outside lo_..hi_
  detail::uint128 sum_ = 0;
  std::uint64_t count_ = 0;
  std::uint64_t zero_count_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t min_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t max_ = 0;
  std::int32_t scale_ = finest_scale;
  std::int32_t max_scale_ = finest_scale;
  std::uint32_t max_size_ = default_max_size;
  std::int32_t lo_ = std::numeric_limits<std::int32_t>::max();  // bucket of the least positive
  std::int32_t hi_ = std::numeric_limits<std::int32_t>::min();  // bucket of the largest value
  std::int32_t base_ = 0;                                       // bucket of counts_[0]
};

}  // namespace tracefold::folds
