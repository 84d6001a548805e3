#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <tracefold/ingest/line_windows.hpp>
#include <tracefold/model/detail/huge_pages.hpp>
#include <utility>

#include "otlp_json_reader.hpp"
#include "window_reader.hpp"

namespace tracefold::ingest {

static_assert(window_padding >= simdjson::SIMDJSON_PADDING,
              "line windows must carry the padding simdjson reads past the end");

namespace {

/// Whether `[p, p + n)`, at `offset` in the input, holds no JSON: whitespace only, after a
/// UTF-8 byte order mark when it starts the input (the first window holds the whole first
/// line, so a mark is never cut).
bool holds_no_json(const char* p, std::size_t n, std::uint64_t offset) noexcept {
  const std::size_t start = offset == 0 && n >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  return start + detail::first_non_space(p + start, n - start) == n;
}

/// Newlines in `[p, p + n)`, a memchr per line (lines are long: a request each).
std::uint64_t count_newlines(const char* p, std::size_t n) {
  std::uint64_t lines = 0;
  const char* const end = p + n;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) break;
    ++lines;
    p = static_cast<const char*>(nl) + 1;
  }
  return lines;
}

/// A window's buffer. A window of `large_block` or more gets whole huge-page blocks from
/// `allocate_large`: freed, they are kept and handed to the next window, so reading a file
/// window after window does not fault in and zero fresh pages for each. Smaller ones (small
/// windows) come from `new`.
class window_buffer {
 public:
  explicit window_buffer(std::size_t bytes)
      : bytes_(bytes),
        data_(bytes >= tracefold::detail::large_block
                  ? static_cast<char*>(tracefold::detail::allocate_large(bytes))
                  : new char[bytes]) {}
  window_buffer(window_buffer&& o) noexcept
      : bytes_(o.bytes_), data_(std::exchange(o.data_, nullptr)) {}
  window_buffer& operator=(window_buffer&& o) noexcept {
    std::swap(bytes_, o.bytes_);
    std::swap(data_, o.data_);
    return *this;
  }
  window_buffer(const window_buffer&) = delete;
  window_buffer& operator=(const window_buffer&) = delete;
  ~window_buffer() {
    if (data_ != nullptr) release(data_, bytes_);
  }

  [[nodiscard]] char* get() const noexcept { return data_; }
  char& operator[](std::size_t i) const noexcept { return data_[i]; }

  /// Hands the buffer to a shared owner (the window's `backing`).
  [[nodiscard]] std::shared_ptr<const void> share() && {
    const std::size_t bytes = bytes_;
    // (if the control block cannot be allocated, shared_ptr calls the deleter itself)
    return {std::exchange(data_, nullptr),
            [bytes](const void* p) { release(static_cast<char*>(const_cast<void*>(p)), bytes); }};
  }

 private:
  static void release(char* p, std::size_t bytes) noexcept {
    if (bytes >= tracefold::detail::large_block) {
      tracefold::detail::deallocate_large(p, bytes);
    } else {
      delete[] p;
    }
  }
  std::size_t bytes_;
  char* data_;
};

/// The size of a buffer for `used` carried bytes, `want` more and the padding. Small windows
/// get just that. Windows of `large_block` or more get whole blocks: a window's first buffer
/// is its size rounded down (it then reads a little less than `window`, and no block is left
/// mostly unused) unless the carried bytes need more; a grown one is rounded up.
std::size_t buffer_capacity(std::size_t used, std::size_t want, std::size_t window, bool first) {
  constexpr std::size_t block = tracefold::detail::large_block;
  const std::size_t need = used + want + window_padding;
  if (window < block) return need;
  if (first && window / block * block >= used + window_padding + 4096)
    return window / block * block;
  return (need + block - 1) / block * block;
}

diagnostic io_error(const std::string& name, std::uint64_t offset, std::string message) {
  diagnostic d;
  d.severity = severity::error;
  d.code = diagnostic_code::io_error;
  d.file = name;
  d.byte_offset = offset;
  d.message = std::move(message);
  return d;
}

}  // namespace

struct line_windows::state {
  std::FILE* file = nullptr;
  bool owned = false;  // opened here, closed here
  std::string name;
  std::size_t window = default_window_bytes;
  // The partial line after the last window's final newline. Not a std::string: growing one
  // zero-fills what is about to be overwritten.
  std::unique_ptr<char[]> carry;
  std::size_t carry_size = 0;
  std::size_t carry_capacity = 0;
  std::uint64_t offset = 0;  // input offset of the next window
  std::uint64_t line = 1;    // line number of the next window's first line
  std::uint64_t bytes = 0;   // bytes read from the file
  bool eof = false;          // the file has nothing more (or failed)
  bool finished = false;     // every byte has been handed out
  bool any_content = false;  // some window held more than whitespace
  bool count_lines = true;   // windows carry their first line's number
  std::optional<diagnostic> error;

  state() = default;
  state(const state&) = delete;
  state& operator=(const state&) = delete;
  ~state() {
    if (owned && file != nullptr) std::fclose(file);
  }
};

line_windows::line_windows(const std::filesystem::path& path, std::size_t window_bytes,
                           std::string name)
    : s_(std::make_unique<state>()) {
  s_->name = name.empty() ? path.string() : std::move(name);
  set_window_bytes(window_bytes);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    s_->error = io_error(s_->name, 0, "is a directory, not a file");
    s_->finished = true;
    return;
  }
  s_->file = std::fopen(path.c_str(), "rb");
  if (s_->file == nullptr) {
    const int why = errno;
    std::string message(std::filesystem::exists(path, ec) ? "cannot be read" : "no such file");
    message.append(" (").append(std::strerror(why)).append(")");
    s_->error = io_error(s_->name, 0, std::move(message));
    s_->finished = true;
    return;
  }
  s_->owned = true;
}

