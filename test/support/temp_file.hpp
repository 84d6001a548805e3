#pragma once
// A file in the temporary directory holding given text, removed with the object: the inputs
// of the file-reading tests.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace tft {

/// A file in the temporary directory, removed with this object.
class temp_file {
 public:
  /// Writes `text` to a new file named after the process, a counter and `suffix`.
  explicit temp_file(std::string_view text = {}, std::string_view suffix = ".jsonl") {
    static int n = 0;
    path_ =
        std::filesystem::temp_directory_path() / ("tracefold-test-" + std::to_string(::getpid()) +
                                                  "-" + std::to_string(n++) + std::string(suffix));
    std::ofstream(path_, std::ios::binary) << text;
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  /// Where the file is.
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace tft
