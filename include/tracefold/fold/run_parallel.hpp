#pragma once
/// @file
/// `run_parallel(f, range, threads)`: a mergeable fold split across threads.

#include <algorithm>
#include <cstddef>
#include <exception>
#include <iterator>
#include <optional>
#include <ranges>
#include <thread>
#include <tracefold/fold/mergeable_fold.hpp>
#include <utility>
#include <vector>

namespace tracefold {

/// Runs a mergeable fold over a random-access range on `threads` threads.
///
/// The range is cut into `threads` contiguous chunks; each is folded on its own thread and
/// the states are merged left to right, so the result equals `run(f, r)` exactly (by the
/// merge law). `threads == 0` means `std::thread::hardware_concurrency()`. An exception
/// thrown on a worker is rethrown here. Allocates one state per thread.
struct run_parallel_fn {
  /// See `run_parallel_fn`.
  template <class F, class R>
  auto operator()(const F& f, R&& r, unsigned threads = 0) const {
    static_assert(std::ranges::random_access_range<R> && std::ranges::sized_range<R>,
                  "tracefold::run_parallel(f, r, n) requires 'r' to be a sized random-access range");
    using in_t = std::ranges::range_reference_t<R>;
    static_assert(mergeable_fold<F, in_t>,
                  "tracefold::run_parallel(f, r, n) requires mergeable_fold<F, range_reference_t<R>>: "
                  "'f' needs merge(state, state)");
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t n = std::ranges::size(r);
    if (threads > n) threads = static_cast<unsigned>(n == 0 ? 1 : n);
    auto first = std::ranges::begin(r);
    auto fold_chunk = [&](std::size_t lo, std::size_t hi) {
      auto s = f.init();
      for (auto it = first + static_cast<std::ptrdiff_t>(lo); it != first + static_cast<std::ptrdiff_t>(hi); ++it)
        s = f.step(std::move(s), *it);
      return s;
    };
    if (threads <= 1) return f.done(fold_chunk(0, n));

    using S = state_t<F>;
    std::vector<std::optional<S>> states(threads);
    std::vector<std::exception_ptr> errors(threads);
    auto bound = [&](unsigned t) { return n * t / threads; };
    {
      std::vector<std::jthread> workers;
      workers.reserve(threads - 1);
      for (unsigned t = 1; t < threads; ++t) {
        workers.emplace_back([&, t] {
          try {
            states[t].emplace(fold_chunk(bound(t), bound(t + 1)));
          } catch (...) {
            errors[t] = std::current_exception();
          }
        });
      }
      try {
        states[0].emplace(fold_chunk(0, bound(1)));
      } catch (...) {
        errors[0] = std::current_exception();
      }
    }
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
    S acc = std::move(*states[0]);
    for (unsigned t = 1; t < threads; ++t) acc = f.merge(std::move(acc), std::move(*states[t]));
    return f.done(std::move(acc));
  }
};

/// See `run_parallel_fn`.
inline constexpr run_parallel_fn run_parallel{};

}  // namespace tracefold
