#pragma once
/// @file
/// `mergeable_fold<F, In>`: a fold whose states form a monoid, so it can run in parallel.

#include <tracefold/fold/fold_over.hpp>

namespace tracefold {

/// A fold with `f.merge(S, S) -> S` such that, for any split of the input into a then b,
/// `merge(run_state(a), run_state(b)) == run_state(a ++ b)`, `merge` is associative and
/// `init()` is its identity (tested in test/laws). `run_parallel` requires it.
template <class F, class In>
concept mergeable_fold = fold_over<F, In> && detail::has_merge<F>;

}  // namespace tracefold
