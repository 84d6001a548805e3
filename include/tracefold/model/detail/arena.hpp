#pragma once
/// @file
/// `detail::arena`: a monotonic chunked allocator for trivially destructible objects.

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <tracefold/model/detail/huge_pages.hpp>
#include <type_traits>
#include <utility>
#include <vector>

namespace tracefold::detail {

/// Monotonic allocator: bumps a pointer through chunks that never move, so everything
/// allocated stays at its address until the arena dies. Only trivially destructible types.
/// Chunks grow geometrically (64 KiB to 4 MiB); a request larger than a chunk gets its own.
/// Chunks of 2 MiB and more come from `allocate_large` (huge pages where available).
class arena {
 public:
  arena() = default;
  arena(arena&&) noexcept = default;
  arena& operator=(arena&&) noexcept = default;
  arena(const arena&) = delete;
  arena& operator=(const arena&) = delete;

  /// Uninitialised storage for `n` objects of `T`.
  template <class T>
  [[nodiscard]] T* allocate(std::size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "arena holds trivially destructible types");
    if (n == 0) return nullptr;
    return static_cast<T*>(allocate_bytes(n * sizeof(T), alignof(T)));
  }

  /// A copy of `items` in the arena.
  template <class T>
  [[nodiscard]] std::span<const T> copy(std::span<const T> items) {
    if (items.empty()) return {};
    T* p = allocate<T>(items.size());
    std::memcpy(static_cast<void*>(p), items.data(), items.size() * sizeof(T));
    return {p, items.size()};
  }

  /// A copy of `s` in the arena.
  [[nodiscard]] std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = allocate<char>(s.size());
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  /// Bytes obtained from the heap so far (capacity, not use).
  [[nodiscard]] std::size_t bytes_reserved() const noexcept { return reserved_; }

 private:
  // `align` is a power of two (an alignof): the padding is a mask, not a division.
  void* allocate_bytes(std::size_t bytes, std::size_t align) {
    std::size_t pad = (0 - reinterpret_cast<std::uintptr_t>(cur_)) & (align - 1);
    if (cur_ == nullptr || pad + bytes > left_) {
      grow(bytes + align);
      pad = (0 - reinterpret_cast<std::uintptr_t>(cur_)) & (align - 1);
    }
    std::byte* p = cur_ + pad;
    cur_ = p + bytes;
    left_ -= pad + bytes;
    return p;
  }

  void grow(std::size_t at_least) {
    std::size_t size = next_chunk_;
    if (next_chunk_ < max_chunk) next_chunk_ *= 2;
    if (size < at_least) size = at_least;
    chunks_.emplace_back(size);
    cur_ = chunks_.back().data;
    left_ = size;
    reserved_ += size;
  }

  /// One block of storage, owned.
  struct chunk {
    std::byte* data;
    std::size_t size;
    explicit chunk(std::size_t n)
        : data(n >= large_block ? static_cast<std::byte*>(allocate_large(n))
                                : static_cast<std::byte*>(::operator new(n))),
          size(n) {}
    chunk(chunk&& o) noexcept : data(std::exchange(o.data, nullptr)), size(o.size) {}
    chunk& operator=(chunk&& o) noexcept {
      std::swap(data, o.data);
      std::swap(size, o.size);
      return *this;
    }
    ~chunk() {
      if (data == nullptr) return;
      if (size >= large_block) {
        deallocate_large(data, size);
      } else {
        ::operator delete(data);
      }
    }
  };

  static constexpr std::size_t max_chunk = std::size_t{4} << 20;
  std::vector<chunk> chunks_;
  std::byte* cur_ = nullptr;
  std::size_t left_ = 0;
  std::size_t next_chunk_ = std::size_t{64} << 10;
  std::size_t reserved_ = 0;
};

}  // namespace tracefold::detail
