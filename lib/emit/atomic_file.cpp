#include <fcntl.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <system_error>
#include <tracefold/emit/atomic_file.hpp>

namespace tracefold::emit {

namespace {
[[noreturn]] void fail(const char* what, const std::filesystem::path& p, int err) {
  throw std::filesystem::filesystem_error(what, p, std::error_code(err, std::generic_category()));
}
}  // namespace

atomic_file::atomic_file(std::filesystem::path path, bool sync)
    : path_(std::move(path)), sync_(sync) {
  // O_EXCL with a random name (not mkstemp, which makes 0600 files): the output gets the
  // permissions any new file gets under the process umask.
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  int fd = -1;
  std::string name;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%d-%08x", static_cast<int>(::getpid()),
                  rd() ^ (counter.fetch_add(1) * 0x9E3779B9u));
    name = path_.string() + suffix;
    fd = ::open(name.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) fail("cannot create a temporary file beside", path_, errno);
  }
  if (fd < 0) fail("cannot create a temporary file beside", path_, EEXIST);
  file_ = ::fdopen(fd, "wb");
  if (!file_) {
    const int err = errno;
    ::close(fd);
    ::unlink(name.c_str());
    fail("cannot open a temporary file beside", path_, err);
  }
  tmp_ = name;
}

atomic_file::atomic_file(atomic_file&& other) noexcept
    : path_(std::move(other.path_)),
      tmp_(std::move(other.tmp_)),
      file_(other.file_),
      sync_(other.sync_) {
  other.file_ = nullptr;
  other.tmp_.clear();
}

atomic_file::~atomic_file() { discard(); }

void atomic_file::write(std::string_view bytes) {
  if (!file_) fail("write after commit or discard", path_, EBADF);
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    fail("cannot write", tmp_, errno);
}

void atomic_file::commit() {
  if (!file_) fail("commit after commit or discard", path_, EBADF);
  if (std::fflush(file_) != 0) fail("cannot write", tmp_, errno);
  if (sync_ && ::fsync(::fileno(file_)) != 0) fail("cannot sync", tmp_, errno);
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    tmp_.clear();
    fail("cannot close", path_, err);
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    tmp_.clear();
    fail("cannot rename the temporary file to", path_, err);
  }
  tmp_.clear();
}

void atomic_file::discard() noexcept {
  if (file_) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!tmp_.empty()) {
    ::unlink(tmp_.c_str());
    tmp_.clear();
  }
}

}  // namespace tracefold::emit
