#pragma once
/// @file
/// `emit::atomic_file`: an output file that appears whole or not at all.

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace tracefold::emit {

/// Writes to a temporary file beside `path` and renames it over `path` on `commit()`.
///
/// Until `commit()` succeeds nothing exists at `path` (an earlier file there is untouched);
/// if the object is destroyed without a commit (an error, an exception, an interrupted run
/// that unwinds), the temporary file is removed. Writes are buffered by stdio. Move-only.
/// Errors throw `std::filesystem::filesystem_error` naming the path and the system's reason.
class atomic_file {
 public:
  /// Creates the temporary file `path.tmp-XXXXXX` in the same directory.
  explicit atomic_file(std::filesystem::path path);
  atomic_file(atomic_file&& other) noexcept;
  atomic_file& operator=(atomic_file&&) = delete;
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  /// Removes the temporary file unless committed.
  ~atomic_file();

  /// Appends `bytes`.
  void write(std::string_view bytes);
  /// Flushes, syncs and renames the temporary file to the final path.
  void commit();
  /// Removes the temporary file now; `commit()` is no longer possible.
  void discard() noexcept;

  /// The final path.
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  /// The temporary path (empty after commit or discard).
  [[nodiscard]] const std::filesystem::path& temporary_path() const noexcept { return tmp_; }

 private:
  std::filesystem::path path_;
  std::filesystem::path tmp_;
  std::FILE* file_ = nullptr;
};

}  // namespace tracefold::emit
