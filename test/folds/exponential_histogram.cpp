#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/exact_quantiles.hpp>
#include <tracefold/folds/exponential_histogram.hpp>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;
using hist = folds::exponential_histogram;

namespace {

constexpr std::uint64_t ns_per_us = 1'000;
constexpr std::uint64_t ns_per_s = 1'000'000'000;
constexpr std::uint64_t ns_per_day = 86'400 * ns_per_s;
constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

/// `ceil(log2(v) * 2^scale) - 1` computed in `long double` (64-bit mantissa on x86-64): an
/// independent reference wherever `log2(v) * 2^scale` is not within 1e-9 of an integer, and
/// for powers of two (`nullopt` for the other near-ties, where it cannot be trusted).
std::optional<std::int64_t> reference_index(std::uint64_t v, int scale) {
  if ((v & (v - 1)) == 0) {
    const long double e = static_cast<long double>(std::countr_zero(v));
    return static_cast<std::int64_t>(std::ceil(e * std::ldexp(1.0L, scale))) - 1;
  }
  const long double t = std::log2(static_cast<long double>(v)) * std::ldexp(1.0L, scale);
  if (std::fabs(t - std::round(t)) < 1e-9L) return std::nullopt;
  return static_cast<std::int64_t>(std::ceil(t)) - 1;
}

/// Log-uniform integers in [lo, hi].
std::vector<std::uint64_t> log_uniform(std::size_t n, std::uint64_t lo, std::uint64_t hi,
                                       std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(std::log(static_cast<double>(lo)),
                                           std::log(static_cast<double>(hi)));
  std::vector<std::uint64_t> out(n);
  for (auto& x : out) {
    const double d = std::round(std::exp(u(rng)));
    x = std::clamp(static_cast<std::uint64_t>(d), lo, hi);
  }
  return out;
}

/// Pareto-distributed integers: `x_min / U^(1 / alpha)`, capped at 2^62.
std::vector<std::uint64_t> pareto(std::size_t n, double x_min, double alpha, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0x1p-53, 1.0);
  std::vector<std::uint64_t> out(n);
  for (auto& x : out)
    x = static_cast<std::uint64_t>(
        std::min(std::round(x_min / std::pow(u(rng), 1 / alpha)), 0x1p62));
  return out;
}

hist record_all(const std::vector<std::uint64_t>& xs, std::uint32_t max_size = 2048) {
  hist h(max_size);
  for (const std::uint64_t v : xs) h.record(v);
  return h;
}

constexpr double quantiles[] = {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1};

/// `(2^(2^-scale) - 1) / (2^(2^-scale) + 1)`.
double bound_at(int scale) {
  const double base = std::exp2(std::ldexp(1.0, -scale));
  return (base - 1) / (base + 1);
}

/// Checks every quantile of `h` against the exact one within the bound of `h`'s scale, min
/// and max exactly, and the count, sum, min and max of `h` against `xs`.
void check_quantiles(const std::vector<std::uint64_t>& xs, const hist& h) {
  const auto exact = tf::run(folds::exact_quantiles, xs);
  REQUIRE(h.count() == xs.size());
  CHECK(h.min() == exact.min());
  CHECK(h.max() == exact.max());
  CHECK(h.sum() == exact.sum());
  const double bound = h.relative_error_bound();
  CHECK(bound == doctest::Approx(bound_at(h.scale())).epsilon(1e-12));
  for (const double q : quantiles) {
    CAPTURE(q);
    const double want = static_cast<double>(*exact.quantile(q));
    const double got = *h.quantile(q);
    CAPTURE(want);
    CAPTURE(got);
    CHECK(std::abs(got - want) <= bound * want * (1 + 1e-9));
    CHECK(got >= static_cast<double>(h.min()));
    CHECK(got <= static_cast<double>(h.max()));
  }
  CHECK(*h.quantile(0) == static_cast<double>(exact.min()));
  CHECK(*h.quantile(1) == static_cast<double>(exact.max()));
}

/// The 64-bit mantissa `x` (in (2^63, 2^64)) nearest `2^(n / 2^scale) * 2^63`, from long double.
std::uint64_t mantissa_near_boundary(std::int64_t n, int scale) {
  const long double b = std::exp2(static_cast<long double>(n) / std::ldexp(1.0L, scale));
  return static_cast<std::uint64_t>(std::round(std::ldexp(b - 1, 63))) + (std::uint64_t{1} << 63);
}

}  // namespace

// ---- index mapping -------------------------------------------------------------------------

