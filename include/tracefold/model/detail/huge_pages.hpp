#pragma once
/// @file
/// `detail::huge_allocator`: an allocator for the large arrays of a trace_set.

#include <cstddef>
#include <memory>
#include <new>

namespace tracefold::detail {

/// Blocks at least this large come from `allocate_large` (2 MiB, one x86-64 huge page).
inline constexpr std::size_t large_block = std::size_t{2} << 20;

/// `bytes` of memory aligned to `large_block`, obtained straight from the kernel and marked
/// for transparent huge pages where the platform has them (Linux `madvise(MADV_HUGEPAGE)`),
/// so filling it takes one page fault per 2 MiB instead of one per 4 KiB. Pages are only
/// backed when first touched. A block freed earlier is reused when one is cached (see
/// `deallocate_large`): its contents are then whatever was left in it, not zeros. Thread-safe.
/// Throws `std::bad_alloc` on failure.
[[nodiscard]] void* allocate_large(std::size_t bytes);

/// Returns a block from `allocate_large` of the same `bytes`. On Linux up to 64 MiB of freed
/// blocks are kept for later `allocate_large` calls (a streaming read frees and allocates
/// the same arrays window after window: reused, their pages are not faulted in and zeroed
/// again); beyond that, or when not `reuse` (memory nothing will ask for again soon), they go
/// back to the kernel. Thread-safe.
void deallocate_large(void* p, std::size_t bytes, bool reuse = true) noexcept;

/// Gives every block `deallocate_large` has cached back to the kernel (say, after a long
/// streaming read, in a process that goes on to do something else). Thread-safe.
void release_cached_blocks() noexcept;

/// A standard allocator whose allocations of `large_block` bytes or more use
/// `allocate_large`: the span and node arrays of a large trace_set are filled with a few
/// hundred page faults instead of tens of thousands. Smaller ones use `operator new`.
template <class T>
struct huge_allocator {
  /// The element type.
  using value_type = T;
  huge_allocator() = default;
  /// Converting copy (allocators are stateless).
  template <class U>
  constexpr huge_allocator(const huge_allocator<U>&) noexcept {
  }  // NOLINT(google-explicit-constructor)

  /// Storage for `n` objects.
  [[nodiscard]] T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes >= large_block) return static_cast<T*>(allocate_large(bytes));
    return std::allocator<T>{}.allocate(n);
  }
  /// Frees storage from `allocate(n)`.
  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes >= large_block) {
      deallocate_large(p, bytes);
    } else {
      std::allocator<T>{}.deallocate(p, n);
    }
  }
  /// Stateless: all instances are interchangeable.
  template <class U>
  friend constexpr bool operator==(const huge_allocator&, const huge_allocator<U>&) noexcept {
    return true;
  }
};

}  // namespace tracefold::detail
