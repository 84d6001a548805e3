#include <tracefold/model/detail/huge_pages.hpp>

#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace tracefold::detail {

#if defined(__linux__)

namespace {
std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }
}  // namespace

// Map `large_block` more than asked, keep the aligned part and unmap the rest, so the block
// starts on a huge-page boundary and every 2 MiB of it can be one huge page.
void* allocate_large(std::size_t bytes) {
  const std::size_t size = round_up(bytes, large_block);
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

void deallocate_large(void* p, std::size_t bytes) noexcept {
  ::munmap(p, round_up(bytes, large_block));
}

#else

void* allocate_large(std::size_t bytes) {
  return ::operator new (bytes, std::align_val_t{large_block});
}

void deallocate_large(void* p, std::size_t) noexcept {
  ::operator delete (p, std::align_val_t{large_block});
}

#endif

}  // namespace tracefold::detail