TEST_CASE("map_to_index is exact at powers of two and their neighbours, scales -10 to 20") {
  for (int s = -10; s <= 20; ++s) {
    CAPTURE(s);
    for (int e = 0; e < 64; ++e) {
      CAPTURE(e);
      const std::uint64_t v = std::uint64_t{1} << e;
      // 2^e is the upper boundary of its bucket (base^i, base^(i+1)], i + 1 = e * 2^s.
      const std::int32_t want = s > 0 ? (e << s) - 1 : (e - 1) >> -s;
      CHECK(hist::map_to_index(v, s) == want);
      if (s >= 0) CHECK(hist::lower_boundary(want + 1, s) == std::ldexp(1.0, e));
      CHECK(hist::lower_boundary(want, s) < std::ldexp(1.0, e));
      CHECK(hist::lower_boundary(want + 1, s) >= std::ldexp(1.0, e));
      if (s <= 0) CHECK(hist::map_to_index(v + 1, s) == (e >> -s));
      if (s > 0 && v > 1) CHECK(hist::map_to_index(v + 1, s) >= (e << s));
      for (std::uint64_t w : {v - 2, v - 1, v + 1, v + 2}) {
        if (w == 0) continue;
        CAPTURE(w);
        if (const auto r = reference_index(w, s)) CHECK(hist::map_to_index(w, s) == *r);
      }
    }
  }
  CHECK(hist::map_to_index(u64_max, 20) == (64 << 20) - 1);
  CHECK(hist::map_to_index(u64_max, 0) == 63);
  CHECK(hist::map_to_index(u64_max, -10) == 0);
  CHECK(hist::map_to_index(1, -10) == -1);
  CHECK(hist::map_to_index(2, -10) == 0);
}

