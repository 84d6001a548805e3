#pragma once
/// @file
/// `ingest::line_windows`: a JSON Lines input read in windows of whole lines, and
/// `ingest::read_window`, which reads one window.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tracefold/ingest/read_options.hpp>
#include <tracefold/ingest/read_result.hpp>
#include <tracefold/model/diagnostic.hpp>

namespace tracefold::ingest {

/// Bytes readable after every window's text: simdjson reads up to 64 bytes past the end.
inline constexpr std::size_t window_padding = 64;

/// A run of whole lines of a JSON Lines input, with where it sits in the input.
///
/// A move-only value: hand it to another thread, read it there with `read_window`, drop it.
/// It owns (shares) the buffer its text lives in, so it may outlive its `line_windows`.
/// `data` points at `size` bytes of text followed by `window_padding` zero bytes.
struct line_window {
  const char* data = nullptr;  ///< the text, then `window_padding` zero bytes
  std::size_t size = 0;        ///< bytes of text (whole lines; the last may lack its '\n')
  std::uint64_t offset = 0;    ///< byte offset of `data[0]` in the input
  /// 1-based line number of the first line, or 0 when its `line_windows` does not count
  /// lines (`set_count_lines(false)`): `read_window` then numbers lines from the window's
  /// first, and the caller shifts them (`fold_json_lines` does).
  std::uint64_t line = 1;
  /// The last window of an input that holds no JSON at all (empty or only whitespace):
  /// `read_window` reports it as `empty_input`. Other windows of only whitespace read as
  /// nothing (their bytes are counted).
  bool blank_input = false;
  /// The buffer `data` lives in, shared with nobody else. Freed with the last copy of the
  /// window; a buffer of 2 MiB or more goes back to a cache the next windows are read into.
  std::shared_ptr<const void> backing{};

  /// The text, without the padding.
  [[nodiscard]] std::string_view text() const noexcept { return {data, size}; }
};

/// A JSON Lines source read sequentially in windows of whole lines: a file (opened and
/// closed here) or a `std::FILE*` the caller owns (stdin).
///
/// `next()` reads about `window_bytes()` bytes and cuts after the last newline; the partial
/// line after it starts the next window. A line longer than the window is taken whole (the
/// buffer doubles until it holds it). Memory holds the windows not yet dropped plus the
/// carried partial line, whatever the input's size. Windows of 2 MiB or more are read into
/// whole huge-page blocks (`detail::allocate_large`) that are reused once a window is
/// dropped, so a long input is read into the same few buffers, not into fresh memory per
/// window. Files are read with `read`, not mapped: on the VMs measured (docs/performance.md)
/// touching a freshly mapped page cost more than copying it into a buffer already in use.
/// The line numbers and byte offsets the windows carry let `read_window` report diagnostics
/// at whole-file positions.
///
/// An I/O error (the file cannot be opened, is a directory, or a read fails) becomes
/// `error()`, an `io_error` diagnostic naming the source; the bytes read before a failed
/// read still come as a last window. Not thread-safe: callers serialize `next()`; the
/// windows themselves are independent values.
///
/// @code
/// ingest::line_windows in("dump.jsonl");
/// while (auto w = in.next()) {
///   ingest::read_result r = ingest::read_window(*w, {.source_name = in.name()});
///   // ... fold r.traces, then drop r and *w
/// }
/// if (in.error()) std::cerr << to_string(*in.error()) << '\n';
/// @endcode
class line_windows {
 public:
  /// Windows of about 4 MiB unless told otherwise.
  static constexpr std::size_t default_window_bytes = std::size_t{4} << 20;

  /// Opens `path` for reading (`name` defaults to the path, for diagnostics). A file that
  /// cannot be opened gives no windows and an `error()`.
  explicit line_windows(const std::filesystem::path& path,
                        std::size_t window_bytes = default_window_bytes, std::string name = {});

  /// Reads from `file` (not closed here), e.g. `stdin` named "-".
  line_windows(std::FILE* file, std::string name, std::size_t window_bytes = default_window_bytes);

  line_windows(line_windows&&) noexcept;
  line_windows& operator=(line_windows&&) noexcept;
  line_windows(const line_windows&) = delete;
  line_windows& operator=(const line_windows&) = delete;
  ~line_windows();

  /// The next window, or nullopt at the end of the input (or after an I/O error).
  ///
  /// Every window but the last ends with a newline. An empty input gives one empty window
  /// (marked `blank_input`), so reading it reports the empty input as a whole-buffer read
  /// would. O(window) time: one read, one copy of the carried partial line, and one pass to
  /// count newlines (none with `set_count_lines(false)`).
  [[nodiscard]] std::optional<line_window> next();

  /// The name diagnostics use: the path, "-", or what the constructor was given.
  [[nodiscard]] const std::string& name() const noexcept;

  /// Bytes read from the source so far (windows handed out plus the carried partial line).
  [[nodiscard]] std::uint64_t bytes_read() const noexcept;

  /// The I/O error met, as an `io_error` diagnostic; nullopt while all is well.
  [[nodiscard]] const std::optional<diagnostic>& error() const noexcept;

  /// Window size in bytes (at least 1).
  [[nodiscard]] std::size_t window_bytes() const noexcept;

  /// Sets the window size for the windows read from now on (0 is taken as 1).
  void set_window_bytes(std::size_t bytes) noexcept;

  /// Whether windows carry their first line's number (the default). Counting is a pass over
  /// each window's text inside `next()`, which callers serialize; a caller that reads windows
  /// on several threads turns it off, asks `read_window` for each window's newline count
  /// (taken on the reading thread, while the text is in cache) and adds them up in order.
  [[nodiscard]] bool counts_lines() const noexcept;

  /// Turns line counting on or off for the windows read from now on. Off, windows carry
  /// `line == 0` and `next_line()` stays where it was.
  void set_count_lines(bool count) noexcept;

  /// 1-based number of the line the next window starts on, as counted so far (it does not
  /// move while counting is off).
  [[nodiscard]] std::uint64_t next_line() const noexcept;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

/// Reads one window as `read_otlp_json_padded` reads JSON Lines, with every diagnostic at its
/// position in the whole input: file (`options.source_name`), line, column and byte offset
/// exactly as `read_file` reports them for the same lines.
///
/// `stats.bytes` is the window's size. A window of only whitespace reads as nothing (no
/// diagnostic) unless it is `blank_input`. Returns the window's traces, built; lenient and
/// strict modes as in `read_otlp_json` (`complete` is false after a strict-mode stop).
/// `options.threads` and `options.stream_window` are not used.
///
/// A window with `line == 0` (from a `line_windows` that does not count lines) gets line
/// numbers counted from its first line. When `newlines` is not null it is set to the number
/// of newlines in the window's text, so the caller can number the next window's lines.
[[nodiscard]] read_result read_window(const line_window& window, const read_options& options,
                                      std::uint64_t* newlines = nullptr);

}  // namespace tracefold::ingest
