// detail::allocate_large and deallocate_large: aligned blocks, reused once freed (cut from a
// larger one when that is all there is) unless freed without reuse, never handed out twice
// at once.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <thread>
#include <tracefold/model/detail/huge_pages.hpp>
#include <vector>

using tracefold::detail::allocate_large;
using tracefold::detail::deallocate_large;
using tracefold::detail::huge_allocator;
using tracefold::detail::large_block;

namespace {

struct block {
  char* p;
  std::size_t bytes;
};

bool aligned(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % large_block == 0; }

/// Whether `[a, a + n)` and `[b, b + m)` overlap.
bool overlap(const block& a, const block& b) {
  const std::size_t n = (a.bytes + large_block - 1) / large_block * large_block;
  const std::size_t m = (b.bytes + large_block - 1) / large_block * large_block;
  return a.p < b.p + m && b.p < a.p + n;
}

}  // namespace

TEST_CASE("large blocks are aligned, writable, and disjoint while in use") {
  std::vector<block> live;
  std::uint64_t x = 7;
  for (int round = 0; round < 200; ++round) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    if (!live.empty() && (x >> 63) != 0) {  // free one
      const std::size_t i = (x >> 20) % live.size();
      // Its bytes are still what was written into it.
      CHECK(live[i].p[0] == static_cast<char>(live[i].bytes));
      CHECK(live[i].p[live[i].bytes - 1] == static_cast<char>(live[i].bytes >> 8));
      deallocate_large(live[i].p, live[i].bytes);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
      continue;
    }
    const std::size_t bytes = large_block + (x >> 40) % (6 * large_block);
    auto* p = static_cast<char*>(allocate_large(bytes));
    REQUIRE(p != nullptr);
    CHECK(aligned(p));
    const block b{p, bytes};
    for (const block& other : live) CHECK_FALSE(overlap(b, other));
    p[0] = static_cast<char>(bytes);
    p[bytes - 1] = static_cast<char>(bytes >> 8);
    live.push_back(b);
  }
  for (const block& b : live) deallocate_large(b.p, b.bytes);
}

TEST_CASE("a freed block is handed out again, whole or cut from a larger one") {
  tracefold::detail::release_cached_blocks();  // an empty cache: what follows is certain
  void* a = allocate_large(3 * large_block);
  std::memset(a, 'a', 3 * large_block);
  deallocate_large(a, 3 * large_block);
  void* b = allocate_large(3 * large_block);
  CHECK(b == a);  // the block just freed
  // Not zeroed: reuse keeps what was there (callers must not expect zeros).
  CHECK(static_cast<char*>(b)[5] == 'a');
  deallocate_large(b, 3 * large_block);
  // A smaller request is cut from it: the front; the rest stays cached and serves the next.
  void* c = allocate_large(large_block);
  CHECK(c == a);
  void* d = allocate_large(2 * large_block);
  CHECK(d == static_cast<char*>(a) + large_block);
  deallocate_large(c, large_block);
  deallocate_large(d, 2 * large_block);
  // The cache holds at most 64 MiB: blocks freed beyond it go back to the kernel.
  tracefold::detail::release_cached_blocks();
  std::vector<void*> many;
  for (int i = 0; i < 40; ++i) many.push_back(allocate_large(large_block));
  for (void* p : many) deallocate_large(p, large_block);  // 80 MiB freed: 64 MiB of it kept
  std::vector<void*> again;
  for (int i = 0; i < 40; ++i) again.push_back(allocate_large(large_block));
  const auto reused = std::count_if(again.begin(), again.end(), [&](void* p) {
    return std::find(many.begin(), many.end(), p) != many.end();
  });
  CHECK(reused >= 32);  // the 64 MiB kept are handed out again
  for (void* p : again) deallocate_large(p, large_block);
  tracefold::detail::release_cached_blocks();
}

TEST_CASE("a block freed without reuse goes back to the kernel, not to the cache") {
  tracefold::detail::release_cached_blocks();
  auto* a = static_cast<char*>(allocate_large(large_block));
  std::memset(a, 'a', large_block);
  deallocate_large(a, large_block, false);
  // Whatever comes next (at the same address or not) is a fresh mapping: zeroed, where a
  // cached block would still hold 'a'.
  auto* b = static_cast<char*>(allocate_large(large_block));
  CHECK(b[5] == 0);
  CHECK(b[large_block - 1] == 0);
  deallocate_large(b, large_block);
  tracefold::detail::release_cached_blocks();
}

TEST_CASE("allocate_large and deallocate_large are safe from several threads") {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, &ok] {
      bool good = true;
      for (int i = 0; i < 200; ++i) {
        const std::size_t bytes = large_block * static_cast<std::size_t>(1 + (i + t) % 3);
        auto* p = static_cast<char*>(allocate_large(bytes));
        std::memset(p, t, bytes);
        good = good && std::all_of(p, p + bytes, [t](char c) { return c == static_cast<char>(t); });
        deallocate_large(p, bytes);
      }
      ok[static_cast<std::size_t>(t)] = good ? 1 : 0;
    });
  for (std::thread& t : threads) t.join();
  CHECK(ok == std::vector<int>(4, 1));
}

TEST_CASE("huge_allocator serves a vector of any size") {
  std::vector<std::uint64_t, huge_allocator<std::uint64_t>> v;
  for (std::uint64_t i = 0; i < 1'000'000; ++i) v.push_back(i * 3);  // through 8 MB
  CHECK(v.size() == 1'000'000);
  CHECK(v[999'999] == 2'999'997);
  CHECK(std::all_of(v.begin(), v.end(),
                    [i = std::uint64_t{0}](std::uint64_t x) mutable { return x == 3 * i++; }));
  v.clear();
  v.shrink_to_fit();
  std::vector<std::uint64_t, huge_allocator<std::uint64_t>> w(500'000, 9);  // a reused block
  CHECK(std::count(w.begin(), w.end(), 9u) == 500'000);
}
