#pragma once
/// @file
/// `folds::duration`: a span's duration in nanoseconds, as a projection for `premap`.

#include <cstdint>
#include <tracefold/model/span.hpp>
#include <tracefold/model/span_ref.hpp>

namespace tracefold::folds {

/// `end - start` in nanoseconds (negative when a producer wrote end before start).
/// Takes a `span` or a `span_ref`. Use: `premap(folds::duration, folds::max)`.
struct duration_fn {
  /// Duration of `s`.
  constexpr std::int64_t operator()(const span& s) const noexcept { return s.duration_ns(); }
  /// Duration of the span at `r`.
  std::int64_t operator()(span_ref r) const noexcept { return r.span().duration_ns(); }
};

/// See `duration_fn`.
inline constexpr duration_fn duration{};

}  // namespace tracefold::folds
