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
  ///
  /// `sync` (the default) makes `commit()` flush the data to the disk (fsync) before the
  /// rename, so even a power cut leaves the old file or the whole new one. Without it the
  /// rename is still atomic for every other process (an interrupted run leaves no partial
  /// file), but after a crash the file's data may be missing; a writer of thousands of small
  /// files (one SVG per trace) passes false and syncs the file system once at the end.
  explicit atomic_file(std::filesystem::path path, bool sync = true);
  atomic_file(atomic_file&& other) noexcept;
  atomic_file& operator=(atomic_file&&) = delete;
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  /// Removes the temporary file unless committed.
  ~atomic_file();

  /// Appends `bytes`.
  void write(std::string_view bytes);
  /// Flushes, syncs (unless constructed with `sync` false) and renames the temporary file to
  /// the final path.
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
  bool sync_ = true;
};

}  // namespace tracefold::emit