TEST_CASE("map_to_index is exact on both sides of every bucket boundary from 1 ns to 1 day") {
  // For boundary b = 2^(k / 2^s) (irrational unless k is a multiple of 2^s), the integers
  // floor(b) and floor(b) + 1 lie on its two sides: bucket < k and bucket >= k. Scales up to 12
  // are tried at every boundary, finer ones at a seeded sample of 40,000 boundaries each.
  std::mt19937_64 rng(4);
  std::size_t tried = 0;
  std::size_t ambiguous = 0;
  for (int s = 1; s <= 20; ++s) {
    CAPTURE(s);
    const std::int64_t per_binade = std::int64_t{1} << s;
    const std::int64_t last = 47 * per_binade;  // 2^47 ns > 1 day
    auto check_boundary = [&](std::int64_t k) {
      const long double b =
          std::exp2(static_cast<long double>(k) / static_cast<long double>(per_binade));
      const long double below = std::floor(b);
      if (b - below < 1e-6L || below + 1 - b < 1e-6L) {
        ++ambiguous;  // too close to an integer to trust long double: power_exceeds tests it
        return;
      }
      const auto lo = static_cast<std::uint64_t>(below);
      if (lo == 0 || lo > ns_per_day) return;
      CAPTURE(k);
      CAPTURE(lo);
      CHECK(hist::map_to_index(lo, s) < k);
      CHECK(hist::map_to_index(lo + 1, s) >= k);
      ++tried;
    };
    if (s <= 12) {
      for (std::int64_t k = 1; k < last; ++k)
        if (k % per_binade != 0) check_boundary(k);
    } else {
      std::uniform_int_distribution<std::int64_t> pick(1, last - 1);
      for (int i = 0; i < 40'000; ++i) check_boundary(pick(rng));
    }
  }
  MESSAGE(tried, " boundaries checked, ", ambiguous, " too close to an integer for long double");
  CHECK(tried > 650'000);
}

TEST_CASE("map_to_index agrees with a long double reference on values from 1 ns to 1 day") {
  const auto xs = log_uniform(100'000, 1, ns_per_day, 1);
  std::mt19937_64 rng(2);
  std::vector<std::uint64_t> big(20'000);  // beyond 2^53, where a double cannot hold the value
  for (auto& x : big) x = rng() | (std::uint64_t{1} << 62);
  std::size_t compared = 0;
  for (int s = -10; s <= 20; ++s) {
    CAPTURE(s);
    for (const std::vector<std::uint64_t>* set :
         {&xs, static_cast<const std::vector<std::uint64_t>*>(&big)}) {
      for (const std::uint64_t v : *set) {
        const auto r = reference_index(v, s);
        if (!r) continue;
        CAPTURE(v);
        REQUIRE(hist::map_to_index(v, s) == *r);
        ++compared;
      }
    }
  }
  CHECK(compared > 3'500'000);
}

TEST_CASE("buckets nest across scales: map_to_index(v, s - k) == map_to_index(v, s) >> k") {
  std::vector<std::uint64_t> xs = log_uniform(20'000, 1, u64_max / 2, 3);
  // Values next to boundaries of scale 20, where an inexact mapping would break nesting.
  std::mt19937_64 rng(5);
  for (int i = 0; i < 2'000; ++i) {
    const auto k = std::uniform_int_distribution<std::int64_t>(1, (1 << 20) - 1)(rng);
    const std::uint64_t x = mantissa_near_boundary(k, 20);
    for (std::uint64_t d = 0; d < 3; ++d) {
      xs.push_back(x - d);
      xs.push_back(x + d);
      xs.push_back((x - d) >> 20);  // the same mantissa as a smaller integer, when exact
    }
  }
  for (const std::uint64_t v : xs) {
    if (v == 0) continue;
    CAPTURE(v);
    const std::int32_t fine = hist::map_to_index(v, 20);
    for (int s = -10; s < 20; ++s) {
      CAPTURE(s);
      REQUIRE(hist::map_to_index(v, s) == fine >> (20 - s));
    }
  }
}

TEST_CASE("power_exceeds decides every 64-bit mantissa next to a boundary") {
  // The certified comparison must never come back undecided: try the five 64-bit mantissas
  // nearest each boundary, every boundary of scales 1 to 12 and 4,000 of each finer scale.
  std::mt19937_64 rng(6);
  std::size_t decided = 0;
  for (int s = 1; s <= 20; ++s) {
    CAPTURE(s);
    const std::int64_t buckets = std::int64_t{1} << s;
    auto check_boundary = [&](std::int64_t n) {
      const std::uint64_t x = mantissa_near_boundary(n, s);
      const long double b =
          std::exp2(static_cast<long double>(n) / static_cast<long double>(buckets));
      for (std::uint64_t y = x - 2; y != x + 3; ++y) {
        CAPTURE(n);
        CAPTURE(y);
        const std::optional<bool> above = tf::detail::power_exceeds(y, s, n);
        REQUIRE(above.has_value());
        ++decided;
        // Where long double can tell (not the nearest mantissas), it agrees.
        const long double m = std::ldexp(static_cast<long double>(y), -63);
        if (std::fabs(m - b) > 1e-17L) CHECK(*above == (m > b));
        // And the index follows the decision.
        const std::int32_t j = tf::detail::mantissa_index(y, s);
        CHECK(j == (*above ? n : n - 1));
      }
    };
    if (s <= 12) {
      for (std::int64_t n = 1; n < buckets; ++n) check_boundary(n);
    } else {
      for (int i = 0; i < 4'000; ++i)
        check_boundary(std::uniform_int_distribution<std::int64_t>(1, buckets - 1)(rng));
    }
  }
  CHECK(decided == 5 * ((std::size_t{1} << 13) - 2 - 12 + 8 * 4'000));  // sum of 2^s - 1, s <= 12
}

TEST_CASE("lower_boundary and bucket_lower/upper bracket the values of each bucket") {
  const auto xs = log_uniform(5'000, 1, ns_per_day, 7);
  for (int s : {-10, -3, 0, 1, 6, 13, 20}) {
    CAPTURE(s);
    for (const std::uint64_t v : xs) {
      const std::int32_t i = hist::map_to_index(v, s);
      const long double x = static_cast<long double>(v);
      CHECK(hist::lower_boundary(i, s) <= x * (1 + 1e-15L));
      CHECK(hist::lower_boundary(i + 1, s) >= x * (1 - 1e-15L));
    }
  }
  hist h(2048, 6);
  h.record(1000);
  CHECK(h.bucket_lower(h.offset()) < 1000.0);
  CHECK(h.bucket_upper(h.offset()) >= 1000.0);
  CHECK(h.bucket_upper(h.offset()) / h.bucket_lower(h.offset()) ==
        doctest::Approx(std::exp2(1.0 / 64)).epsilon(1e-14));
}

// ---- recording -----------------------------------------------------------------------------

TEST_CASE("an empty histogram") {
  const hist h;
  CHECK(h.count() == 0);
  CHECK(h.zero_count() == 0);
  CHECK(h.rejected_count() == 0);
  CHECK(h.sum() == 0);
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  CHECK(h.scale() == 20);
  CHECK(h.max_scale() == 20);
  CHECK(h.max_size() == 2048);
  CHECK(h.offset() == 0);
  CHECK(h.bucket_counts().empty());
  CHECK_FALSE(h.quantile(0.5).has_value());
  CHECK(h == hist(2048, 20));
  CHECK_FALSE(h == hist(2048, 19));
  CHECK_FALSE(h == hist(160, 20));
  // Limits are clamped.
  CHECK(hist(0, 99).max_size() == 2);
  CHECK(hist(0, 99).scale() == 20);
  CHECK(hist(10, -99).scale() == -10);
}

TEST_CASE("a single value") {
  for (std::uint64_t v :
       {std::uint64_t{1}, std::uint64_t{3}, std::uint64_t{1'234'567}, ns_per_day, u64_max}) {
    CAPTURE(v);
    hist h;
    h.record(v);
    CHECK(h.count() == 1);
    CHECK(h.zero_count() == 0);
    CHECK(h.sum() == static_cast<double>(v));
    CHECK(h.min() == v);
    CHECK(h.max() == v);
    CHECK(h.scale() == 20);
    CHECK(h.offset() == hist::map_to_index(v, 20));
    REQUIRE(h.bucket_counts().size() == 1);
    CHECK(h.bucket_counts()[0] == 1);
    for (const double q : quantiles) CHECK(*h.quantile(q) == static_cast<double>(v));
  }
}

TEST_CASE("zeros go to zero_count; negative, NaN and huge inputs are rejected") {
  hist h;
  h.record(std::uint64_t{0});
  h.record(0);
  h.record(0.2);  // rounds to 0
  CHECK(h.count() == 3);
  CHECK(h.zero_count() == 3);
  CHECK(h.bucket_counts().empty());
  CHECK(*h.quantile(0.5) == 0.0);
  CHECK(*h.quantile(1) == 0.0);
  h.record(-1);
  h.record(std::int64_t{-5});
  h.record(-0.7);
  h.record(std::nan(""));
  h.record(std::numeric_limits<double>::infinity());
  h.record(0x1p64);
  CHECK(h.rejected_count() == 6);
  CHECK(h.count() == 3);
  h.record(2.5);  // rounds half away from zero
  h.record(7.4);
  h.record(std::uint8_t{9});
  h.record(0x1p63);
  CHECK(h.count() == 7);
  CHECK(h.max() == std::uint64_t{1} << 63);
  CHECK(h.min() == 0);
  CHECK(h.sum() == 3.0 + 7 + 9 + 0x1p63);
  CHECK(h.zero_count() == 3);
}

TEST_CASE("sums are exact beyond 2^53 and 2^64") {
  hist h;
  h.record(std::uint64_t{1} << 63);
  h.record(std::uint64_t{1} << 63);
  h.record(std::uint64_t{1} << 63);
  CHECK(h.sum() == 3 * 0x1p63);
  hist g;
  for (int i = 0; i < 1000; ++i) g.record((std::uint64_t{1} << 53) + 1);
  const std::uint64_t exact = 1000 * ((std::uint64_t{1} << 53) + 1);
  CHECK(g.sum() == static_cast<double>(exact));
  CHECK(g.sum() != 1000 * 0x1p53);  // what a running double sum gives: every + 1 is lost
}

TEST_CASE("the scale drops when the range grows: 1 then 2^40") {
  hist h;
  h.record(1);
  CHECK(h.scale() == 20);
  const std::uint64_t big = std::uint64_t{1} << 40;
  h.record(big);
  // Buckets -1 (value 1) to 40 * 2^s - 1 (value 2^40): 40 * 2^s + 1 <= 2048 gives s = 5.
  CHECK(h.scale() == 5);
  CHECK(h.count() == 2);
  CHECK(h.min() == 1);
  CHECK(h.max() == big);
  CHECK(h.sum() == static_cast<double>(big + 1));
  CHECK(h.offset() == -1);
  REQUIRE(h.bucket_counts().size() == 40 * 32 + 1);
  CHECK(h.bucket_counts().front() == 1);
  CHECK(h.bucket_counts().back() == 1);
  CHECK(*h.quantile(0) == 1.0);
  CHECK(*h.quantile(1) == static_cast<double>(big));
  // Smaller limits drop further.
  hist small(16);
  small.record(1);
  small.record(big);
  CHECK(small.scale() == -2);  // buckets -1 to 9: 11 <= 16; at scale -1, -1 to 19: 21 > 16
  CHECK(small.bucket_counts().size() == 11);
  // The same range recorded the other way round, and downwards, gives the same histogram.
  hist reversed;
  reversed.record(big);
  reversed.record(1);
  CHECK(reversed == h);
}

TEST_CASE("the scale is the finest that fits, whatever the order of the values") {
  auto xs = log_uniform(20'000, 1, 50 * ns_per_s, 8);
  const hist h = record_all(xs);
  // Finest fitting scale, computed directly.
  const auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
  int want = 20;
  while (hist::map_to_index(*hi, want) - hist::map_to_index(*lo, want) + 1 > 2048) --want;
  CHECK(h.scale() == want);
  std::uint64_t total = 0;
  for (const std::uint64_t c : h.bucket_counts()) total += c;
  CHECK(total == xs.size());
  std::sort(xs.begin(), xs.end());
  CHECK(record_all(xs) == h);
  std::reverse(xs.begin(), xs.end());
  CHECK(record_all(xs) == h);
  std::shuffle(xs.begin(), xs.end(), std::mt19937_64(9));
  CHECK(record_all(xs) == h);
  // Each value is in the bucket map_to_index gives at the final scale.
  hist one(2048, h.scale());
  for (const std::uint64_t v : xs) one.record(v);
  CHECK(one.bucket_counts().size() == h.bucket_counts().size());
  CHECK(std::equal(one.bucket_counts().begin(), one.bucket_counts().end(),
                   h.bucket_counts().begin()));
}

TEST_CASE("values at the top of the range: 2^64 - 1, two buckets") {
  hist h(2);
  h.record(1);
  h.record(u64_max);
  // 1 is in bucket -1 at every scale <= 0; 2^64 - 1 in bucket 63 >> -s, which is 0 from -6.
  CHECK(h.scale() == -6);
  CHECK(h.offset() == -1);
  CHECK(h.bucket_counts().size() == 2);
  h.record(3);
  CHECK(h.scale() == -6);
  CHECK(h.count() == 3);
  // Rank 2 falls in bucket 0, (1, 2^64]: its representative is 2, the harmonic mean of the
  // boundaries, and the bound at scale -6 (base 2^64) is nearly 1.
  CHECK(*h.quantile(0.5) == 2.0);
  CHECK(std::abs(*h.quantile(0.5) - 3) <= h.relative_error_bound() * 3);
}

// ---- quantiles -----------------------------------------------------------------------------

TEST_CASE("relative_error_bound: (base - 1) / (base + 1), under 1% from scale 6") {
  CHECK(hist(2048, 6).relative_error_bound() == doctest::Approx(0.0054152).epsilon(1e-4));
  CHECK(hist(2048, 6).relative_error_bound() < 0.01);
  CHECK(hist(2048, 7).relative_error_bound() == doctest::Approx(0.0054152 / 2).epsilon(1e-3));
  CHECK(hist(2048, 0).relative_error_bound() == doctest::Approx(1.0 / 3));
  CHECK(hist(2048, 20).relative_error_bound() < 4e-7);
}

TEST_CASE("quantiles within the bound: all values equal") {
  for (std::uint64_t v : {std::uint64_t{1}, std::uint64_t{777}, 10 * ns_per_s}) {
    const std::vector<std::uint64_t> xs(5'000, v);
    const hist h = record_all(xs);
    CHECK(h.scale() == 20);
    check_quantiles(xs, h);
    for (const double q : quantiles) CHECK(*h.quantile(q) == static_cast<double>(v));
  }
}

TEST_CASE("quantiles within the bound: two spikes, 1 us and 10 s") {
  std::vector<std::uint64_t> xs(9'000, ns_per_us);
  xs.insert(xs.end(), 1'000, 10 * ns_per_s);
  std::shuffle(xs.begin(), xs.end(), std::mt19937_64(10));
  const hist h = record_all(xs);
  CHECK(h.scale() >= 6);
  CHECK(h.relative_error_bound() < 0.01);
  check_quantiles(xs, h);
  // Spikes that are not the extremes: the bound holds, though the value is not exact.
  std::vector<std::uint64_t> ys = xs;
  ys.push_back(1);
  ys.push_back(100 * ns_per_s);
  check_quantiles(ys, record_all(ys));
}

TEST_CASE("quantiles within the bound: heavy tail (Pareto)") {
  for (const double alpha : {0.8, 1.2, 2.0}) {
    CAPTURE(alpha);
    const auto xs = pareto(50'000, 20'000, alpha, 11);
    const hist h = record_all(xs);
    check_quantiles(xs, h);
    if (h.max() / h.min() < (std::uint64_t{1} << 32)) {
      CHECK(h.scale() >= 6);
      CHECK(h.relative_error_bound() < 0.01);
    }
  }
}

TEST_CASE("quantiles within the bound: log-uniform from 1 ns to 1 day") {
  const auto xs = log_uniform(100'000, 1, ns_per_day, 12);
  // A range of 2^46.3 needs 47 * 2^s buckets: scale 5 fits 2048, scale 6 fits 4096.
  const hist h = record_all(xs);
  CHECK(h.scale() == 5);
  check_quantiles(xs, h);
  const hist wide = record_all(xs, 4096);
  CHECK(wide.scale() == 6);
  CHECK(wide.relative_error_bound() < 0.01);
  check_quantiles(xs, wide);
  // A range of 2^32 fits scale 6 in the default 2048 buckets.
  const auto ys = log_uniform(100'000, 1000, 1000 * (std::uint64_t{1} << 31), 13);
  const hist six = record_all(ys);
  CHECK(six.scale() >= 6);
  CHECK(six.relative_error_bound() < 0.01);
  check_quantiles(ys, six);
}

TEST_CASE("quantiles within the bound: zeros, alone and mixed") {
  const std::vector<std::uint64_t> zeros(100, 0);
  const hist z = record_all(zeros);
  check_quantiles(zeros, z);
  CHECK(*z.quantile(0.5) == 0.0);
  std::vector<std::uint64_t> mixed = log_uniform(10'000, 1'000, 10 * ns_per_s, 14);
  mixed.insert(mixed.end(), 3'000, 0);
  std::shuffle(mixed.begin(), mixed.end(), std::mt19937_64(15));
  const hist m = record_all(mixed);
  CHECK(m.zero_count() == 3'000);
  CHECK(m.scale() >= 6);
  check_quantiles(mixed, m);
  CHECK(*m.quantile(0.2) == 0.0);
  CHECK(*m.quantile(0.3) > 0.0);
}

TEST_CASE("quantiles of small integers are exact where buckets are narrower than 1") {
  std::vector<std::uint64_t> xs;
  for (std::uint64_t v = 1; v <= 100; ++v) xs.push_back(v);
  const hist h = record_all(xs);
  CHECK(h.scale() >= 8);
  const auto exact = tf::run(folds::exact_quantiles, xs);
  for (const double q : {0.01, 0.05, 0.07, 0.1, 0.2, 0.33}) {
    CAPTURE(q);
    CHECK(*h.quantile(q) == static_cast<double>(*exact.quantile(q)));
  }
  CHECK(*h.quantile(0.07) == 7.0);  // nearest rank, not confused by 0.07's binary digits
}

TEST_CASE("quantile: NaN, out of range q, and rank edges") {
  hist h;
  for (std::uint64_t v = 1; v <= 10; ++v) h.record(v * 1000);
  CHECK_FALSE(h.quantile(std::nan("")).has_value());
  CHECK(*h.quantile(-1) == 1000.0);
  CHECK(*h.quantile(2) == 10000.0);
  CHECK(*h.quantile(0.1) == 1000.0);   // rank 1
  CHECK(*h.quantile(0.11) != 1000.0);  // rank 2
  CHECK(*h.quantile(0.9) == doctest::Approx(9000.0).epsilon(h.relative_error_bound()));
  CHECK(*h.quantile(0.91) == 10000.0);  // rank 10
}

// ---- merge ---------------------------------------------------------------------------------

TEST_CASE("merge equals recording everything, field for field, for random splits") {
  std::mt19937_64 rng(16);
  const auto xs = log_uniform(30'000, 1, ns_per_day, 17);
  for (int trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);
    std::vector<std::uint64_t> all(xs.begin(),
                                   xs.begin() + static_cast<std::ptrdiff_t>(rng() % xs.size()));
    all.insert(all.end(), rng() % 50, 0);
    std::shuffle(all.begin(), all.end(), rng);
    const std::size_t cut = all.empty() ? 0 : rng() % (all.size() + 1);
    hist a;
    hist b;
    for (std::size_t i = 0; i < all.size(); ++i) (i < cut ? a : b).record(all[i]);
    const hist whole = record_all(all);
    hist ab = a;
    ab.merge(b);
    CHECK(ab == whole);
    hist ba = b;
    ba.merge(a);
    CHECK(ba == whole);
  }
}

TEST_CASE("merge of sides that ended at different scales") {
  // Left: a narrow range (stays at scale 20); right: a wide one (scale 5); and the merged range
  // is wider than either side's.
  std::vector<std::uint64_t> left = log_uniform(1'000, 1'000'000, 1'000'500, 18);
  std::vector<std::uint64_t> right = log_uniform(1'000, 1, 1'000, 19);
  right.push_back(std::uint64_t{1} << 44);
  const hist a = record_all(left);
  const hist b = record_all(right);
  CHECK(a.scale() > b.scale() + 5);
  std::vector<std::uint64_t> all = left;
  all.insert(all.end(), right.begin(), right.end());
  const hist whole = record_all(all);
  hist ab = a;
  ab.merge(b);
  CHECK(ab == whole);
  hist ba = b;
  ba.merge(a);
  CHECK(ba == whole);
  // Two narrow sides far apart: each at scale 20, the merge much coarser.
  const hist c = record_all(std::vector<std::uint64_t>(10, 5));
  const hist d = record_all(std::vector<std::uint64_t>(10, std::uint64_t{1} << 50));
  hist cd = c;
  cd.merge(d);
  std::vector<std::uint64_t> both(10, 5);
  both.insert(both.end(), 10, std::uint64_t{1} << 50);
  CHECK(cd == record_all(both));
  CHECK(cd.scale() < 6);
}

TEST_CASE("merge is associative, with the empty histogram as identity") {
  std::mt19937_64 rng(20);
  for (int trial = 0; trial < 30; ++trial) {
    CAPTURE(trial);
    const std::uint64_t top = std::uint64_t{1} << (rng() % 60 + 2);
    const hist a = record_all(log_uniform(rng() % 500, 1, top, rng()));
    const hist b = record_all(log_uniform(rng() % 500, 1, top / 7 + 1, rng()));
    const hist c = record_all(log_uniform(rng() % 500, top / 1000 + 1, top, rng()));
    hist ab = a;
    ab.merge(b);
    hist left = ab;
    left.merge(c);
    hist bc = b;
    bc.merge(c);
    hist right = a;
    right.merge(bc);
    CHECK(left == right);
    hist e;
    e.merge(a);
    CHECK(e == a);
    hist a2 = a;
    a2.merge(hist{});
    CHECK(a2 == a);
  }
}

TEST_CASE("merge with itself doubles every count") {
  hist h = record_all(log_uniform(1'000, 1, ns_per_s, 21));
  const hist once = h;
  h.merge(h);
  CHECK(h.count() == 2 * once.count());
  CHECK(h.sum() == 2 * once.sum());
  CHECK(h.scale() == once.scale());
  REQUIRE(h.bucket_counts().size() == once.bucket_counts().size());
  for (std::size_t i = 0; i < h.bucket_counts().size(); ++i)
    CHECK(h.bucket_counts()[i] == 2 * once.bucket_counts()[i]);
}

TEST_CASE("merge of histograms with different limits takes the smaller ones") {
  hist a(2048, 20);
  hist b(64, 10);
  for (std::uint64_t v = 1; v < 1000; v += 7) a.record(v);
  b.record(5);
  a.merge(b);
  CHECK(a.max_size() == 64);
  CHECK(a.max_scale() == 10);
  CHECK(a.bucket_counts().size() <= 64);
  hist c(64, 10);
  for (std::uint64_t v = 1; v < 1000; v += 7) c.record(v);
  c.record(5);
  CHECK(a == c);
}

// ---- parts: exact_sum, to_parts, from_parts ---------------------------------------------------

namespace {

/// Histograms in many states: empty, only rejected inputs, only zeros, one value, narrow and
/// wide ranges at several limits, the top of the range, and merges of differing limits.
std::vector<hist> assorted_histograms() {
  std::vector<hist> out;
  out.emplace_back();
  out.emplace_back(16, 3);
  hist rejected;
  rejected.record(-1.0);
  rejected.record(std::nan(""));
  out.push_back(rejected);
  out.push_back(record_all(std::vector<std::uint64_t>(5, 0)));
  out.push_back(record_all({1}));
  out.push_back(record_all({u64_max}));
  out.push_back(record_all({1, u64_max}));
  out.push_back(record_all({0, 1, u64_max, 7}, 2));
  std::mt19937_64 rng(40);
  for (int trial = 0; trial < 60; ++trial) {
    const std::uint32_t max_size = std::uint32_t{2} << (rng() % 12);
    const auto max_scale = static_cast<std::int32_t>(rng() % 31) - 10;
    hist h(max_size, max_scale);
    const std::uint64_t top = std::uint64_t{1} << (rng() % 63 + 1);
    for (const std::uint64_t v : log_uniform(rng() % 300, 1, top, rng())) h.record(v);
    for (std::uint64_t z = rng() % 3; z > 0; --z) h.record(std::uint64_t{0});
    if (rng() % 4 == 0) h.record(-5);
    if (rng() % 3 == 0) h.merge(record_all(log_uniform(rng() % 100, 1, ns_per_s, rng())));
    out.push_back(h);
  }
  return out;
}

/// Why `p` is refused, as a `std::string` (empty when it is accepted).
std::string problem(const hist::parts& p) { return std::string(hist::parts_problem(p)); }

/// `h`'s parts with its buckets copied into `store`, so that they can be edited.
hist::parts editable_parts(const hist& h, std::vector<std::uint64_t>& store) {
  hist::parts p = h.to_parts();
  store.assign(p.bucket_counts.begin(), p.bucket_counts.end());
  p.bucket_counts = store;
  return p;
}

}  // namespace

TEST_CASE("exact_sum is the sum of the values, beyond 2^64") {
  hist h;
  h.record(u64_max);
  h.record(u64_max);
  h.record(std::uint64_t{3});
  const tf::detail::uint128 want = tf::detail::uint128{u64_max} * 2 + 3;
  CHECK(h.exact_sum() == want);
  CHECK(static_cast<std::uint64_t>(h.exact_sum() >> 64) == 2);
  CHECK(static_cast<std::uint64_t>(h.exact_sum()) == 1);
  CHECK(hist{}.exact_sum() == 0);
}

TEST_CASE("from_parts(to_parts(h)) equals h and behaves as h does afterwards") {
  std::mt19937_64 rng(41);
  const std::vector<hist> all = assorted_histograms();
  for (std::size_t k = 0; k < all.size(); ++k) {
    CAPTURE(k);
    const hist& h = all[k];
    const hist::parts p = h.to_parts();
    CHECK(hist::parts_problem(p).empty());
    CHECK(p.sum == h.exact_sum());
    CHECK(p.min == h.min());
    CHECK(p.offset == h.offset());
    const std::optional<hist> back = hist::from_parts(p);
    REQUIRE(back.has_value());
    CHECK(*back == h);
    CHECK(back->count() == h.count());
    CHECK(back->rejected_count() == h.rejected_count());
    for (const double q : quantiles) CHECK(back->quantile(q) == h.quantile(q));
    // The same records afterwards give the same histogram, field for field.
    hist a = h;
    hist b = *back;
    for (const std::uint64_t v : log_uniform(50, 1, std::uint64_t{1} << (rng() % 63 + 1), rng())) {
      a.record(v);
      b.record(v);
    }
    a.record(std::uint64_t{0});
    b.record(std::uint64_t{0});
    CHECK(a == b);
    // Merging either way with another histogram too.
    const hist& other = all[rng() % all.size()];
    hist c = h;
    hist d = *back;
    c.merge(other);
    d.merge(other);
    CHECK(c == d);
    hist e = other;
    hist f = other;
    e.merge(h);
    f.merge(*back);
    CHECK(e == f);
    hist g = *back;
    g.merge(*back);
    hist twice = h;
    twice.merge(h);
    CHECK(g == twice);
  }
}

TEST_CASE("from_parts refuses parts that are no histogram's state, saying why") {
  const hist h = record_all({0, 3, 1000, 1'000'000});  // zeros, min 0, several buckets
  const hist positive = record_all({3, 1000, 1'000'000});
  std::vector<std::uint64_t> store;
  struct edit {
    const char* what;
    const hist* from;
    void (*change)(hist::parts&, std::vector<std::uint64_t>&);
  };
  const edit edits[] = {
      {"max_scale is outside [-10, 20]", &h, [](hist::parts& p, auto&) { p.max_scale = 21; }},
      {"max_scale is outside [-10, 20]", &h,
       [](hist::parts& p, auto&) { p.max_scale = p.scale = -11; }},
      {"scale is outside [-10, max_scale]", &h,
       [](hist::parts& p, auto&) { p.scale = p.max_scale + 1; }},
      {"scale is outside [-10, max_scale]", &h, [](hist::parts& p, auto&) { p.scale = -11; }},
      {"max_size is below 2", &h, [](hist::parts& p, auto&) { p.max_size = 1; }},
      {"there are more buckets than max_size", &h,
       [](hist::parts& p, auto& s) { p.max_size = static_cast<std::uint32_t>(s.size() - 1); }},
      {"the first or the last bucket count is 0", &h,
       [](hist::parts& p, auto& s) {
         s.front() = 0;
         p.zero_count += 1;
       }},
      {"the first or the last bucket count is 0", &h,
       [](hist::parts& p, auto& s) {
         s.back() = 0;
         p.zero_count += 1;
       }},
      {"the buckets lie outside the indices of 1 to 2^64 - 1 at this scale", &h,
       [](hist::parts& p, auto&) { p.offset = -2; }},
      {"the buckets lie outside the indices of 1 to 2^64 - 1 at this scale", &h,
       [](hist::parts& p, auto&) { p.offset = std::numeric_limits<std::int32_t>::max(); }},
      {"zero_count plus the bucket counts is not count", &h,
       [](hist::parts& p, auto&) { ++p.count; }},
      {"zero_count plus the bucket counts is not count", &h,
       [](hist::parts&, auto& s) { s[0] = u64_max; }},
      {"min is above max", &h,
       [](hist::parts& p, auto&) {
         p.zero_count = 0;
         p.min = p.max + 1;
         p.count -= 1;
       }},
      {"min is 0 but zero_count is 0", &positive, [](hist::parts& p, auto&) { p.min = 0; }},
      {"zero_count is not 0 but min is not 0", &h, [](hist::parts& p, auto&) { p.min = 3; }},
      {"max is 0 but there are buckets", &h, [](hist::parts& p, auto&) { p.max = 0; }},
      {"min does not fall in the first bucket", &positive,
       [](hist::parts& p, auto&) { p.min = 4; }},
      {"max does not fall in the last bucket", &positive,
       [](hist::parts& p, auto&) { p.max = 2'000'000; }},
      {"sum is not what count values from min to max can add up to", &positive,
       [](hist::parts& p, auto&) { p.sum = 3 + 1'000'000; }},
      {"sum is not what count values from min to max can add up to", &positive,
       [](hist::parts& p, auto&) { p.sum = 3 + 2 * tf::detail::uint128{1'000'000} + 1; }},
  };
  for (const edit& e : edits) {
    CAPTURE(e.what);
    hist::parts p = editable_parts(*e.from, store);
    REQUIRE(hist::from_parts(p).has_value());
    e.change(p, store);
    CHECK(problem(p) == e.what);
    CHECK_FALSE(hist::from_parts(p).has_value());
  }
}

TEST_CASE("from_parts: empty, zeros-only and single-bucket edge cases") {
  hist::parts p;  // the empty histogram at the default limits
  REQUIRE(hist::from_parts(p).has_value());
  CHECK(*hist::from_parts(p) == hist{});
  p.rejected_count = 4;  // rejected inputs are outside count: still consistent
  CHECK(hist::from_parts(p)->rejected_count() == 4);
  p.sum = 1;
  CHECK(problem(p) == "count is 0 but min, max or sum is not");
  p.sum = 0;
  p.max = 1;
  CHECK(problem(p) == "count is 0 but min, max or sum is not");
  p.max = 0;
  p.offset = 5;
  CHECK(problem(p) == "offset is not 0 but there are no buckets");
  p.offset = 0;
  p.scale = 3;
  CHECK(problem(p) == "scale is below max_scale but there are no buckets");
  // Only zeros: count == zero_count, min == max == 0, no buckets.
  const hist zeros = record_all({0, 0, 0});
  hist::parts z = zeros.to_parts();
  CHECK(*hist::from_parts(z) == zeros);
  z.max = 5;
  CHECK(problem(z) == "max is not 0 but there are no buckets");
  // The largest value, alone: its bucket is the last index at the scale.
  for (const std::int32_t scale : {-10, -3, 0, 1, 7, 20}) {
    CAPTURE(scale);
    hist top(2048, scale);
    top.record(u64_max);
    top.record(std::uint64_t{1});
    const auto back = hist::from_parts(top.to_parts());
    REQUIRE(back.has_value());
    CHECK(*back == top);
    CHECK(back->offset() == -1);  // 1 is in bucket -1 at every scale
  }
}
