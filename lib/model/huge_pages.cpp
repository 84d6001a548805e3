#include <tracefold/model/detail/huge_pages.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace tracefold::detail {

#if defined(__linux__)

namespace {

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

/// Freed blocks kept for the next `allocate_large`, up to `budget` bytes in all. A streaming
/// read builds and drops a trace_set per window: without this every window's arrays would be
/// fresh mappings, each 2 MiB faulted in and zeroed by the kernel again. Blocks are whole
/// multiples of `large_block` at `large_block`-aligned addresses, so any block can be cut in
/// two at a multiple of `large_block`: a larger cached block serves a smaller request, and
/// what is left over stays cached.
class block_cache {
 public:
  static constexpr std::size_t budget = std::size_t{64} << 20;

  /// A cached block of exactly `size` bytes (cut from the smallest that is large enough),
  /// or nullptr.
  void* take(std::size_t size) noexcept {
    const std::lock_guard lock(mu_);
    std::size_t best = count_;
    for (std::size_t i = 0; i < count_; ++i)
      if (blocks_[i].size >= size && (best == count_ || blocks_[i].size < blocks_[best].size))
        best = i;
    if (best == count_) return nullptr;
    block b = blocks_[best];
    if (b.size == size) {
      blocks_[best] = blocks_[--count_];
    } else {  // keep the tail
      blocks_[best] = {static_cast<std::byte*>(b.base) + size, b.size - size};
    }
    cached_ -= size;
    return b.base;
  }

  /// Unmaps every cached block.
  void clear() noexcept {
    const std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < count_; ++i) ::munmap(blocks_[i].base, blocks_[i].size);
    count_ = 0;
    cached_ = 0;
  }

  /// Keeps `p` (`size` bytes) if there is room; false when the caller must unmap it.
  bool keep(void* p, std::size_t size) noexcept {
    const std::lock_guard lock(mu_);
    if (count_ == max_blocks || cached_ + size > budget) return false;
    blocks_[count_++] = {p, size};
    cached_ += size;
    return true;
  }

 private:
  struct block {
    void* base;
    std::size_t size;
  };
  static constexpr std::size_t max_blocks = 32;
  std::mutex mu_;
  std::array<block, max_blocks> blocks_{};
  std::size_t count_ = 0;
  std::size_t cached_ = 0;
};

/// The process's cache. Never destroyed: trace_sets in static storage may be freed after
/// every destructor has run.
block_cache& cache() noexcept {
  static block_cache* const c = new block_cache;
  return *c;
}

}  // namespace

// Map `large_block` more than asked, keep the aligned part and unmap the rest, so the block
// starts on a huge-page boundary and every 2 MiB of it can be one huge page.
void* allocate_large(std::size_t bytes) {
  const std::size_t size = round_up(bytes, large_block);
  if (void* p = cache().take(size)) return p;
  const std::size_t mapped = size + large_block;
  void* raw = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto base = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = round_up(base, large_block);
  if (aligned > base) ::munmap(raw, aligned - base);
  const std::uintptr_t end = base + mapped;
  if (end > aligned + size) ::munmap(reinterpret_cast<void*>(aligned + size), end - aligned - size);
  void* p = reinterpret_cast<void*>(aligned);
#if defined(MADV_HUGEPAGE)
  ::madvise(p, size, MADV_HUGEPAGE);  // advice only: without THP it is ordinary memory
#endif
  return p;
}

void deallocate_large(void* p, std::size_t bytes, bool reuse) noexcept {
  const std::size_t size = round_up(bytes, large_block);
  if (!reuse || !cache().keep(p, size)) ::munmap(p, size);
}

void release_cached_blocks() noexcept { cache().clear(); }

#else

void release_cached_blocks() noexcept {}

void* allocate_large(std::size_t bytes) {
  return ::operator new (bytes, std::align_val_t{large_block});
}

void deallocate_large(void* p, std::size_t, bool) noexcept {
  ::operator delete (p, std::align_val_t{large_block});
}

#endif

}  // namespace tracefold::detail
