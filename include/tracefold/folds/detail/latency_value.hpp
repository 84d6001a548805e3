#pragma once
/// @file
/// What the latency folds (`exponential_histogram`, `latency_histogram`, `exact_quantiles`)
/// share: how an input becomes a whole number of nanoseconds, the nearest rank of a quantile,
/// and a 128-bit unsigned integer for exact sums.

#include <cmath>
#include <concepts>
#include <cstdint>
#include <optional>

namespace tracefold::detail {

/// An unsigned 128-bit integer (a GCC and Clang extension): sums of `uint64_t` values that
/// cannot overflow in practice (2^64 values of 2^64 - 1 each).
__extension__ typedef unsigned __int128 uint128;

/// A number a latency fold records: an integer other than `bool`, or a type convertible to
/// `double` (floating point, or a user type with a conversion).
template <class T>
concept latency_number = (std::integral<T> && !std::same_as<T, bool>) ||
                         (!std::integral<T> && std::convertible_to<const T&, double>);

/// `x` as a whole number (of nanoseconds, for durations), or `nullopt` when it cannot be one:
/// negative (a span whose end precedes its start), NaN, or at least 2^64. Floating-point
/// inputs are rounded to the nearest integer, halves away from zero. O(1), no allocation.
template <latency_number T>
constexpr std::optional<std::uint64_t> to_latency(const T& x) noexcept {
  if constexpr (std::integral<T>) {
    if constexpr (std::is_signed_v<T>) {
      if (x < 0) return std::nullopt;
    }
    return static_cast<std::uint64_t>(x);
  } else {
    const double d = static_cast<double>(x);
    if (!(d >= 0) || d >= 0x1p64) return std::nullopt;  // also NaN and +inf
    return static_cast<std::uint64_t>(std::round(d));   // d < 2^64 - 2^11: the rounding fits
  }
}

/// The nearest rank of quantile `q` among `n >= 1` sorted values: `ceil(q * n)`, at least 1
/// and at most `n`; `q` outside [0, 1] is clamped. A product `q * n` within 2^-40 (relative)
/// above an integer counts as that integer, so that `q = 0.07` (stored as
/// 0.07000000000000000666...) with `n = 100` gives rank 7, not 8. Precondition: `q` is not NaN.
inline std::uint64_t nearest_rank(double q, std::uint64_t n) noexcept {
  if (!(q > 0)) return 1;
  if (q >= 1) return n;
  const double x = q * static_cast<double>(n);
  const double r = std::ceil(x - x * 0x1p-40);
  if (r < 1) return 1;
  if (r >= static_cast<double>(n)) return n;
  return static_cast<std::uint64_t>(r);
}

}  // namespace tracefold::detail
