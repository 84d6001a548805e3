#pragma once
/// @file
/// `cli::interrupts` and `cli::output_file`: an interrupted run leaves no partial and no
/// temporary files.
#include <filesystem>
#include <string_view>
#include <tracefold/emit/atomic_file.hpp>

namespace tracefold::cli {

/// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (and so in every thread it
/// starts afterwards) and starts one thread that waits for them. When one arrives, that thread
/// removes every temporary file an `output_file` holds open and ends the process with the
/// signal's default action (exit status 128 + signal number), so neither a partial output nor
/// a temporary file is left behind. SIGPIPE keeps its default action: it can only come from
/// standard output (`tracefold stats | head`), and nothing is written to files in a run that
/// writes to standard output, so ending quietly is right. Call once, first thing in `main`, before
/// any thread starts.
void install_interrupt_handling();

/// An output file written atomically (`emit::atomic_file`) whose temporary file is known to the
/// interrupt thread: creating, committing and discarding happen under the lock that thread
/// takes, so a signal can never strike between creating a temporary file and registering it.
class output_file {
 public:
  /// Creates the temporary file beside `path`. Throws `std::filesystem::filesystem_error`.
  /// `sync` as for `emit::atomic_file` (false for the many small files of one run: the
  /// rename is atomic either way; only durability across a power cut is given up).
  explicit output_file(std::filesystem::path path, bool sync = true);
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;
  /// Removes the temporary file unless committed.
  ~output_file();
  /// Appends `bytes`.
  void write(std::string_view bytes) { file_.write(bytes); }
  /// Renames the temporary file to the final path.
  void commit();
  /// The final path.
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return file_.path(); }

 private:
  emit::atomic_file file_;
  int slot_ = -1;
};

}  // namespace tracefold::cli
