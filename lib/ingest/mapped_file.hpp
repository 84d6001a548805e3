#pragma once
// A file mapped read-only for the readers, padded for simdjson, whose pages can be dropped
// once read (private to lib/).

#include <cstddef>
#include <filesystem>

namespace tracefold::ingest::detail {

/// A regular file mapped read-only, followed by at least 64 readable zero bytes (simdjson's
/// padding), so the readers parse the file where the kernel caches it: no copy, and no
/// memory of the process's own beyond the pages being read.
///
/// `release` drops pages already read from the process (they stay in the page cache and are
/// mapped again, from the same file, if touched later), so reading a large file does not
/// keep it all resident. The file must not shrink while mapped: touching a page past its new
/// end raises SIGBUS, as for any mapped file.
class mapped_file {
 public:
  /// Not mapped.
  mapped_file() = default;
  /// Maps `path` when it is a regular, non-empty file; otherwise (or when mapping fails)
  /// `mapped()` is false and the caller reads the file another way, which reports why.
  explicit mapped_file(const std::filesystem::path& path);
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
  ~mapped_file();

  /// Whether the file is mapped.
  [[nodiscard]] bool mapped() const noexcept { return base_ != nullptr; }
  /// The file's first byte.
  [[nodiscard]] const char* data() const noexcept { return base_; }
  /// The file's size in bytes.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Drops from memory the whole pages inside `[begin, end)` (pointers into the file). Safe
  /// from several threads on disjoint ranges.
  void release(const char* begin, const char* end) const noexcept;
  /// `release` as a plain function, for `detail::release_hook` (`context` is the file).
  static void release_hook_fn(const void* context, const char* begin, const char* end) noexcept;

 private:
  char* base_ = nullptr;
  std::size_t size_ = 0;
  std::size_t mapping_ = 0;  // bytes mapped: the file's pages and one zero page after them
};

}  // namespace tracefold::ingest::detail
