#include <simdjson.h>

#include <string.h>  // memrchr
#include <cerrno>
#include <cstring>
#include <system_error>
#include <tracefold/ingest/line_windows.hpp>
#include <utility>

#include "mapped_file.hpp"
#include "otlp_json_reader.hpp"
#include "window_reader.hpp"

namespace tracefold::ingest {

static_assert(window_padding >= simdjson::SIMDJSON_PADDING,
              "line windows must carry the padding simdjson reads past the end");

namespace {

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
  // A regular file: mapped, and the windows are views into it (file stays null).
  std::shared_ptr<const detail::mapped_file> map;
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
  if (auto m = std::make_shared<const detail::mapped_file>(path); m->mapped()) {
    s_->map = std::move(m);
    return;
  }
  // Not a regular file, or empty, or the mapping failed: read it as a stream.
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

std::optional<line_window> line_windows::next() {
  state& s = *s_;
  if (s.finished) return std::nullopt;
  if (s.map) {
    // A view from s.offset to just after the last newline within the window (or the first
    // newline after it, for a longer line).
    const char* const base = s.map->data();
    const std::size_t size = s.map->size();  // not 0: empty files are not mapped
    const auto start = static_cast<std::size_t>(s.offset);
    if (start >= size) {  // the file ended with the last window's newline
      s.finished = true;
      return std::nullopt;
    }
    std::size_t end = size;
    if (size - start > s.window) {
      const void* nl = ::memrchr(base + start, '\n', s.window);
      if (nl == nullptr) nl = std::memchr(base + start + s.window, '\n', size - start - s.window);
      if (nl != nullptr) end = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
    }
    line_window w;
    w.data = base + start;
    w.size = end - start;
    w.offset = s.offset;
    w.line = s.line;
    w.backing = s.map;
    w.mapped = true;
    if (!s.any_content && detail::first_non_space(w.data, w.size) != w.size) s.any_content = true;
    if (end == size) {
      s.finished = true;
      w.blank_input = !s.any_content;
    }
    s.offset = end;
    s.bytes = end;
    s.line += count_newlines(w.data, w.size);
    return w;
  }
  constexpr std::size_t pad = window_padding;
  // buf[0, used) holds the carried partial line plus new bytes; the padding goes after.
  std::size_t want = s.window;
  std::size_t used = s.carry_size;
  std::size_t capacity = used + want + pad;
  auto buf = std::make_unique_for_overwrite<char[]>(capacity);
  if (used != 0) std::memcpy(buf.get(), s.carry.get(), used);
  std::size_t chunk = 0;  // bytes up to and including the last newline
  while (!s.eof) {
    if (used + want + pad > capacity) {
      capacity = used + want + pad;
      auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
      std::memcpy(bigger.get(), buf.get(), used);
      buf = std::move(bigger);
    }
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
    want *= 2;  // one line longer than the window: read more of it
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
  w.line = s.line;
  if (detail::first_non_space(buf.get(), chunk) != chunk) s.any_content = true;
  if (s.eof && tail == 0) {
    s.finished = true;
    w.blank_input = !s.any_content;
  }
  s.offset += chunk;
  s.line += count_newlines(buf.get(), chunk);
  w.data = buf.get();
  w.backing = std::shared_ptr<const char[]>(std::move(buf));
  return w;
}

namespace detail {

bool read_window_into(const line_window& w, const read_options& options, trace_set_builder& b,
                      read_stats& stats) {
  if (!w.blank_input && first_non_space(w.data, w.size) == w.size) {
    stats.bytes += w.size;  // only whitespace: nothing to read
    return true;
  }
  const std::size_t had = b.diagnostics().size();
  const bool complete = read_otlp_buffer(w.data, w.size, layout::json_lines, options, b, stats);
  if (w.mapped)  // read: its pages may go (the page cache keeps them)
    static_cast<const mapped_file*>(w.backing.get())->release_from_page_of(w.data, w.data + w.size);
  auto diags = b.diagnostics();
  for (std::size_t i = had; i < diags.size(); ++i) {
    diags[i].byte_offset += w.offset;
    if (diags[i].line != 0) diags[i].line += w.line - 1;  // windows start at line starts
  }
  return complete;
}

}  // namespace detail

read_result read_window(const line_window& window, const read_options& options) {
  trace_set_builder b;
  b.reserve(detail::expected_spans(window.size));
  read_result r;
  r.complete = detail::read_window_into(window, options, b, r.stats);
  r.traces = std::move(b).build();
  return r;
}

}  // namespace tracefold::ingest
