#include "mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>

namespace tracefold::ingest::detail {

namespace {

std::size_t page_size() noexcept {
  static const auto size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

}  // namespace

mapped_file::mapped_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
    ::close(fd);
    return;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  const std::size_t page = page_size();
  const std::size_t file_pages = (size + page - 1) / page * page;
  // Address space for the file and one page more, zero-filled: the padding. Then the file
  // is mapped over its start; its last page is zero past the file's end.
  const std::size_t total = file_pages + page;
  void* area = ::mmap(nullptr, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (area == MAP_FAILED) {
    ::close(fd);
    return;
  }
  void* file = ::mmap(area, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
  ::close(fd);  // the mapping keeps the file open
  if (file == MAP_FAILED) {
    ::munmap(area, total);
    return;
  }
  // Read front to back: read ahead, and start now.
  ::madvise(area, size, MADV_SEQUENTIAL);
  ::madvise(area, size, MADV_WILLNEED);
  base_ = static_cast<char*>(area);
  size_ = size;
  mapping_ = total;
}

mapped_file::~mapped_file() {
  if (base_ != nullptr) ::munmap(base_, mapping_);
}

void mapped_file::release(const char* begin, const char* end) const noexcept {
  if (base_ == nullptr || begin < base_ || end > base_ + size_ || begin >= end) return;
  const std::size_t page = page_size();
  const auto from = (static_cast<std::size_t>(begin - base_) + page - 1) / page * page;
  const auto to = static_cast<std::size_t>(end - base_) / page * page;
  if (from < to) ::madvise(base_ + from, to - from, MADV_DONTNEED);
}

void mapped_file::release_hook_fn(const void* context, const char* begin,
                                  const char* end) noexcept {
  static_cast<const mapped_file*>(context)->release(begin, end);
}

}  // namespace tracefold::ingest::detail