line_windows::line_windows(std::FILE* file, std::string name, std::size_t window_bytes)
    : s_(std::make_unique<state>()) {
  s_->file = file;
  s_->name = std::move(name);
  set_window_bytes(window_bytes);
  if (file == nullptr) {
    s_->error = io_error(s_->name, 0, "no input stream");
    s_->finished = true;
  }
}

line_windows::line_windows(line_windows&&) noexcept = default;
line_windows& line_windows::operator=(line_windows&&) noexcept = default;
line_windows::~line_windows() = default;

const std::string& line_windows::name() const noexcept { return s_->name; }
std::uint64_t line_windows::bytes_read() const noexcept { return s_->bytes; }
const std::optional<diagnostic>& line_windows::error() const noexcept { return s_->error; }
std::size_t line_windows::window_bytes() const noexcept { return s_->window; }
void line_windows::set_window_bytes(std::size_t bytes) noexcept {
  s_->window = bytes == 0 ? 1 : bytes;
}
bool line_windows::counts_lines() const noexcept { return s_->count_lines; }
void line_windows::set_count_lines(bool count) noexcept { s_->count_lines = count; }
std::uint64_t line_windows::next_line() const noexcept { return s_->line; }

std::optional<line_window> line_windows::next() {
  state& s = *s_;
  if (s.finished) return std::nullopt;
  constexpr std::size_t pad = window_padding;
  // buf[0, used) holds the carried partial line plus new bytes; the padding goes after.
  std::size_t used = s.carry_size;
  std::size_t want = s.window;  // bytes to read next; doubles while no newline comes
  std::size_t capacity = buffer_capacity(used, want, s.window, true);
  window_buffer buf(capacity);
  if (used != 0) std::memcpy(buf.get(), s.carry.get(), used);
  std::size_t chunk = 0;  // bytes up to and including the last newline
  // Large windows read whatever fits in their blocks, and grow twofold when full.
  const bool large = s.window >= tracefold::detail::large_block;
  while (!s.eof) {
    if (large ? used + pad + 4096 > capacity : used + want + pad > capacity) {
      // one line longer than the window: read more of it
      capacity = buffer_capacity(used, large ? std::max(want, capacity) : want, s.window, false);
      window_buffer bigger(capacity);
      std::memcpy(bigger.get(), buf.get(), used);
      buf = std::move(bigger);
    }
    if (large) want = capacity - pad - used;
    const std::size_t got = std::fread(buf.get() + used, 1, want, s.file);
    const std::size_t old = used;
    used += got;
    s.bytes += got;
    if (got < want) {
      if (std::ferror(s.file)) s.error = io_error(s.name, s.offset + used, "read error");
      s.eof = true;
    }
    // The carried bytes hold no newline (they follow the last one), so only the new bytes
    // can hold the last newline.
    for (std::size_t i = used; i > old; --i)
      if (buf[i - 1] == '\n') {
        chunk = i;
        break;
      }
    if (chunk != 0) break;
    want *= 2;
  }
  if (s.eof) chunk = used;
  if (used == 0 && s.any_content) {  // the input ended with the last window's newline
    s.finished = true;
    return std::nullopt;
  }
  // Keep the partial line for the next window.
  const std::size_t tail = used - chunk;
  if (tail > s.carry_capacity) {
    s.carry = std::make_unique_for_overwrite<char[]>(tail);
    s.carry_capacity = tail;
  }
  if (tail != 0) std::memcpy(s.carry.get(), buf.get() + chunk, tail);
  s.carry_size = tail;
  std::memset(buf.get() + chunk, 0, pad);

  line_window w;
  w.size = chunk;
  w.offset = s.offset;
  w.line = s.count_lines ? s.line : 0;
  if (!holds_no_json(buf.get(), chunk, s.offset)) s.any_content = true;
  if (s.eof && tail == 0) {
    s.finished = true;
    w.blank_input = !s.any_content;
  }
  s.offset += chunk;
  if (s.count_lines) s.line += count_newlines(buf.get(), chunk);
  w.data = buf.get();
  w.backing = std::move(buf).share();
  return w;
}

namespace detail {

bool read_window_into(const line_window& w, const read_options& options, trace_set_builder& b,
                      read_stats& stats, std::uint64_t* newlines) {
  if (!w.blank_input && holds_no_json(w.data, w.size, w.offset)) {
    stats.bytes += w.size;  // only whitespace: nothing to read
    if (newlines != nullptr) *newlines = count_newlines(w.data, w.size);
    return true;
  }
  const std::size_t had = b.diagnostics().size();
  const bool complete = read_otlp_buffer(w.data, w.size, layout::json_lines, options, b, stats);
  if (newlines != nullptr) *newlines = count_newlines(w.data, w.size);  // (still in cache)
  auto diags = b.diagnostics();
  for (std::size_t i = had; i < diags.size(); ++i) {
    diags[i].byte_offset += w.offset;
    if (diags[i].line != 0 && w.line != 0)
      diags[i].line += w.line - 1;  // windows start at line starts
    // The empty last window of an input whose whitespace filled earlier windows: the reader
    // saw no bytes, the input had some.
    if (diags[i].code == diagnostic_code::empty_input && w.size == 0 && w.offset != 0)
      diags[i].message = empty_input_message(false);
  }
  return complete;
}

}  // namespace detail

read_result read_window(const line_window& window, const read_options& options,
                        std::uint64_t* newlines) {
  trace_set_builder b;
  b.reserve(detail::expected_spans(window.size));
  read_result r;
  r.complete = detail::read_window_into(window, options, b, r.stats, newlines);
  r.traces = std::move(b).build();
  return r;
}

}  // namespace tracefold::ingest
