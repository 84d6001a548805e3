#include "otlp_json_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <tracefold/model/detail/huge_pages.hpp>
#include <type_traits>
#include <vector>

#include "ondemand_util.hpp"
#include "text_util.hpp"

#if defined(__AVX2__) || defined(__SSSE3__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tracefold::ingest::detail {

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

/// Outcome of reading one field.
enum class fate {
  ok,       ///< read and stored
  reject,   ///< the enclosing span is rejected (diagnostic already recorded)
  fatal,    ///< the document cannot be read further (diagnostic already recorded)
  unknown,  ///< the key is none the reader knows (never leaves `with_key`)
};

/// simdjson errors after which the iterator is still usable: the value was not consumed
/// (type and number errors) or was consumed whole (string unescape errors).
bool recoverable(error_code e) {
  switch (e) {
    case simdjson::INCORRECT_TYPE:
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
    case simdjson::STRING_ERROR:
      return true;
    default:
      return false;
  }
}

/// `k` equals the literal `lit`. The length is a constant, and the compare is written as
/// word compares so it is inlined whatever the length (glibc's memcmp is a call): 8-byte
/// words, the last one overlapping the one before (or two overlapping 4-byte words for
/// names of 4 to 7 bytes). Nothing outside `k` is read.
template <std::size_t N>
inline bool key_eq(std::string_view k, const char (&lit)[N]) {
  constexpr std::size_t n = N - 1;
  if (k.size() != n) return false;
  if constexpr (n >= 8) {
    std::uint64_t diff = 0;
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::uint64_t a, b;
      std::memcpy(&a, k.data() + i, 8);
      std::memcpy(&b, lit + i, 8);
      diff |= a ^ b;
    }
    if constexpr (n % 8 != 0) {
      std::uint64_t a, b;
      std::memcpy(&a, k.data() + n - 8, 8);
      std::memcpy(&b, lit + n - 8, 8);
      diff |= a ^ b;
    }
    return diff == 0;
  } else if constexpr (n >= 4) {
    std::uint32_t a, b, c, d;
    std::memcpy(&a, k.data(), 4);
    std::memcpy(&b, lit, 4);
    std::memcpy(&c, k.data() + n - 4, 4);
    std::memcpy(&d, lit + n - 4, 4);
    return ((a ^ b) | (c ^ d)) == 0;
  } else {
    for (std::size_t i = 0; i < n; ++i)
      if (k[i] != lit[i]) return false;
    return true;
  }
}

/// A key as written in the input: `p` is just past its opening quote and the key ends at
/// the first unescaped quote. Keys are matched without finding their end first: a literal
/// name matches when the bytes at `p` are the name followed by a quote (a key written with
/// escapes never does; `reader::unescaped` handles those). `p` points into a padded
/// buffer, so up to 8 bytes past the quote may be read.
struct raw_key {
  const char* p;
};

/// `k` is the literal `lit` (then a closing quote). 8-byte word compares, the last one
/// masked, so it is a few instructions whatever the length.
template <std::size_t N>
inline bool key_eq(raw_key k, const char (&lit)[N]) {
  constexpr std::size_t n = N - 1;  // the name's length; byte n of the key must be '"'
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t a, b;
    std::memcpy(&a, k.p + i, 8);
    std::memcpy(&b, lit + i, 8);
    if (a != b) return false;
  }
  // The rest of the name and the quote: r + 1 <= 8 bytes, compared in one load.
  constexpr std::size_t r = n % 8;
  char want[8] = {};
  for (std::size_t j = 0; j < r; ++j) want[j] = lit[i + j];
  want[r] = '"';
  char got[8];
  std::memcpy(got, k.p + i, 8);
  for (std::size_t j = r + 1; j < 8; ++j) got[j] = 0;
  std::uint64_t a, b;
  std::memcpy(&a, got, 8);
  std::memcpy(&b, want, 8);
  return a == b;
}

/// The text of `k` up to its closing quote, escapes as written (for messages).
inline std::string_view raw_key_text(raw_key k) {
  std::size_t n = 0;
  while (k.p[n] != '"') n += k.p[n] == '\\' ? 2 : 1;
  return {k.p, n};
}

/// `a == b`, with short strings compared inline (glibc's memcmp is a call): up to 16 bytes
/// as two overlapping words, up to 32 as two overlapping 16-byte vectors, never reading
/// outside either string.
inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
#if defined(__SSE2__)
  if (n > 16 && n <= 32) {  // two 16-byte compares, the second overlapping the first
    const auto x = [](const char* p) {
      return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    };
    const __m128i d = _mm_or_si128(_mm_xor_si128(x(a.data()), x(b.data())),
                                   _mm_xor_si128(x(a.data() + n - 16), x(b.data() + n - 16)));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(d, _mm_setzero_si128())) == 0xFFFF;
  }
#endif
  if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
  if (n >= 8) {
    std::uint64_t x, y, z, w;
    std::memcpy(&x, a.data(), 8);
    std::memcpy(&y, b.data(), 8);
    std::memcpy(&z, a.data() + n - 8, 8);
    std::memcpy(&w, b.data() + n - 8, 8);
    return ((x ^ y) | (z ^ w)) == 0;
  }
  if (n >= 4) {
    std::uint32_t x, y, z, w;
    std::memcpy(&x, a.data(), 4);
    std::memcpy(&y, b.data(), 4);
    std::memcpy(&z, a.data() + n - 4, 4);
    std::memcpy(&w, b.data() + n - 4, 4);
    return ((x ^ y) | (z ^ w)) == 0;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

/// `k` is the lowerCamelCase or the snake_case spelling of a field.
template <std::size_t A, std::size_t B>
inline bool is(raw_key k, const char (&camel)[A], const char (&snake)[B]) {
  return key_eq(k, camel) || key_eq(k, snake);
}

/// One step of a JSON path: a key as written (`raw`), a key by name (`key`), or else an
/// array index.
struct path_step {
  std::string_view key;
  std::size_t index = 0;
  const char* raw = nullptr;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

/// JSON Lines when the first non-blank line ends with `}` and the next non-blank text is not
/// `,`, `}` or `]`: inside one JSON document nothing else can follow a `}`, so that means two
/// top-level values. Costs one memchr for the first newline, however long the line.
layout sniff_layout(const char* data, std::size_t size, layout how) {
  if (how == layout::json_lines) return how;
  std::size_t first = size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (first < size && is_space(data[first])) ++first;
  if (first == size || data[first] != '{') return layout::sniff;
  const void* nl = std::memchr(data + first, '\n', size - first);
  if (nl == nullptr) return layout::sniff;  // one line: one document
  std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
  std::size_t last = end;
  while (last > first && is_space(data[last - 1])) --last;
  if (last == first || data[last - 1] != '}') return layout::sniff;
  std::size_t next = end;
  while (next < size && is_space(data[next])) ++next;
  // Inside one document a `}` can only be followed by `,`, `}` or `]`; anything else means
  // a second top-level value, i.e. JSON Lines.
  if (next < size && data[next] != ',' && data[next] != '}' && data[next] != ']')
    return layout::json_lines;
  return layout::sniff;
}

namespace {

std::atomic<bool> fast_path_on{true};

bool fast_path_enabled() noexcept { return fast_path_on.load(std::memory_order_relaxed); }

/// The JSON path being read, as a fixed-capacity stack (no allocation, no bounds growth on
/// the hot path); steps beyond the capacity are counted and shown as "...".
class path_stack {
 public:
  void push_back(path_step s) noexcept {
    if (size_ < steps_.size()) steps_[size_] = s;
    ++size_;
  }
  void push_key(raw_key k) noexcept { push_back({{}, 0, k.p}); }
  void pop_back() noexcept { --size_; }
  void clear() noexcept { size_ = 0; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] const path_step* begin() const noexcept { return steps_.data(); }
  [[nodiscard]] const path_step* end() const noexcept {
    return steps_.data() + std::min(size_, steps_.size());
  }
  [[nodiscard]] bool truncated() const noexcept { return size_ > steps_.size(); }

 private:
  std::array<path_step, 512> steps_{};  // the deepest legal value (64 levels) needs ~260
  std::size_t size_ = 0;
};

/// The spans of a document read on the fast path, held until the whole document has been
/// read: chunks of 10,922 (a 2 MiB block each, from `allocate_large`), so a large document
/// grows without copying what it holds, and the chunks already passed to the builder can be
/// given back while the rest is added (`release_before`), so a document's spans are never
/// all held twice. A JSON Lines reader keeps its chunks from line to line, and gives them to
/// `deallocate_large`'s cache at the end, for the next window's reader.
class held_span_store {
 public:
  static constexpr std::size_t chunk_size = tracefold::detail::large_block / sizeof(span);
  static_assert(std::is_trivially_destructible_v<span>, "chunks are freed without destructors");

  held_span_store() = default;
  held_span_store(const held_span_store&) = delete;
  held_span_store& operator=(const held_span_store&) = delete;
  ~held_span_store() { free(true); }

  /// A new default span at the end.
  span& emplace_back() {
    const std::size_t c = size_ / chunk_size;
    if (c == chunks_.size()) chunks_.push_back(nullptr);
    if (chunks_[c] == nullptr)
      chunks_[c] = static_cast<span*>(tracefold::detail::allocate_large(chunk_bytes));
    span* sp = new (chunks_[c] + size_ % chunk_size) span{};
    ++size_;
    return *sp;
  }
  /// Span `i` (`i < size()`, not released).
  [[nodiscard]] span& operator[](std::size_t i) noexcept {
    return chunks_[i / chunk_size][i % chunk_size];
  }
  /// Spans held.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// No spans; the chunks are kept for the next document (a JSON Lines line).
  void clear() noexcept { size_ = 0; }
  /// Gives back to the kernel the chunks that hold only spans before `i` (they are not used
  /// again before the next `clear`, which then allocates afresh): a whole input's spans,
  /// already added to the builder, whose memory the rest of the read is better off without.
  void release_before(std::size_t i) noexcept { release(i / chunk_size, false); }
  /// Frees every chunk: to `allocate_large`'s cache when `reuse`, else to the kernel.
  void free(bool reuse) noexcept {
    release(chunks_.size(), reuse);
    chunks_.clear();
    size_ = 0;
  }

 private:
  void release(std::size_t chunks, bool reuse) noexcept {
    for (std::size_t c = 0; c < chunks && c < chunks_.size(); ++c)
      if (chunks_[c] != nullptr) {
        tracefold::detail::deallocate_large(chunks_[c], chunk_bytes, reuse);
        chunks_[c] = nullptr;
      }
  }
  static constexpr std::size_t chunk_bytes = chunk_size * sizeof(span);
  std::vector<span*> chunks_;
  std::size_t size_ = 0;
};

class reader {
 public:
  reader(const char* data, std::size_t size, const read_options& options, trace_set_builder& b,
         read_stats& stats, release_hook release)
      : data_(data),
        size_(size),
        opt_(options),
        b_(b),
        st_(stats),
        release_(release),
        released_(data) {
    kv_scratch_.resize(options.max_value_depth + 2);
    arr_scratch_.resize(options.max_value_depth + 2);
  }

  bool run(layout how) {
    std::size_t start = 0;
    if (size_ >= 3 && std::memcmp(data_, "\xEF\xBB\xBF", 3) == 0) start = 3;  // UTF-8 BOM
    std::size_t first = start;
    while (first < size_ && is_space(data_[first])) ++first;
    if (first == size_) {
      report(severity::warning, diagnostic_code::empty_input, first, {},
             std::string(empty_input_message(size_ == 0)));
      return true;
    }
    // An input that reads whole as one request on the fast path is one document: JSON Lines
    // need a second value after the first. (Sniffing costs a search for the first newline,
    // which in a document written on one line is a pass over all of it.)
    const bool whole = how == layout::sniff && read_fast_document(start, size_ - start, false);
    if (whole) return !stopped_;
    // (Texts kept from that attempt, read with newlines as blanks, are not for lines.)
    resource_memo_.clear();
    scope_memo_.clear();
    if (sniff_layout(data_, size_, how) == layout::json_lines) {
      std::size_t line_start = start;
      released_ = data_;  // (pages read by the attempt above and released are read again)
      while (line_start < size_ && !stopped_) {
        read_past(data_ + line_start);
        if (const std::size_t next = read_fast_line(line_start); next != npos) {
          line_start = next;
          continue;
        }
        const char* nl =
            static_cast<const char*>(std::memchr(data_ + line_start, '\n', size_ - line_start));
        const std::size_t line_end = nl ? static_cast<std::size_t>(nl - data_) : size_;
        std::size_t a = line_start, z = line_end;
        while (a < z && is_space(data_[a])) ++a;
        if (z - a >= 3 &&
            std::memcmp(data_ + a, "\xEF\xBB\xBF", 3) == 0) {  // a BOM (files joined with cat)
          a += 3;
          while (a < z && is_space(data_[a])) ++a;
        }
        while (z > a && is_space(data_[z - 1])) --z;
        // (read_fast_line has tried the fast path on it, or it does not start like a request)
        if (a < z) read_document(a, z - a, /*in_line=*/true, /*fast=*/false);
        line_start = line_end + 1;
      }
    } else {
      read_document(start, size_ - start, /*in_line=*/false, /*fast=*/how != layout::sniff);
    }
    return !stopped_;
  }

 private:
  /// Tells `release_` about the input before `p` once 4 MiB more of it has been read.
  void read_past(const char* p) noexcept {
    if (release_.fn != nullptr && p - released_ >= (std::ptrdiff_t{4} << 20)) {
      release_.fn(release_.context, released_, p);
      released_ = p;
    }
  }

  // ----- layout -------------------------------------------------------------------------

  // ----- diagnostics ----------------------------------------------------------------------

  /// 1-based line and column of byte `offset` (columns count bytes). Amortised linear when
  /// offsets grow, as they do while reading.
  void locate(std::size_t offset, std::uint64_t& line, std::uint64_t& column) {
    if (offset < cursor_offset_) {
      cursor_offset_ = 0;
      cursor_line_ = 1;
      cursor_line_start_ = 0;
    }
    offset = std::min(offset, size_);
    while (cursor_offset_ < offset) {
      const char* nl = static_cast<const char*>(
          std::memchr(data_ + cursor_offset_, '\n', offset - cursor_offset_));
      if (!nl) {
        cursor_offset_ = offset;
        break;
      }
      ++cursor_line_;
      cursor_offset_ = static_cast<std::size_t>(nl - data_) + 1;
      cursor_line_start_ = cursor_offset_;
    }
    line = cursor_line_;
    column = offset - cursor_line_start_ + 1;
  }

  std::string render_path(std::string_view last_key = {}) const {
    std::string out;
    for (const path_step& s : path_) {
      if (s.raw != nullptr) {
        if (!out.empty()) out += '.';
        out += raw_key_text(raw_key{s.raw});
      } else if (s.key.empty()) {
        out += '[';
        out += std::to_string(s.index);
        out += ']';
      } else {
        if (!out.empty()) out += '.';
        out += s.key;
      }
    }
    if (path_.truncated()) out += "...";
    if (!last_key.empty()) {
      if (!out.empty()) out += '.';
      out += last_key;
    }
    return out;
  }

  void report(severity sev, diagnostic_code code, std::size_t offset, std::string path,
              std::string message) {
    diagnostic d;
    d.severity = sev;
    d.code = code;
    d.file = opt_.source_name;
    // In a repaired or shortened copy, say where in the input, not where in the copy.
    reader* top = this;
    for (; top->outer_ != nullptr; top = top->outer_) offset = top->original_offset(offset);
    top->locate(offset, d.line, d.column);
    d.byte_offset = offset;
    d.path = std::move(path);
    d.message = std::move(message);
    b_.add_diagnostic(std::move(d));
    if (sev == severity::error && opt_.mode == read_mode::strict) stopped_ = true;
  }

  /// Byte offset of the iterator's current position in the document.
  std::size_t here() {
    const char* p = nullptr;
    if (doc_ && !doc_->current_location().get(p) && p >= data_ && p <= data_ + size_)
      return static_cast<std::size_t>(p - data_);
    return doc_end_;  // past the last token: the document (or line) ends here
  }

  /// Byte offset of where the value `v` starts (it need not be unread: a value remembers
  /// where it began).
  std::size_t offset_of(od::value& v) {
    const char* p = v.raw_json_token().data();
    if (p >= data_ && p <= data_ + size_) return static_cast<std::size_t>(p - data_);
    return doc_end_;
  }

  /// The offset of a value, worked out only when a message needs it (most reads have no
  /// error, and finding a position costs as much as reading a small value).
  struct lazy_at {
    reader* r;
    od::value* v;
    operator std::size_t() const {
      return r->offset_of(*v);
    }  // NOLINT(google-explicit-constructor)
  };

  /// The input at byte `offset`, up to the end of its line, for messages.
  std::string text_at(std::size_t offset) const { return detail::text_at(data_, size_, offset); }

  fate field_error(diagnostic_code code, std::size_t at, std::string message) {
    report(severity::error, code, at, render_path(), std::move(message));
    return fate::reject;
  }

  fate fatal(error_code e, std::size_t at) {
    doc_fatal_ = true;
    std::string msg = simdjson::error_message(e);
    const std::string_view rest =
        in_line_ ? "; the rest of this line is skipped" : "; the rest of this document is skipped";
    if (e == simdjson::DEPTH_ERROR) {
      report(severity::error, diagnostic_code::too_deep, at, render_path(),
             "JSON nested deeper than the parser allows (" + msg + ")" + std::string(rest));
    } else if (at >= doc_end_ && cut_short_) {
      cut_path_ = render_path();  // reported by read_before_unclosed_string
    } else if (at >= doc_end_) {
      report(severity::error, diagnostic_code::syntax_error, at, render_path(),
             std::string(in_line_ ? "the line" : "the input") +
                 " ends before the JSON value is complete (truncated?)" + std::string(rest));
    } else {
      report(severity::error, diagnostic_code::syntax_error, at, render_path(),
             "not valid JSON at " + text_at(at) + ": " + msg + std::string(rest));
    }
    return fate::fatal;
  }

  /// An error of simdjson's first pass over a whole document: find the offending byte
  /// ourselves (simdjson does not say where) and report it.
  void stage1_error(error_code e, std::size_t offset, std::size_t length) {
    const std::string_view rest = in_line_ ? "; the line is skipped" : "; the document is skipped";
    if (e == simdjson::UNCLOSED_STRING || e == simdjson::UNESCAPED_CHARS) {
      bool in_string = false, escaped = false;
      std::size_t opened = offset;
      for (std::size_t i = offset; i < offset + length; ++i) {
        const char c = data_[i];
        if (!in_string) {
          if (c == '"') {
            in_string = true;
            opened = i;
          }
          continue;
        }
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        } else if (static_cast<unsigned char>(c) < 0x20 && e == simdjson::UNESCAPED_CHARS) {
          report(severity::error, diagnostic_code::syntax_error, i, {},
                 "control character (byte 0x" + hex_byte(static_cast<unsigned char>(c)) +
                     ") inside a string; JSON requires it escaped, e.g. \\u00" +
                     hex_byte(static_cast<unsigned char>(c)) + std::string(rest));
          return;
        }
      }
      if (in_string && e == simdjson::UNCLOSED_STRING) {
        report(severity::error, diagnostic_code::syntax_error, opened, {},
               "a string starts here and is never closed (truncated?)" + std::string(rest));
        return;
      }
    }
    fatal(e, offset);
  }

  /// A string that simdjson could not decode: a bad escape (`\u` without 4 hex digits, a lone
  /// surrogate) rejects the field's span; anything else ends the document.
  fate string_error(error_code e, diagnostic_code code, std::size_t at) {
    if (e == simdjson::STRING_ERROR)
      return field_error(diagnostic_code::syntax_error, at,
                         "string has an invalid escape sequence (\\u needs 4 hex digits; "
                         "UTF-16 surrogates must come in pairs)");
    if (recoverable(e)) return field_error(code, at, simdjson::error_message(e));
    return fatal(e, at);
  }

  fate type_error(od::value& v, std::size_t at, std::string_view expected) {
    return field_error(diagnostic_code::wrong_type, at,
                       "expected " + std::string(expected) + ", got " + shown(v));
  }

  /// The JSON type at `v`, or fatal.
  template <class At>
  fate type_of(od::value& v, od::json_type& t, const At& at) {
    if (auto e = v.type().get(t)) return fatal(e, at);
    return fate::ok;
  }

  // ----- keys -------------------------------------------------------------------------------

  /// A key that matched none of the names a reader knows may still be one of them written
  /// with escapes (`"na\\u006de"`): its unescaped text, padded for `key_eq`, or null when
  /// it has no escapes (an unknown field, ignored as the spec requires).
  const char* unescaped(od::field& f, raw_key k) {
    const std::string_view text = raw_key_text(k);
    if (!has_backslash(text)) return nullptr;
    std::string_view u;
    if (f.unescaped_key().get(u)) return nullptr;
    escaped_key_.assign(u);
    escaped_key_ += '"';
    escaped_key_.append(16, '\0');
    return escaped_key_.data();
  }

  /// Calls `on(key)` with the key of `f` on the path, and once more with the unescaped key
  /// when the first call says the key is unknown (`fate::unknown`) and it has escapes.
  template <class F>
  fate with_key(od::field& f, F&& on) {
    const raw_key k{f.key().raw()};
    path_.push_key(k);
    fate r = on(k);
    if (r == fate::unknown) {
      const char* u = unescaped(f, k);
      r = u != nullptr ? on(raw_key{u}) : fate::ok;
      if (r == fate::unknown) r = fate::ok;
    }
    path_.pop_back();
    return r;
  }

  // ----- scalar fields ---------------------------------------------------------------------

  /// The text of the string at `v` (its type already checked): the input bytes themselves
  /// when it has no escapes, which is nearly always, else simdjson's unescaped copy. Either
  /// way the view lasts only until the next string is read: callers copy what they keep.
  /// (The input is valid UTF-8 with no raw control characters: the parser's first pass
  /// checked the whole document before any value is read.)
  static error_code string_text(od::value& v, std::string_view& out) {
    const std::string_view raw = v.raw_json_token();  // the quoted string, maybe spaces after
    std::size_t n = raw.size();
    while (n > 1 && raw[n - 1] != '"') --n;
    if (n >= 2 && raw[0] == '"') {
      const std::string_view body = raw.substr(1, n - 2);
      if (!has_backslash(body)) {
        od::raw_json_string consumed;
        if (auto e = v.get_raw_json_string().get(consumed)) return e;
        out = body;
        return simdjson::SUCCESS;
      }
    }
    return v.get_string().get(out);
  }

  /// `s` holds a backslash. Sixteen bytes at a time (eight without SSE2); `s` lies in the
  /// padded input, so the last load may read up to 15 bytes past it (masked off).
  static bool has_backslash(std::string_view s) noexcept {
    const char* p = s.data();
    std::size_t n = s.size();
#if defined(__SSE2__)
    const __m128i backslashes = _mm_set1_epi8('\\');
    for (;; p += 16, n -= 16) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, backslashes)));
      if (n < 16) return (hits & ((1u << n) - 1)) != 0;
      if (hits != 0) return true;
      if (n == 16) return false;
    }
#else
    constexpr std::uint64_t ones = 0x0101010101010101u;
    constexpr std::uint64_t highs = 0x8080808080808080u;
    constexpr std::uint64_t backslashes = ones * static_cast<unsigned char>('\\');
    for (;; p += 8, n -= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
      w ^= backslashes;  // a backslash becomes a zero byte
      const std::uint64_t zero = (w - ones) & ~w & highs;
      if (n < 8) return (zero & ((std::uint64_t{1} << (8 * n)) - 1)) != 0;
      if (zero != 0) return true;
      if (n == 8) return false;
    }
#endif
  }

  /// A string, copied into the arena; with `cache`, a string equal to the cached one reuses
  /// its copy (and a different one replaces it), so repeated keys and values are stored once.
  fate get_string(od::value& v, std::string_view& out, std::string_view* cache = nullptr) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    if (t == od::json_type::null) {
      out = {};
      return fate::ok;
    }
    if (t != od::json_type::string) return type_error(v, at, "a string");
    std::string_view s;
    if (auto e = string_text(v, s)) return string_error(e, diagnostic_code::syntax_error, at);
    if (cache != nullptr && same_text(*cache, s)) {
      out = *cache;
    } else {
      out = b_.store(s);
      if (cache != nullptr) *cache = out;
    }
    return fate::ok;
  }

  /// An unsigned integer written as a number or a decimal string, at most `max`.
  fate get_unsigned(od::value& v, std::uint64_t& out, std::uint64_t max) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    std::uint64_t x = 0;
    bool good = false;
    if (t == od::json_type::null) {
      out = 0;
      return fate::ok;
    } else if (t == od::json_type::number) {
      good = !v.get_uint64().get(x);
    } else if (t == od::json_type::string) {
      std::string_view s;
      if (auto e = string_text(v, s)) return string_error(e, diagnostic_code::bad_number, at);
      good = parse_decimal(s, x);
      if (!good)
        return field_error(diagnostic_code::bad_number, at,
                           "expected a non-negative integer up to " + std::to_string(max) +
                               ", got \"" + printable_excerpt(s, 48) + "\"");
    } else {
      return type_error(v, at, "an integer (number or decimal string)");
    }
    if (!good || x > max)
      return field_error(
          diagnostic_code::bad_number, at,
          "expected a non-negative integer up to " + std::to_string(max) + ", got " + shown(v));
    out = x;
    return fate::ok;
  }

  fate get_u32(od::value& v, std::uint32_t& out) {
    std::uint64_t x = 0;
    fate f = get_unsigned(v, x, std::numeric_limits<std::uint32_t>::max());
    if (f == fate::ok) out = static_cast<std::uint32_t>(x);
    return f;
  }

  fate get_i64(od::value& v, std::int64_t& out) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    if (t == od::json_type::null) {
      out = 0;
      return fate::ok;
    }
    if (t == od::json_type::number) {
      if (!v.get_int64().get(out)) return fate::ok;
      return field_error(diagnostic_code::bad_number, at,
                         "expected a 64-bit signed integer, got " + shown(v));
    }
    if (t == od::json_type::string) {
      std::string_view s;
      if (auto e = string_text(v, s)) return string_error(e, diagnostic_code::bad_number, at);
      if (parse_signed(s, out)) return fate::ok;
      return field_error(
          diagnostic_code::bad_number, at,
          "expected a 64-bit signed integer, got \"" + printable_excerpt(s, 48) + "\"");
    }
    return type_error(v, at, "an integer (number or decimal string)");
  }

  fate get_double(od::value& v, double& out) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    if (t == od::json_type::null) {
      out = 0;
      return fate::ok;
    }
    if (t == od::json_type::number) {
      if (!v.get_double().get(out)) return fate::ok;
      return field_error(diagnostic_code::bad_number, at, "expected a number, got " + shown(v));
    }
    if (t == od::json_type::string) {
      std::string_view s;
      if (auto e = string_text(v, s)) return string_error(e, diagnostic_code::bad_number, at);
      if (parse_double_text(s, out)) return fate::ok;
      return field_error(diagnostic_code::bad_number, at,
                         "expected a number or \"NaN\", \"Infinity\", \"-Infinity\", got \"" +
                             printable_excerpt(s, 48) + "\"");
    }
    return type_error(v, at, "a number");
  }

  fate get_bool(od::value& v, bool& out) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    if (t == od::json_type::null) {
      out = false;
      return fate::ok;
    }
    if (t != od::json_type::boolean) return type_error(v, at, "true or false");
    if (auto e = v.get_bool().get(out))
      return recoverable(e) ? type_error(v, at, "true or false") : fatal(e, at);
    return fate::ok;
  }

  /// A trace or span id: hex (either case); lenient mode also base64. An empty string is
  /// the absent id, which the caller decides about.
  /// `written` (when given) is set to whether the id was written at all (not null or "").
  template <std::size_t N>
  fate get_id(od::value& v, basic_id<N>& out, bool* written = nullptr) {
    if (written) *written = false;
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    if (t == od::json_type::null) {
      out = {};
      return fate::ok;
    }
    if (t != od::json_type::string)
      return type_error(v, at, "a string of " + std::to_string(2 * N) + " hex digits");
    std::string_view s;
    if (auto e = string_text(v, s)) return string_error(e, diagnostic_code::bad_id, at);
    if (s.empty()) {
      out = {};
      return fate::ok;
    }
    if (written) *written = true;
    if (auto id = basic_id<N>::from_hex(s)) {
      out = *id;
      return fate::ok;
    }
    if (opt_.mode == read_mode::lenient) {
      std::string raw;
      if (decode_base64(s, raw) && raw.size() == N) {
        out = *basic_id<N>::from_bytes(raw);
        note_once(noted_base64_, at,
                  "ids written in base64 (the protobuf bytes mapping) were accepted; "
                  "OTLP-JSON requires hex");
        return fate::ok;
      }
    }
    return field_error(diagnostic_code::bad_id, at,
                       "expected " + std::to_string(2 * N) + " hex digits, got \"" +
                           printable_excerpt(s, 48) + "\"");
  }

  void note_once(bool& flag, std::size_t at, std::string message) {
    if (flag) return;
    flag = true;
    report(severity::info, diagnostic_code::non_canonical, at, render_path(), std::move(message));
  }

  /// An enum as an integer; in lenient mode also by name (`names[i]` is the name of value i).
  template <class E, std::size_t K>
  fate get_enum(od::value& v, E& out, const std::array<std::string_view, K>& names,
                std::string_view prefix) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    if (t == od::json_type::null) {
      out = E{};
      return fate::ok;
    }
    if (t == od::json_type::number) {
      std::int64_t x = 0;
      if (v.get_int64().get(x) || x < std::numeric_limits<std::int32_t>::min() ||
          x > std::numeric_limits<std::int32_t>::max())
        return field_error(diagnostic_code::bad_enum, at,
                           "expected an enum number, got " + shown(v));
      out = static_cast<E>(x);  // values outside the enum are kept as written
      return fate::ok;
    }
    if (t == od::json_type::string) {
      std::string_view s;
      if (auto e = string_text(v, s)) return string_error(e, diagnostic_code::bad_enum, at);
      if (opt_.mode == read_mode::lenient) {
        for (std::size_t i = 0; i < K; ++i) {
          if (s.size() == prefix.size() + names[i].size() && s.substr(0, prefix.size()) == prefix &&
              s.substr(prefix.size()) == names[i]) {
            out = static_cast<E>(i);
            note_once(noted_enum_names_, at,
                      "enum values written as names were accepted; OTLP-JSON requires integers");
            return fate::ok;
          }
        }
      }
      std::string expected;
      for (std::size_t i = 0; i < K; ++i) expected += (i ? ", " : "") + std::to_string(i);
      return field_error(
          diagnostic_code::bad_enum, at,
          "expected one of " + expected +
              (opt_.mode == read_mode::lenient ? " or a name such as \"" + std::string(prefix) +
                                                     std::string(names[K - 1]) + "\""
                                               : std::string()) +
              ", got \"" + printable_excerpt(s, 48) + "\"");
    }
    return type_error(v, at, "an enum integer");
  }

  // ----- values and attributes -----------------------------------------------------------

  /// One OTLP AnyValue object, e.g. `{"stringValue": "x"}`.
  fate get_any_value(od::value& v, any_value& out, std::size_t depth,
                     std::string_view* string_cache = nullptr) {
    const lazy_at at{this, &v};
    if (depth >= opt_.max_value_depth)
      return field_error(diagnostic_code::too_deep, at,
                         "attribute values nested deeper than " +
                             std::to_string(opt_.max_value_depth) + " levels");
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    if (t == od::json_type::null) {
      out = {};
      return fate::ok;
    }
    if (t != od::json_type::object)
      return type_error(v, at, "an AnyValue object such as {\"stringValue\": \"...\"}");
    od::object obj;
    if (auto e = v.get_object().get(obj)) return fatal(e, at);
    out = {};
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return fatal(e, here());
      od::value& x = f.value();
      const fate r = with_key(f, [&](raw_key k) {
        fate r = fate::ok;
        if (is(k, "stringValue", "string_value")) {
          std::string_view s;
          r = get_string(x, s, string_cache);
          if (r == fate::ok) out = any_value::of_string(s);
        } else if (is(k, "intValue", "int_value")) {
          std::int64_t i = 0;
          r = get_i64(x, i);
          if (r == fate::ok) out = any_value::of_int(i);
        } else if (is(k, "boolValue", "bool_value")) {
          bool bv = false;
          r = get_bool(x, bv);
          if (r == fate::ok) out = any_value::of_bool(bv);
        } else if (is(k, "doubleValue", "double_value")) {
          double d = 0;
          r = get_double(x, d);
          if (r == fate::ok) out = any_value::of_double(d);
        } else if (is(k, "bytesValue", "bytes_value")) {
          r = get_bytes(x, out);
        } else if (is(k, "arrayValue", "array_value")) {
          r = get_array_value(x, out, depth + 1);
        } else if (is(k, "kvlistValue", "kvlist_value")) {
          std::span<const key_value> kvs;
          r = get_values_wrapper(x, kvs, depth + 1);
          if (r == fate::ok) out = any_value::of_kvlist(kvs);
        } else {
          r = fate::unknown;
        }
        return r;
      });
      if (r != fate::ok) return r;
    }
    return fate::ok;
  }

  fate get_bytes(od::value& v, any_value& out) {
    const lazy_at at{this, &v};
    std::string_view s;
    fate r = get_string(v, s);
    if (r != fate::ok) return r;
    std::string raw;
    if (!decode_base64(s, raw))
      return field_error(diagnostic_code::wrong_type, at,
                         "expected base64 bytes, got \"" + printable_excerpt(s, 48) + "\"");
    out = any_value::of_bytes(b_.store(raw));
    return fate::ok;
  }

  /// `{"values": [AnyValue...]}`
  fate get_array_value(od::value& v, any_value& out, std::size_t depth) {
    std::vector<any_value>& items = arr_scratch_[depth];
    items.clear();
    fate r = get_object_fields(v, "an ArrayValue object {\"values\": [...]}",
                               [&](raw_key k, od::value& x) {
                                 if (!key_eq(k, "values")) return fate::unknown;
                                 const lazy_at at{this, &x};
                                 od::json_type t{};
                                 if (type_of(x, t, at) != fate::ok) return fate::fatal;
                                 if (t == od::json_type::null) return fate::ok;
                                 if (t != od::json_type::array)
                                   return type_error(x, at, "an array of AnyValue");
                                 od::array arr;
                                 if (auto e = x.get_array().get(arr)) return fatal(e, at);
                                 std::size_t i = 0;
                                 for (auto er : arr) {
                                   od::value ev;
                                   if (auto e = std::move(er).get(ev)) return fatal(e, here());
                                   path_.push_back({{}, i++});
                                   any_value item;
                                   fate ri = get_any_value(ev, item, depth);
                                   path_.pop_back();
                                   if (ri != fate::ok) return ri;
                                   items.push_back(item);
                                 }
                                 return fate::ok;
                               });
    if (r != fate::ok) return r;
    out = any_value::of_array(b_.store_flat(std::span<const any_value>(items)));
    return fate::ok;
  }

  /// `{"values": [KeyValue...]}` (a KeyValueList).
  fate get_values_wrapper(od::value& v, std::span<const key_value>& out, std::size_t depth) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    out = {};
    if (t == od::json_type::null) return fate::ok;
    if (t != od::json_type::object)
      return type_error(v, at, "a KeyValueList object {\"values\": [...]}");
    od::object obj;
    if (auto e = v.get_object().get(obj)) return fatal(e, at);
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return fatal(e, here());
      const fate r = with_key(f, [&](raw_key k) {
        return key_eq(k, "values") ? get_attributes(f.value(), out, depth) : fate::unknown;
      });
      if (r != fate::ok) return r;
    }
    return fate::ok;
  }

  /// A slot of `name_cache_` for a string, from its raw token (the string and the blanks
  /// after it).
  static std::size_t name_slot(std::string_view raw) {
    std::size_t h = raw.size() * 31;
    if (raw.size() > 2)
      h +=
          static_cast<unsigned char>(raw[1]) * 7u + static_cast<unsigned char>(raw[raw.size() / 2]);
    return h & 63;
  }

  /// Per-position caches of the last key and string value stored: producers write the same
  /// attributes in the same order span after span, so most keys (and many values) are
  /// stored once instead of once per span.
  struct attribute_cache {
    std::array<std::string_view, 24> keys{};
    std::array<std::string_view, 24> values{};
  };

  /// `[{"key": "...", "value": {AnyValue}}...]`
  fate get_attributes(od::value& v, std::span<const key_value>& out, std::size_t depth,
                      attribute_cache* cache = nullptr) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    out = {};
    if (t == od::json_type::null) return fate::ok;
    if (t != od::json_type::array)
      return type_error(v, at, "an array of {\"key\": ..., \"value\": ...}");
    if (fast_) {  // (resource, scope and kvlist attributes; spans' go with their span)
      const char* p = v.raw_json_token().data();
      if (p >= data_ && p < fend_ && f_attributes(p, out, depth, cache) != nullptr) return fate::ok;
      out = {};
      fast_gave_up();
    }
    od::array arr;
    if (auto e = v.get_array().get(arr)) return fatal(e, at);
    std::vector<key_value>& kvs = kv_scratch_[depth];
    kvs.clear();
    std::size_t i = 0;
    for (auto er : arr) {
      od::value ev;
      if (auto e = std::move(er).get(ev)) return fatal(e, here());
      path_.push_back({{}, i++});
      const std::size_t at2 = here();
      od::json_type t2{};
      if (type_of(ev, t2, at2) != fate::ok) return fate::fatal;
      if (t2 != od::json_type::object) {
        fate r = type_error(ev, at2, "a {\"key\": ..., \"value\": ...} object");
        path_.pop_back();
        return r;
      }
      od::object kvo;
      if (auto e = ev.get_object().get(kvo)) return fatal(e, at2);
      key_value kv;
      for (auto fr : kvo) {
        od::field f;
        if (auto e = std::move(fr).get(f)) return fatal(e, here());
        const bool cached = cache != nullptr && i - 1 < cache->keys.size();
        const fate r = with_key(f, [&](raw_key k) {
          if (key_eq(k, "key"))
            return get_string(f.value(), kv.key, cached ? &cache->keys[i - 1] : nullptr);
          if (key_eq(k, "value"))
            return get_any_value(f.value(), kv.value, depth,
                                 cached ? &cache->values[i - 1] : nullptr);
          return fate::unknown;
        });
        if (r != fate::ok) {
          path_.pop_back();
          return r;
        }
      }
      path_.pop_back();
      kvs.push_back(kv);
    }
    out = b_.store_flat(std::span<const key_value>(kvs));
    return fate::ok;
  }

  // ----- events, links, status -------------------------------------------------------------

  /// An array of objects (events, links): each element read field by field by
  /// `field(item, key, value)` into a `T`, collected in `scratch`, then stored in the arena.
  template <class T, class F>
  fate get_object_array(od::value& v, std::span<const T>& out, std::vector<T>& scratch,
                        std::string_view what, std::string_view element, F&& field) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    out = {};
    if (t == od::json_type::null) return fate::ok;
    if (t != od::json_type::array) return type_error(v, at, what);
    od::array arr;
    if (auto e = v.get_array().get(arr)) return fatal(e, at);
    scratch.clear();
    std::size_t i = 0;
    for (auto er : arr) {
      od::value ev;
      if (auto e = std::move(er).get(ev)) return fatal(e, here());
      path_.push_back({{}, i++});
      T item{};
      fate r = get_object_fields(ev, element,
                                 [&](raw_key k, od::value& x) { return field(item, k, x); });
      path_.pop_back();
      if (r != fate::ok) return r;
      scratch.push_back(item);
    }
    out = b_.store_flat(std::span<const T>(scratch));
    return fate::ok;
  }

  fate get_events(od::value& v, std::span<const event>& out) {
    return get_object_array(v, out, events_, "an array of events", "an event object",
                            [&](event& ev, raw_key k, od::value& x) {
                              if (is(k, "timeUnixNano", "time_unix_nano"))
                                return get_unsigned(x, ev.time_unix_nano,
                                                    std::numeric_limits<std::uint64_t>::max());
                              if (key_eq(k, "name")) return get_string(x, ev.name);
                              if (key_eq(k, "attributes"))
                                return get_attributes(x, ev.attributes, 0, &event_attrs_);
                              if (is(k, "droppedAttributesCount", "dropped_attributes_count"))
                                return get_u32(x, ev.dropped_attributes_count);
                              return fate::unknown;
                            });
  }

  fate get_links(od::value& v, std::span<const link>& out) {
    return get_object_array(v, out, links_, "an array of links", "a link object",
                            [&](link& l, raw_key k, od::value& x) {
                              if (is(k, "traceId", "trace_id")) return get_id(x, l.trace_id);
                              if (is(k, "spanId", "span_id")) return get_id(x, l.span_id);
                              if (is(k, "traceState", "trace_state"))
                                return get_string(x, l.trace_state);
                              if (key_eq(k, "attributes"))
                                return get_attributes(x, l.attributes, 0);
                              if (is(k, "droppedAttributesCount", "dropped_attributes_count"))
                                return get_u32(x, l.dropped_attributes_count);
                              if (key_eq(k, "flags")) return get_u32(x, l.flags);
                              return fate::unknown;
                            });
  }

  fate get_status(od::value& v, status& out) {
    static constexpr std::array<std::string_view, 3> names{"UNSET", "OK", "ERROR"};
    return get_object_fields(v, "a status object", [&](raw_key k, od::value& x) {
      if (key_eq(k, "code")) return get_enum(x, out.code, names, "STATUS_CODE_");
      if (key_eq(k, "message")) return get_string(x, out.message);
      return fate::unknown;
    });
  }

  /// Iterates the fields of the object at `v`, calling `on(key, value)` with the key on the
  /// path; stops at the first non-ok fate. Null is an empty object.
  template <class F>
  fate get_object_fields(od::value& v, std::string_view what, F&& on) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    if (t == od::json_type::null) return fate::ok;
    if (t != od::json_type::object) return type_error(v, at, what);
    od::object obj;
    if (auto e = v.get_object().get(obj)) return fatal(e, at);
    for (auto fr : obj) {
      if (stopped_) return fate::fatal;
      od::field f;
      if (auto e = std::move(fr).get(f)) return fatal(e, here());
      const fate r = with_key(f, [&](raw_key k) { return on(k, f.value()); });
      if (r != fate::ok) return r;
    }
    return fate::ok;
  }

  // ----- the fast path ---------------------------------------------------------------------
  //
  // Spans written the way producers write them (camelCase or snake_case keys, ids in hex,
  // numbers where numbers go) are read straight from the input bytes, without simdjson's
  // value API: one pass over the span's text, keys matched by length and word compares,
  // strings found with vector compares, the usual compact spellings (`{"key":"`) checked
  // in one compare. simdjson only skips the span afterwards (a walk over its structural
  // index). The fast path never reports anything: at the first thing it is not sure of (an
  // unknown or repeated key, null, an escaped key, an id in base64, an enum by name, a
  // number out of range, a value nested deeper than it goes, anything that would need a
  // diagnostic) it gives up, and the span is read again by the general path above, which
  // handles every case and says what is wrong. It accepts only valid JSON, and on what it
  // accepts it stores exactly what the general path stores. What it stored before giving up
  // stays in the arena, unused; the fast path is switched off for the rest of the buffer when
  // it gives up more often than it succeeds.
  //
  // Each `f_*` reader takes the position of the next token (blanks before it allowed) and
  // returns the position after what it read, or null to give up. `end` (a local copy of
  // `fend_`, the end of the document) bounds every decision; the input is padded, so loads
  // of up to 32 bytes that start before `end` are safe.

  using cptr = const char*;

  /// Skips blanks: one compare when there are none, as in compact JSON. In a line read before
  /// its end is known (`open_line_`), a newline is not a blank: the line ends there.
  [[gnu::always_inline]] cptr f_ws(cptr p, cptr end) const noexcept {
    while (p < end && static_cast<unsigned char>(*p) <= ' ' && is_space(*p)) {
      if (*p == '\n' && open_line_) break;
      ++p;
    }
    return p;
  }

  /// The character `c` (after blanks).
  [[gnu::always_inline]] cptr f_char(cptr p, cptr end, char c) const noexcept {
    if (p < end && *p == c) return p + 1;
    p = f_ws(p, end);
    return p < end && *p == c ? p + 1 : nullptr;
  }

  /// After a member or an element: `,` (`more` = true) or the closing `close` (false).
  [[gnu::always_inline]] cptr f_next(cptr p, cptr end, char close, bool& more) const noexcept {
    p = f_ws(p, end);
    if (p >= end) return nullptr;
    more = *p == ',';
    return more || *p == close ? p + 1 : nullptr;
  }

  /// The literal `lit` exactly at `p` (no blanks), compared in 8-byte words.
  template <std::size_t N>
  [[gnu::always_inline]] static cptr f_lit(cptr p, cptr end, const char (&lit)[N]) noexcept {
    constexpr std::size_t n = N - 1;
    static_assert(n >= 1 && n <= 16);
    if (end - p < static_cast<std::ptrdiff_t>(n)) return nullptr;
    std::uint64_t a = 0, b = 0;
    if constexpr (n >= 8) {
      std::memcpy(&a, p, 8);
      std::memcpy(&b, lit, 8);
      if (a != b) return nullptr;
      if constexpr (n > 8) {  // the last 8 bytes, overlapping the first
        std::memcpy(&a, p + n - 8, 8);
        std::memcpy(&b, lit + n - 8, 8);
        if (a != b) return nullptr;
      }
      return p + n;
    } else {
      std::memcpy(&a, p, 8);  // padded input: 8 bytes are readable
      std::memcpy(&b, lit, n);
      constexpr std::uint64_t mask = std::endian::native == std::endian::little
                                         ? (std::uint64_t{1} << (8 * n)) - 1
                                         : ~((~std::uint64_t{0}) >> (8 * n));
      return (a & mask) == b ? p + n : nullptr;
    }
  }

  /// The first `"`, backslash or control byte at or after `p`, or null if none is before `end`.
  [[gnu::always_inline]] static cptr f_special(cptr p, cptr end) noexcept {
#if defined(__AVX2__)
    const __m256i quote = _mm256_set1_epi8('"');
    const __m256i backslash = _mm256_set1_epi8('\\');
    const __m256i control = _mm256_set1_epi8(0x1F);
    for (; p < end; p += 32) {
      const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
      const __m256i hit = _mm256_or_si256(
          _mm256_or_si256(_mm256_cmpeq_epi8(c, quote), _mm256_cmpeq_epi8(c, backslash)),
          _mm256_cmpeq_epi8(_mm256_min_epu8(c, control), c));
      const auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(hit));
      if (mask != 0) {
        const cptr q = p + std::countr_zero(mask);
        return q < end ? q : nullptr;
      }
    }
    return nullptr;
#elif defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1F);
    for (; p < end; p += 16) {
      const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i hit =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, quote), _mm_cmpeq_epi8(c, backslash)),
                       _mm_cmpeq_epi8(_mm_min_epu8(c, control), c));
      const auto mask = static_cast<std::uint32_t>(_mm_movemask_epi8(hit));
      if (mask != 0) {
        const cptr q = p + std::countr_zero(mask);
        return q < end ? q : nullptr;
      }
    }
    return nullptr;
#else
    for (; p < end; ++p)
      if (*p == '"' || *p == '\\' || static_cast<unsigned char>(*p) < 0x20) return p;
    return nullptr;
#endif
  }

  /// A string (after blanks); `out` is its text: in the input, or unescaped into a scratch
  /// buffer that the next string may reuse (callers copy what they keep).
  [[gnu::always_inline]] cptr f_string(cptr p, std::string_view& out) {
    const cptr end = fend_;
    if (p >= end || *p != '"') {
      p = f_ws(p, end);
      if (p >= end || *p != '"') return nullptr;
    }
    const cptr s = p + 1;
    cptr q = f_special(s, end);
    if (q == nullptr) return nullptr;
    if (*q == '"') {
      out = {s, static_cast<std::size_t>(q - s)};
      return q + 1;
    }
    return f_escaped(s, q, out);
  }

  /// The rest of a string from `s` whose first special byte `q` is not its closing quote:
  /// find that quote, then unescape as simdjson's get_string does.
  cptr f_escaped(cptr s, cptr q, std::string_view& out) {
    const cptr end = fend_;
    while (q != nullptr && *q == '\\') q = q + 2 < end ? f_special(q + 2, end) : nullptr;
    if (q == nullptr || *q != '"') return nullptr;
    const auto n = static_cast<std::size_t>(q - s);
    // (A document read whole on the fast path has not started the parser: give it the
    // small allocation that brings its string decoder.)
    if (parser_.capacity() == 0 && parser_.allocate(64, parser_.max_depth()) != simdjson::SUCCESS)
      return nullptr;
    if (unescaped_.size() < n + simdjson::SIMDJSON_PADDING)
      unescaped_.resize(n + simdjson::SIMDJSON_PADDING);
    auto* dst = reinterpret_cast<std::uint8_t*>(unescaped_.data());
    if (parser_.unescape(od::raw_json_string(reinterpret_cast<const std::uint8_t*>(s)), dst)
            .get(out))
      return nullptr;
    return q + 1;
  }

  /// A key with no escapes and the `:` after it (blanks allowed around both).
  cptr f_key(cptr p, std::string_view& k) const noexcept {
    const cptr end = fend_;
    if (p >= end || *p != '"') {
      p = f_ws(p, end);
      if (p >= end || *p != '"') return nullptr;
    }
    const cptr q = f_special(p + 1, end);
    if (q == nullptr || *q != '"') return nullptr;
    k = {p + 1, static_cast<std::size_t>(q - p - 1)};
    return f_char(q + 1, end, ':');
  }

  /// The value of the eight decimal digits in `w` (digit values 0-9, not characters; the
  /// first digit in the lowest byte): fast_float's SWAR conversion.
  static std::uint64_t swar8(std::uint64_t w) noexcept {
    w = w * 10 + (w >> 8);
    return (((w & 0x000000FF000000FFu) * (100 + (1000000ull << 32))) +
            (((w >> 16) & 0x000000FF000000FFu) * (1 + (10000ull << 32)))) >>
           32;
  }

  /// Decimal digits at `p`, at most 19 (so no overflow); `n` is how many there were (20
  /// means more than 19).
  static cptr f_digits(cptr p, cptr end, std::uint64_t& out, std::size_t& n) noexcept {
#if defined(__SSE2__)
    if constexpr (std::endian::native == std::endian::little) {
      // Count the digits with two 16-byte compares (the input is padded: 32 bytes are
      // readable), then convert them without a loop per digit: the first `count % 8` as one
      // word shifted to the top (zeros before them are leading zeros), the rest 8 at a time.
      const __m128i zero = _mm_set1_epi8('0');
      const __m128i nine = _mm_set1_epi8(9);
      const auto digits16 = [&](cptr q) {
        const __m128i d = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q)), zero);
        return static_cast<std::uint32_t>(
            _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, nine), d)));
      };
      const std::uint32_t mask = digits16(p) | (digits16(p + 16) << 16);
      std::size_t count = static_cast<std::size_t>(std::countr_one(mask));
      if (end - p < static_cast<std::ptrdiff_t>(count))
        count = p < end ? static_cast<std::size_t>(end - p) : 0;
      if (count > 19) {
        n = 20;
        out = 0;
        return p + 20;
      }
      constexpr std::uint64_t zeros = 0x3030303030303030u;
      std::uint64_t x = 0;
      cptr q = p;
      if (const std::size_t head = count % 8; head != 0) {
        std::uint64_t w;
        std::memcpy(&w, q, 8);
        // Digits are at least '0': the subtraction borrows only from the bytes after them,
        // which the shift drops.
        x = swar8((w - zeros) << (8 * (8 - head)));
        q += head;
      }
      for (std::size_t k = 0; k < count / 8; ++k, q += 8) {
        std::uint64_t w;
        std::memcpy(&w, q, 8);
        x = x * 100000000u + swar8(w - zeros);
      }
      n = count;
      out = x;
      return q;
    }
#endif
    const cptr s = p;
    std::uint64_t x = 0;
    while (p < end && p - s < 20 && static_cast<unsigned>(*p - '0') < 10)
      x = x * 10 + static_cast<unsigned>(*p++ - '0');
    n = static_cast<std::size_t>(p - s);
    out = x;
    return p;
  }

  /// A JSON number that is a non-negative integer of at most 19 digits (after blanks).
  cptr f_number(cptr p, cptr end, std::uint64_t& out) const noexcept {
    p = f_ws(p, end);
    std::size_t n = 0;
    const cptr q = f_digits(p, end, out, n);
    if (n == 0 || n > 19 || (*p == '0' && n > 1)) return nullptr;
    return q;
  }

  /// `get_unsigned`: a number or a decimal string (as `parse_decimal` reads it), at most `max`.
  cptr f_unsigned(cptr p, std::uint64_t& out, std::uint64_t max) {
    const cptr end = fend_;
    p = f_ws(p, end);
    std::uint64_t x = 0;
    if (p < end && *p == '"') {
      std::size_t n = 0;
      const cptr q = f_digits(p + 1, end, x, n);
      if (n == 0) return nullptr;
      if (n <= 19 && q < end && *q == '"') {
        p = q + 1;
      } else {  // 20 digits or more: leave the overflow check to parse_decimal
        std::string_view s;
        p = f_string(p, s);
        if (p == nullptr || !parse_decimal(s, x)) return nullptr;
      }
    } else {
      p = f_number(p, end, x);
      if (p == nullptr) return nullptr;
    }
    if (x > max) return nullptr;
    out = x;
    return p;
  }

  cptr f_u32(cptr p, std::uint32_t& out) {
    std::uint64_t x = 0;
    p = f_unsigned(p, x, std::numeric_limits<std::uint32_t>::max());
    if (p != nullptr) out = static_cast<std::uint32_t>(x);
    return p;
  }

  /// A JSON integer (number) in `[-max, max]`.
  cptr f_signed(cptr p, cptr end, std::int64_t& out, std::uint64_t max) const noexcept {
    p = f_ws(p, end);
    const bool minus = p < end && *p == '-';
    std::uint64_t x = 0;
    p = f_number(minus ? p + 1 : p, end, x);
    if (p == nullptr || x > max || (minus && x == 0)) return nullptr;
    out = minus ? -static_cast<std::int64_t>(x) : static_cast<std::int64_t>(x);
    return p;
  }

  /// `get_i64`: a number, or a decimal string as `parse_signed` reads it.
  cptr f_i64(cptr p, std::int64_t& out) {
    const cptr end = fend_;
    p = f_ws(p, end);
    if (p >= end || *p != '"')
      return f_signed(p, end, out, std::numeric_limits<std::int64_t>::max());
    const bool minus = p + 1 < end && p[1] == '-';
    std::uint64_t x = 0;
    std::size_t n = 0;
    const cptr q = f_digits(p + 1 + (minus ? 1 : 0), end, x, n);
    if (n == 0) return nullptr;
    const std::uint64_t limit = std::uint64_t{std::numeric_limits<std::int64_t>::max()} + minus;
    if (n <= 19 && q < end && *q == '"' && x <= limit) {
      out = minus ? static_cast<std::int64_t>(0 - x) : static_cast<std::int64_t>(x);
      return q + 1;
    }
    std::string_view s;  // long, or out of range: as parse_signed decides
    p = f_string(p, s);
    return p != nullptr && parse_signed(s, out) ? p : nullptr;
  }

  /// An enum written as a number (names are left to the general path, which notes them).
  template <class E>
  cptr f_enum(cptr p, E& out) const noexcept {
    std::int64_t x = 0;
    p = f_signed(p, fend_, x, std::numeric_limits<std::int32_t>::max());
    if (p != nullptr) out = static_cast<E>(x);
    return p;
  }

  /// `get_double`: a JSON number (or, as a string, "NaN", "Infinity", ...). Gives up on
  /// zero, subnormal and out-of-range results, where parsers may differ on what is an error.
  cptr f_double(cptr p, double& out) {
    const cptr end = fend_;
    p = f_ws(p, end);
    if (p < end && *p == '"') {
      std::string_view s;
      p = f_string(p, s);
      return p != nullptr && parse_double_text(s, out) ? p : nullptr;
    }
    const cptr s = p;
    auto digit = [&] { return p < end && static_cast<unsigned>(*p - '0') < 10; };
    if (p < end && *p == '-') ++p;
    if (p < end && *p == '0') {
      ++p;
    } else {
      if (!digit()) return nullptr;
      while (digit()) ++p;
    }
    if (p < end && *p == '.') {
      ++p;
      if (!digit()) return nullptr;
      while (digit()) ++p;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p < end && (*p == '+' || *p == '-')) ++p;
      if (!digit()) return nullptr;
      while (digit()) ++p;
    }
    if (p - s > 40) return nullptr;
    const auto [stop, ec] = std::from_chars(s, p, out);
    return ec == std::errc() && stop == p && std::isnormal(out) ? p : nullptr;
  }

  cptr f_bool(cptr p, bool& out) const noexcept {
    const cptr end = fend_;
    p = f_ws(p, end);
    if (const cptr q = f_lit(p, end, "true")) {
      out = true;
      return q;
    }
    if (const cptr q = f_lit(p, end, "false")) {
      out = false;
      return q;
    }
    return nullptr;
  }

  /// An id in hex; "" is the absent id only when `empty_ok`. Zero ids are the caller's to check.
  template <std::size_t N>
  cptr f_id(cptr p, basic_id<N>& out, bool empty_ok) {
    std::string_view s;
    p = f_string(p, s);
    if (p == nullptr) return nullptr;
    if (s.empty()) {
      out = {};
      return empty_ok ? p : nullptr;
    }
#if defined(__SSSE3__)
    if (s.size() != 2 * N) return nullptr;  // (base64 and the rest: the general path)
    std::array<std::uint8_t, N> bytes;
    for (std::size_t i = 0; i < N; i += 8)
      if (!hex16(s.data() + 2 * i, bytes.data() + i)) return nullptr;
    out = basic_id<N>(bytes);
#else
    const auto id = basic_id<N>::from_hex(s);
    if (!id) return nullptr;
    out = *id;
#endif
    return p;
  }

#if defined(__SSSE3__)
  /// 16 hex digits (either case) at `s` as 8 bytes, as `basic_id::from_hex` reads them;
  /// false if any is not a hex digit. `s` may be read 16 bytes on (the input is padded).
  static bool hex16(const char* s, std::uint8_t* out) noexcept {
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    const __m128i d = _mm_sub_epi8(c, _mm_set1_epi8('0'));
    const __m128i l = _mm_sub_epi8(_mm_or_si128(c, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    const __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
    const __m128i is_letter = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(5)), l);
    if (_mm_movemask_epi8(_mm_or_si128(is_digit, is_letter)) != 0xFFFF) return false;
    const __m128i v = _mm_or_si128(_mm_and_si128(is_digit, d),
                                   _mm_andnot_si128(is_digit, _mm_add_epi8(l, _mm_set1_epi8(10))));
    // Each byte pair (high digit, low digit) to high * 16 + low, then the 8 words to bytes.
    const __m128i pairs = _mm_maddubs_epi16(v, _mm_set1_epi16(0x0110));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(pairs, pairs));
    return true;
  }
#endif

  /// A string stored in the arena as `get_string` stores it (with `cache`, reused if equal).
  [[gnu::always_inline]] cptr f_stored(cptr p, std::string_view& out,
                                       std::string_view* cache = nullptr) {
    std::string_view s;
    p = f_string(p, s);
    if (p == nullptr) return nullptr;
    if (cache != nullptr && same_text(*cache, s)) {
      out = *cache;
    } else {
      out = b_.store(s);
      if (cache != nullptr) *cache = out;
    }
    return p;
  }

  /// The deepest values the fast path reads (it recurses; deeper values take the general path).
  static constexpr std::size_t fast_depth = 8;

  /// `get_any_value`.
  cptr f_any_value(cptr p, any_value& out, std::size_t depth, std::string_view* string_cache) {
    const cptr end = fend_;
    if (depth >= opt_.max_value_depth || depth >= fast_depth) return nullptr;
    bool more = false;
    // The usual two, spelled compactly, in one or two compares each.
    if (const cptr q = f_lit(p, end, "{\"stringValue\":")) {
      std::string_view s;
      p = f_stored(q, s, string_cache);
      out = any_value::of_string(s);
      p = p != nullptr ? f_next(p, end, '}', more) : nullptr;
      return more ? nullptr : p;  // (`,`: more fields, for the general path)
    }
    if (const cptr q = f_lit(p, end, "{\"intValue\":")) {
      std::int64_t i = 0;
      p = f_i64(q, i);
      out = any_value::of_int(i);
      p = p != nullptr ? f_next(p, end, '}', more) : nullptr;
      return more ? nullptr : p;
    }
    p = f_char(p, end, '{');
    if (p == nullptr) return nullptr;
    p = f_ws(p, end);
    if (p < end && *p == '}') {
      out = {};
      return p + 1;
    }
    std::string_view k;
    p = f_key(p, k);
    if (p == nullptr) return nullptr;
    switch (k.size()) {
      case 8:
        if (key_eq(k, "intValue")) {
          std::int64_t i = 0;
          p = f_i64(p, i);
          out = any_value::of_int(i);
        } else {
          p = nullptr;
        }
        break;
      case 9:
        if (key_eq(k, "boolValue")) {
          bool b = false;
          p = f_bool(p, b);
          out = any_value::of_bool(b);
        } else if (key_eq(k, "int_value")) {
          std::int64_t i = 0;
          p = f_i64(p, i);
          out = any_value::of_int(i);
        } else {
          p = nullptr;
        }
        break;
      case 10:
        if (key_eq(k, "arrayValue")) {
          p = f_array_value(p, out, depth + 1);
        } else if (key_eq(k, "bytesValue")) {
          p = f_bytes(p, out);
        } else if (key_eq(k, "bool_value")) {
          bool b = false;
          p = f_bool(p, b);
          out = any_value::of_bool(b);
        } else {
          p = nullptr;
        }
        break;
      case 11:
        if (key_eq(k, "stringValue")) {
          std::string_view s;
          p = f_stored(p, s, string_cache);
          out = any_value::of_string(s);
        } else if (key_eq(k, "doubleValue")) {
          double d = 0;
          p = f_double(p, d);
          out = any_value::of_double(d);
        } else if (key_eq(k, "kvlistValue")) {
          std::span<const key_value> kvs;
          p = f_kvlist(p, kvs, depth + 1);
          out = any_value::of_kvlist(kvs);
        } else if (key_eq(k, "array_value")) {
          p = f_array_value(p, out, depth + 1);
        } else if (key_eq(k, "bytes_value")) {
          p = f_bytes(p, out);
        } else {
          p = nullptr;
        }
        break;
      case 12:
        if (key_eq(k, "string_value")) {
          std::string_view s;
          p = f_stored(p, s, string_cache);
          out = any_value::of_string(s);
        } else if (key_eq(k, "double_value")) {
          double d = 0;
          p = f_double(p, d);
          out = any_value::of_double(d);
        } else if (key_eq(k, "kvlist_value")) {
          std::span<const key_value> kvs;
          p = f_kvlist(p, kvs, depth + 1);
          out = any_value::of_kvlist(kvs);
        } else {
          p = nullptr;
        }
        break;
      default:
        p = nullptr;
        break;
    }
    // One field only: more take the general path (the last one wins there).
    p = p != nullptr ? f_next(p, end, '}', more) : nullptr;
    return more ? nullptr : p;
  }

  cptr f_bytes(cptr p, any_value& out) {
    std::string_view s;
    p = f_string(p, s);
    if (p == nullptr || !decode_base64(s, bytes_)) return nullptr;
    out = any_value::of_bytes(b_.store(bytes_));
    return p;
  }

  /// `{"values": [...]}` around an array or a kvlist: returns the position after `[`, or
  /// after `}` with `empty` set when the object is `{}` (which reads as empty).
  cptr f_values_open(cptr p, bool& empty) const noexcept {
    const cptr end = fend_;
    p = f_char(p, end, '{');
    if (p == nullptr) return nullptr;
    p = f_ws(p, end);
    empty = p < end && *p == '}';
    if (empty) return p + 1;
    std::string_view k;
    p = f_key(p, k);
    if (p == nullptr || !key_eq(k, "values")) return nullptr;
    return f_char(p, end, '[');
  }

  /// `get_array_value`: `{"values": [AnyValue...]}`.
  cptr f_array_value(cptr p, any_value& out, std::size_t depth) {
    const cptr end = fend_;
    bool empty = false;
    p = f_values_open(p, empty);
    if (p == nullptr) return nullptr;
    if (empty) {
      out = any_value::of_array({});
      return p;
    }
    std::vector<any_value>& items = arr_scratch_[depth];
    items.clear();
    p = f_ws(p, end);
    bool more = true;
    if (p < end && *p == ']') {
      ++p;
      more = false;
    }
    while (more) {
      any_value item;
      p = f_any_value(p, item, depth, nullptr);
      if (p == nullptr) return nullptr;
      items.push_back(item);
      p = f_next(p, end, ']', more);
      if (p == nullptr) return nullptr;
    }
    out = any_value::of_array(b_.store_flat(std::span<const any_value>(items)));
    p = f_next(p, end, '}', more);
    return more ? nullptr : p;
  }

  /// `get_values_wrapper`: `{"values": [KeyValue...]}`.
  cptr f_kvlist(cptr p, std::span<const key_value>& out, std::size_t depth) {
    bool empty = false;
    p = f_values_open(p, empty);
    out = {};
    if (p == nullptr || empty) return p;
    p = f_attributes(p - 1, out, depth, nullptr);  // from the '['
    bool more = false;
    p = p != nullptr ? f_next(p, fend_, '}', more) : nullptr;
    return more ? nullptr : p;
  }

  /// `get_attributes`: `[{"key": "...", "value": {AnyValue}}...]`, `key` first.
  cptr f_attributes(cptr p, std::span<const key_value>& out, std::size_t depth,
                    attribute_cache* cache) {
    const cptr end = fend_;
    p = f_char(p, end, '[');
    if (p == nullptr) return nullptr;
    // Filled by index, not push_back: the scratch only grows, and its size is not the count.
    std::vector<key_value>& kvs = kv_scratch_[depth];
    p = f_ws(p, end);
    bool more = true;
    if (p < end && *p == ']') {
      ++p;
      more = false;
    }
    std::size_t i = 0;
    for (; more; ++i) {
      if (i == kvs.size()) kvs.resize(2 * i + 16);
      const bool cached = cache != nullptr && i < cache->keys.size();
      key_value& kv = kvs[i];
      kv = {};
      std::string_view k;
      // `{"key":` and `,"value":` in one compare each when written compactly.
      if (const cptr q = f_lit(p, end, "{\"key\":")) {
        p = q;
      } else {
        p = f_char(p, end, '{');
        if (p == nullptr || (p = f_key(p, k)) == nullptr || !key_eq(k, "key")) return nullptr;
      }
      p = f_stored(p, kv.key, cached ? &cache->keys[i] : nullptr);
      if (p == nullptr) return nullptr;
      if (const cptr q = f_lit(p, end, ",\"value\":")) {
        p = q;
      } else {
        p = f_next(p, end, '}', more);
        if (p == nullptr || !more || (p = f_key(p, k)) == nullptr || !key_eq(k, "value"))
          return nullptr;
      }
      p = f_any_value(p, kv.value, depth, cached ? &cache->values[i] : nullptr);
      if (p == nullptr || (p = f_next(p, end, '}', more)) == nullptr || more) return nullptr;
      p = f_next(p, end, ']', more);
      if (p == nullptr) return nullptr;
    }
    out = b_.store_flat(std::span<const key_value>(kvs.data(), i));
    return p;
  }

  /// Which key followed which in objects of one kind (spans, events, links): producers write
  /// every object's keys in the same order, give or take an optional one, so the key after
  /// key x is first compared with the (up to two) keys seen after x before, written
  /// compactly (`"name":`), one vector compare each, instead of being found, measured and
  /// looked up.
  struct key_order {
    /// A key as written compactly, and its bit.
    struct guess {
      std::array<char, 32> text{};  // `"key":`, then zeros
      std::uint32_t size = 0;       // of `text`; 0: none
      std::uint32_t bit = 0;
    };
    static constexpr std::size_t start = 32;  // "after" the object's `{`
    std::array<std::array<guess, 2>, start + 1> after{};

    /// Notes that key `k` (of bit `b`) followed the key of bit index `prev` (or `start`).
    void learn(std::size_t prev, std::string_view k, std::uint32_t b) noexcept {
      if (k.size() + 3 > 32) return;
      std::array<guess, 2>& g = after[prev];
      g[1] = g[0];
      guess& n = g[0];
      n.text.fill(0);
      n.text[0] = '"';
      std::memcpy(n.text.data() + 1, k.data(), k.size());
      n.text[k.size() + 1] = '"';
      n.text[k.size() + 2] = ':';
      n.size = static_cast<std::uint32_t>(k.size() + 3);
      n.bit = b;
    }

    /// The position after the key at `p` when it is one seen after `prev`, written
    /// compactly, with its bit in `b`; else null. The input is padded: 32 bytes at `p < end`
    /// are readable.
    cptr match(std::size_t prev, cptr p, cptr end, std::uint32_t& b) const noexcept {
      if (p >= end) return nullptr;
#if defined(__AVX2__)
      const __m256i got = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
#endif
      for (const guess& g : after[prev]) {
        const std::size_t n = g.size;
        if (n == 0 || end - p < static_cast<std::ptrdiff_t>(n)) continue;
#if defined(__AVX2__)
        const __m256i want = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(g.text.data()));
        const auto same =
            static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(got, want)));
        const std::uint32_t needed = n == 32 ? ~0u : (1u << n) - 1;
        if ((same & needed) != needed) continue;
#else
        if (std::memcmp(p, g.text.data(), n) != 0) continue;
#endif
        b = g.bit;
        return p + n;
      }
      return nullptr;
    }
  };

  /// Calls `member(bit, p)` for each member of the object at `p`, which reads the value. Every
  /// key may appear once (`bit(key)` names it, a single bit below 32; 0: a key the fast path
  /// does not read). With `order`, each key is first matched against the keys that followed
  /// the previous one before (and `bit` is not called for those). `seen` gets the bits of the
  /// keys read.
  template <class Bit, class Member>
  cptr f_object(cptr p, Bit&& bit, Member&& member, key_order* order = nullptr,
                std::uint32_t* seen_out = nullptr) {
    const cptr end = fend_;
    p = f_char(p, end, '{');
    if (p == nullptr) return nullptr;
    p = f_ws(p, end);
    if (p < end && *p == '}') return p + 1;
    std::uint32_t seen = 0;
    std::size_t prev = key_order::start;
    for (bool more = true; more;) {
      std::uint32_t b = 0;
      if (const cptr q = order != nullptr ? order->match(prev, p, end, b) : nullptr) {
        p = q;
      } else {
        std::string_view k;
        p = f_key(p, k);
        if (p == nullptr) return nullptr;
        b = bit(k);
        if (order != nullptr && b != 0) order->learn(prev, k, b);
      }
      if (b == 0 || (seen & b) != 0) return nullptr;
      prev = static_cast<std::size_t>(std::countr_zero(b));
      seen |= b;
      p = member(b, p);
      if (p == nullptr) return nullptr;
      p = f_next(p, end, '}', more);
      if (p == nullptr) return nullptr;
    }
    if (seen_out != nullptr) *seen_out = seen;
    return p;
  }

  /// An array of objects (events, links), each read by `item(T&, p)` into `scratch`.
  template <class T, class Item>
  cptr f_object_array(cptr p, std::span<const T>& out, std::vector<T>& scratch, Item&& item) {
    const cptr end = fend_;
    p = f_char(p, end, '[');
    if (p == nullptr) return nullptr;
    scratch.clear();
    p = f_ws(p, end);
    bool more = true;
    if (p < end && *p == ']') {
      ++p;
      more = false;
    }
    while (more) {
      T x{};
      p = item(x, p);
      if (p == nullptr) return nullptr;
      scratch.push_back(x);
      p = f_next(p, end, ']', more);
      if (p == nullptr) return nullptr;
    }
    out = b_.store_flat(std::span<const T>(scratch));
    return p;
  }

  /// The key bits of the objects the fast path reads (one set: a key's bit is the same
  /// wherever it appears; each object masks the ones it has).
  enum : std::uint32_t {
    k_trace_id = 1u << 0,
    k_span_id = 1u << 1,
    k_parent = 1u << 2,
    k_name = 1u << 3,
    k_kind = 1u << 4,
    k_start = 1u << 5,
    k_end = 1u << 6,
    k_attributes = 1u << 7,
    k_events = 1u << 8,
    k_links = 1u << 9,
    k_status = 1u << 10,
    k_trace_state = 1u << 11,
    k_flags = 1u << 12,
    k_dropped_attributes = 1u << 13,
    k_dropped_events = 1u << 14,
    k_dropped_links = 1u << 15,
    k_time = 1u << 16,
    k_code = 1u << 17,
    k_message = 1u << 18,
  };

  /// The bit of a key of a span, event, link or status object (0: none of them).
  static std::uint32_t f_key_bit(std::string_view k) noexcept {
    switch (k.size()) {
      case 4:
        if (key_eq(k, "name")) return k_name;
        if (key_eq(k, "kind")) return k_kind;
        if (key_eq(k, "code")) return k_code;
        break;
      case 5:
        if (key_eq(k, "flags")) return k_flags;
        if (key_eq(k, "links")) return k_links;
        break;
      case 6:
        if (key_eq(k, "spanId")) return k_span_id;
        if (key_eq(k, "status")) return k_status;
        if (key_eq(k, "events")) return k_events;
        break;
      case 7:
        if (key_eq(k, "traceId")) return k_trace_id;
        if (key_eq(k, "span_id")) return k_span_id;
        if (key_eq(k, "message")) return k_message;
        break;
      case 8:
        if (key_eq(k, "trace_id")) return k_trace_id;
        break;
      case 10:
        if (key_eq(k, "attributes")) return k_attributes;
        if (key_eq(k, "traceState")) return k_trace_state;
        break;
      case 11:
        if (key_eq(k, "trace_state")) return k_trace_state;
        break;
      case 12:
        if (key_eq(k, "parentSpanId")) return k_parent;
        if (key_eq(k, "timeUnixNano")) return k_time;
        break;
      case 14:
        if (key_eq(k, "parent_span_id")) return k_parent;
        if (key_eq(k, "time_unix_nano")) return k_time;
        break;
      case 15:
        if (key_eq(k, "endTimeUnixNano")) return k_end;
        break;
      case 17:
        if (key_eq(k, "startTimeUnixNano")) return k_start;
        if (key_eq(k, "droppedLinksCount")) return k_dropped_links;
        break;
      case 18:
        if (key_eq(k, "end_time_unix_nano")) return k_end;
        if (key_eq(k, "droppedEventsCount")) return k_dropped_events;
        break;
      case 19:
        if (key_eq(k, "dropped_links_count")) return k_dropped_links;
        break;
      case 20:
        if (key_eq(k, "start_time_unix_nano")) return k_start;
        if (key_eq(k, "dropped_events_count")) return k_dropped_events;
        break;
      case 22:
        if (key_eq(k, "droppedAttributesCount")) return k_dropped_attributes;
        break;
      case 24:
        if (key_eq(k, "dropped_attributes_count")) return k_dropped_attributes;
        break;
      default:
        break;
    }
    return 0;
  }

  static constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

  cptr f_events(cptr p, std::span<const event>& out) {
    constexpr std::uint32_t keys = k_time | k_name | k_attributes | k_dropped_attributes;
    return f_object_array(p, out, events_, [&](event& ev, cptr q) {
      return f_object(
          q, [](std::string_view k) { return f_key_bit(k) & keys; },
          [&](std::uint32_t b, cptr r) {
            switch (b) {
              case k_time:
                return f_unsigned(r, ev.time_unix_nano, u64_max);
              case k_name:
                return f_stored(r, ev.name);
              case k_attributes:
                return f_attributes(r, ev.attributes, 0, &event_attrs_);
              default:
                return f_u32(r, ev.dropped_attributes_count);
            }
          },
          &event_keys_);
    });
  }

  cptr f_links(cptr p, std::span<const link>& out) {
    constexpr std::uint32_t keys =
        k_trace_id | k_span_id | k_trace_state | k_attributes | k_dropped_attributes | k_flags;
    return f_object_array(p, out, links_, [&](link& l, cptr q) {
      return f_object(
          q, [](std::string_view k) { return f_key_bit(k) & keys; },
          [&](std::uint32_t b, cptr r) {
            switch (b) {
              case k_trace_id:
                return f_id(r, l.trace_id, true);
              case k_span_id:
                return f_id(r, l.span_id, true);
              case k_trace_state:
                return f_stored(r, l.trace_state);
              case k_attributes:
                return f_attributes(r, l.attributes, 0, nullptr);
              case k_dropped_attributes:
                return f_u32(r, l.dropped_attributes_count);
              default:
                return f_u32(r, l.flags);
            }
          },
          &link_keys_);
    });
  }

  cptr f_status(cptr p, status& out) {
    if (const cptr q = f_lit(p, fend_, "{}")) return q;  // the usual: no status
    return f_object(
        p, [](std::string_view k) { return f_key_bit(k) & (k_code | k_message); },
        [&](std::uint32_t b, cptr r) {
          return b == k_code ? f_enum(r, out.code) : f_stored(r, out.message);
        });
  }

  /// A span's name, stored as the general path stores it (`name_cache_`, in the slot picked
  /// from the raw token: the string and the blanks after it).
  cptr f_name(cptr p, std::string_view& out) {
    const cptr end = fend_;
    p = f_ws(p, end);
    const cptr open = p;
    std::string_view s;
    p = f_string(p, s);
    if (p == nullptr) return nullptr;
    const std::string_view raw(open, static_cast<std::size_t>(f_ws(p, end) - open));
    std::string_view& cache = name_cache_[name_slot(raw)];
    if (same_text(cache, s)) {
      out = cache;
    } else {
      out = b_.store(s);
      cache = out;
    }
    return p;
  }

  /// One span at `p` into `sp`; null to read it with the general path. Like that path it
  /// rejects nothing itself: spans that would be rejected are left to it, to report.
  cptr f_span(cptr p, span& sp) {
    constexpr std::uint32_t keys = k_trace_id | k_span_id | k_parent | k_name | k_kind | k_start |
                                   k_end | k_attributes | k_events | k_links | k_status |
                                   k_trace_state | k_flags | k_dropped_attributes |
                                   k_dropped_events | k_dropped_links;
    std::uint32_t seen = 0;
    p = f_object(
        p, [](std::string_view k) { return f_key_bit(k) & keys; },
        [&](std::uint32_t b, cptr r) -> cptr {
          switch (b) {
            case k_trace_id:
              return f_id(r, sp.trace_id, false);
            case k_span_id:
              return f_id(r, sp.span_id, false);
            case k_parent:
              return f_id(r, sp.parent_span_id, true);
            case k_name:
              return f_name(r, sp.name);
            case k_kind:
              return f_enum(r, sp.kind);
            case k_start:
              return f_unsigned(r, sp.start_time_unix_nano, u64_max);
            case k_end:
              return f_unsigned(r, sp.end_time_unix_nano, u64_max);
            case k_attributes:
              return f_attributes(r, sp.attributes, 0, &span_attrs_);
            case k_events:
              return f_events(r, sp.events);
            case k_links:
              return f_links(r, sp.links);
            case k_status:
              return f_status(r, sp.status);
            case k_trace_state:
              return f_stored(r, sp.trace_state);
            case k_flags:
              return f_u32(r, sp.flags);
            case k_dropped_attributes:
              return f_u32(r, sp.dropped_attributes_count);
            case k_dropped_events:
              return f_u32(r, sp.dropped_events_count);
            default:
              return f_u32(r, sp.dropped_links_count);
          }
        },
        &span_keys_, &seen);
    // Missing or zero ids are rejected by the general path, which says which.
    constexpr std::uint32_t ids = k_trace_id | k_span_id;
    if (p == nullptr || (seen & ids) != ids || sp.trace_id.empty() || sp.span_id.empty())
      return nullptr;
    return p;
  }

  /// Counts a fast read that gave up; after many, more than succeeded, stops trying.
  void fast_gave_up() noexcept {
    if (++fast_misses_ > 32 && fast_misses_ > fast_hits_) fast_ = false;
  }

  // ----- whole documents on the fast path --------------------------------------------------
  //
  // A document (a JSON Lines line, or a whole input) written the usual way is read entirely
  // from the bytes: request, resourceSpans, resource, scopeSpans, scope, spans. simdjson's
  // first pass (structural indexing) and its walk over the spans never run. What the read
  // finds is held back (`held_*`) and added to the builder only when the whole document was
  // read, in the order the general path adds it; at the first thing the fast path is not
  // sure of, nothing is added and the document is read again by the general path, which
  // reports whatever is wrong. Before anything is added the whole document has been checked
  // to be valid UTF-8, as simdjson's first pass would check it.

  /// A resource read from a document, with its scopes `held_scopes_[previous end, scopes_end)`.
  struct held_resource {
    resource data;
    std::uint32_t scopes_end = 0;
  };

  /// A scope read from a document, with its spans `held_spans_[previous end, spans_end)`.
  struct held_scope {
    scope data;
    std::uint32_t spans_end = 0;
  };

  /// A span that ends before it starts: the general path's warning, with where it was read.
  struct held_warning {
    std::size_t at = 0;                    // where the span's object starts
    std::size_t span = 0;                  // index in `held_spans_`
    std::array<const char*, 3> keys{};     // resourceSpans, scopeSpans, spans as written
    std::array<std::uint32_t, 3> index{};  // the array indices under them
  };

  /// Where in the document the fast path is: the keys as written and the indices under
  /// them, for the path of a held warning.
  std::array<const char*, 3> held_keys_{};
  std::array<std::uint32_t, 3> held_index_{};

  /// `key` is one of the spellings in `names`.
  template <std::size_t... N>
  static bool one_of(std::string_view key, const char (&... names)[N]) noexcept {
    return (key_eq(key, names) || ...);
  }

  /// Calls `item(p)` for each element of the array at `p` (after blanks) with its index in
  /// `held_index_[level]`.
  template <class Item>
  cptr f_held_array(cptr p, std::size_t level, Item&& item) {
    const cptr end = fend_;
    p = f_char(p, end, '[');
    if (p == nullptr) return nullptr;
    p = f_ws(p, end);
    bool more = true;
    if (p < end && *p == ']') {
      ++p;
      more = false;
    }
    for (std::uint32_t i = 0; more; ++i) {
      held_index_[level] = i;
      p = item(p);
      if (p == nullptr) return nullptr;
      p = f_next(p, end, ']', more);
      if (p == nullptr) return nullptr;
    }
    return p;
  }

  /// `read_request` on the fast path: `{"resourceSpans": [...]}` and nothing else.
  cptr f_request(cptr p) {
    const cptr end = fend_;
    p = f_char(p, end, '{');
    if (p == nullptr) return nullptr;
    std::string_view k;
    p = f_key(p, k);  // (`{}` has no resourceSpans: a warning, for the general path)
    if (p == nullptr || !one_of(k, "resourceSpans", "resource_spans")) return nullptr;
    held_keys_[0] = k.data();
    // The document must be valid UTF-8, as simdjson's first pass checks it: a line is checked
    // whole once read (`read_held_document`); a larger document element by element, each
    // right after it was read, while it is in the cache (strings are all inside the
    // elements, and everything outside strings was read as ASCII).
    p = f_held_array(p, 0, [&](cptr q) {
      const cptr r = f_resource_spans(q);
      const bool valid =
          r != nullptr && (in_line_ || simdjson::validate_utf8(q, static_cast<std::size_t>(r - q)));
      if (valid && !in_line_) read_past(r);
      return valid ? r : nullptr;
    });
    bool more = false;
    p = p != nullptr ? f_next(p, end, '}', more) : nullptr;
    return more ? nullptr : p;
  }

  /// `read_resource_spans` on the fast path.
  cptr f_resource_spans(cptr p) {
    enum : std::uint32_t { b_resource = 1, b_schema = 2, b_scopes = 4 };
    const std::size_t r = held_resources_.size();
    held_resources_.emplace_back();
    resource data;
    p = f_object(
        p,
        [&](std::string_view k) -> std::uint32_t {
          if (key_eq(k, "resource")) return b_resource;
          if (one_of(k, "schemaUrl", "schema_url")) return b_schema;
          held_keys_[1] = k.data();
          if (one_of(k, "scopeSpans", "scope_spans", "instrumentationLibrarySpans",
                     "instrumentation_library_spans"))
            return b_scopes;
          return 0;
        },
        [&](std::uint32_t b, cptr q) -> cptr {
          if (b == b_resource) return f_resource(q, data);
          if (b == b_schema) return f_stored(q, data.schema_url);
          return f_held_array(q, 1, [&](cptr s) { return f_scope_spans(s); });
        });
    if (p == nullptr) return nullptr;
    held_resources_[r].data = data;
    held_resources_[r].scopes_end = static_cast<std::uint32_t>(held_scopes_.size());
    return p;
  }

  /// Objects read before, by their text: a resource or scope written byte for byte like one
  /// read before (producers repeat them, request after request) is not read again; what was
  /// stored for it is reused. The texts are copied (up to 384 bytes each), so comparing does
  /// not reach back into input long out of the caches. A text is looked for in one of 32
  /// sets of 4, picked by its first bytes; the whole text is compared.
  template <class T, char last>
  class object_memo {
   public:
    /// What the object whose text starts at `p` (and ends by `end`) was read as, and the
    /// position after it; null when it is none of the texts kept.
    cptr find(cptr p, cptr end, T& out) noexcept {
      set_ = set_of(p, end);
      const auto room = static_cast<std::size_t>(end - p);
      for (std::size_t w = 0; w < ways; ++w) {
        const entry& e = entries_[set_ * ways + w];
        if (e.size != 0 && e.size <= room && std::memcmp(p, e.text.data(), e.size) == 0) {
          out = e.value;
          return p + e.size;
        }
      }
      return nullptr;
    }

    /// Forgets every text.
    void clear() noexcept {
      for (entry& e : entries_) e.size = 0;
    }

    /// Keeps the text `[p, q)` as read into `value` (after a `find(p, ...)` found nothing).
    void add(cptr p, cptr q, const T& value) noexcept {
      const auto n = static_cast<std::size_t>(q - p);
      if (n > max_text) return;
      entry& e = entries_[set_ * ways + next_[set_]];
      next_[set_] = static_cast<std::uint8_t>((next_[set_] + 1) % ways);
      std::memcpy(e.text.data(), p, n);
      e.size = n;
      e.value = value;
    }

   private:
    static constexpr std::size_t sets = 32, ways = 4, max_text = 384;
    struct entry {
      std::size_t size = 0;  // 0: empty
      T value{};
      std::array<char, max_text> text;
    };

    /// The set of the text at `p`: a hash of its first bytes, up to 256 but not past `end`
    /// nor past the first `last` followed by `}` (where an object usually ends: `]}` after a
    /// resource's attributes, `"}` after a scope's version), so the same object picks the
    /// same set whatever follows it.
    static std::size_t set_of(cptr p, cptr end) noexcept {
      std::size_t n = std::min<std::size_t>(256, static_cast<std::size_t>(end - p));
#if defined(__SSE2__)
      const __m128i last_byte = _mm_set1_epi8(last);
      const __m128i close_object = _mm_set1_epi8('}');
      for (std::size_t i = 0; i < n; i += 16) {  // (the input is padded: 17 bytes readable)
        const auto a = static_cast<std::uint32_t>(_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), last_byte)));
        const auto o = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1)), close_object)));
        if (const std::uint32_t both = a & o; both != 0) {
          n = std::min(n, i + static_cast<std::size_t>(std::countr_zero(both)) + 2);
          break;
        }
      }
#else
      for (std::size_t i = 0; i + 1 < n; ++i)
        if (p[i] == last && p[i + 1] == '}') {
          n = i + 2;
          break;
        }
#endif
      // Each word rotated by its position and xor-ed in (a short dependency chain, unlike a
      // multiply per word), then mixed once.
      std::uint64_t h = n;
      std::size_t i = 0;
      for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        h ^= std::rotl(w, static_cast<int>(i / 8 * 7));
      }
      if (i < n) {  // (the input is padded: 8 bytes are readable, the extra ones masked off)
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        if constexpr (std::endian::native == std::endian::little)
          w &= (std::uint64_t{1} << (8 * (n - i))) - 1;
        else
          w &= ~((~std::uint64_t{0}) >> (8 * (n - i)));
        h ^= std::rotl(w, static_cast<int>(i / 8 * 7));
      }
      return static_cast<std::size_t>((h * 0x9E3779B97F4A7C15u) >> 58) % sets;
    }

    std::vector<entry> entries_ = std::vector<entry>(sets * ways);  // (48 KiB: not on the stack)
    std::array<std::uint8_t, sets> next_{};
    std::size_t set_ = 0;
  };

  /// A Resource object: attributes and their dropped count.
  cptr f_resource(cptr p, resource& out) {
    p = f_ws(p, fend_);
    resource known;
    if (const cptr q = resource_memo_.find(p, fend_, known)) {
      out.attributes = known.attributes;
      out.dropped_attributes_count = known.dropped_attributes_count;
      return q;
    }
    const cptr q = f_object(
        p,
        [](std::string_view k) -> std::uint32_t {
          if (key_eq(k, "attributes")) return 1;
          if (one_of(k, "droppedAttributesCount", "dropped_attributes_count")) return 2;
          return 0;
        },
        [&](std::uint32_t b, cptr r) {
          return b == 1 ? f_attributes(r, out.attributes, 0, &resource_attrs_)
                        : f_u32(r, out.dropped_attributes_count);
        });
    if (q != nullptr) resource_memo_.add(p, q, out);
    return q;
  }

  /// `read_scope_spans` on the fast path.
  cptr f_scope_spans(cptr p) {
    enum : std::uint32_t { b_scope = 1, b_schema = 2, b_spans = 4 };
    const std::size_t s = held_scopes_.size();
    held_scopes_.emplace_back();
    scope data;
    p = f_object(
        p,
        [&](std::string_view k) -> std::uint32_t {
          if (one_of(k, "scope", "instrumentationLibrary", "instrumentation_library"))
            return b_scope;
          if (one_of(k, "schemaUrl", "schema_url")) return b_schema;
          held_keys_[2] = k.data();
          return key_eq(k, "spans") ? std::uint32_t{b_spans} : 0u;
        },
        [&](std::uint32_t b, cptr q) -> cptr {
          if (b == b_scope) return f_scope(q, data);
          if (b == b_schema) return f_stored(q, data.schema_url);
          return f_held_array(q, 2, [&](cptr t) { return f_held_span(t); });
        });
    if (p == nullptr) return nullptr;
    held_scopes_[s].data = data;
    held_scopes_[s].spans_end = static_cast<std::uint32_t>(held_spans_.size());
    return p;
  }

  /// An InstrumentationScope object (all but `schema_url`, which is not in it).
  cptr f_scope(cptr p, scope& out) {
    enum : std::uint32_t { b_name = 1, b_version = 2, b_attributes = 4, b_dropped = 8 };
    p = f_ws(p, fend_);
    scope known;
    if (const cptr q = scope_memo_.find(p, fend_, known)) {
      out.name = known.name;
      out.version = known.version;
      out.attributes = known.attributes;
      out.dropped_attributes_count = known.dropped_attributes_count;
      return q;
    }
    const cptr q = f_object(
        p,
        [](std::string_view k) -> std::uint32_t {
          if (key_eq(k, "name")) return b_name;
          if (key_eq(k, "version")) return b_version;
          if (key_eq(k, "attributes")) return b_attributes;
          if (one_of(k, "droppedAttributesCount", "dropped_attributes_count")) return b_dropped;
          return 0;
        },
        [&](std::uint32_t b, cptr r) -> cptr {
          switch (b) {
            case b_name:
              return f_stored(r, out.name, &scope_name_);
            case b_version:
              return f_stored(r, out.version, &scope_version_);
            case b_attributes:
              return f_attributes(r, out.attributes, 0, nullptr);
            default:
              return f_u32(r, out.dropped_attributes_count);
          }
        });
    if (q != nullptr) scope_memo_.add(p, q, out);
    return q;
  }

  /// One span of a document read on the fast path, held with a warning if it ends before it
  /// starts (as `keep_span` warns).
  cptr f_held_span(cptr p) {
    p = f_ws(p, fend_);
    const cptr at = p;
    span& sp = held_spans_.emplace_back();
    p = f_span(p, sp);
    if (p != nullptr && sp.end_time_unix_nano < sp.start_time_unix_nano)
      held_warnings_.push_back(
          {static_cast<std::size_t>(at - data_), held_spans_.size() - 1, held_keys_, held_index_});
    return p;
  }

  /// Reads the document `[data_ + offset, fend_)` on the fast path and adds it to the
  /// builder; false (having added nothing) when the general path must read it.
  bool read_held_document(std::size_t offset) {
    const cptr begin = data_ + offset;
    const auto length = static_cast<std::size_t>(fend_ - begin);
    const cptr p = length <= 0xFFFFFFFFu ? held_request(begin) : nullptr;  // (simdjson: 4 GiB)
    if (p == nullptr || f_ws(p, fend_) != fend_ ||
        (in_line_ && !simdjson::validate_utf8(begin, length))) {
      held_missed();
      return false;
    }
    add_held();
    return true;
  }

  /// Reads the JSON Lines line that starts at `line_start` on the fast path, without first
  /// looking for its end: the request is read until it closes, then only blanks may follow
  /// up to the newline (a newline inside is not a blank here, `open_line_`). Returns where the
  /// next line starts, or npos (having added nothing) when the line must be read as usual.
  std::size_t read_fast_line(std::size_t line_start) {
    if (!fast_documents_ || cut_short_) return npos;
    std::size_t a = line_start;
    while (a < size_ && (data_[a] == ' ' || data_[a] == '\t' || data_[a] == '\r')) ++a;
    if (a >= size_ || data_[a] != '{') return npos;  // blank, a BOM, ...: as usual
    doc_offset_ = a;
    doc_end_ = size_;
    fend_ = data_ + size_;
    in_line_ = true;
    doc_fatal_ = false;
    open_line_ = true;
    const cptr begin = data_ + a;
    const cptr p = held_request(begin);
    const cptr q = p != nullptr ? f_ws(p, fend_) : nullptr;
    open_line_ = false;
    if (p == nullptr || (q != fend_ && *q != '\n') ||
        !simdjson::validate_utf8(begin, static_cast<std::size_t>(p - begin))) {
      held_missed();
      return npos;
    }
    ++st_.documents;
    doc_end_ = static_cast<std::size_t>(p - data_);
    add_held();
    return q == fend_ ? size_ : static_cast<std::size_t>(q - data_) + 1;
  }

  /// Reads the request at `begin` into `held_*`: the position after it, or null.
  cptr held_request(cptr begin) {
    held_resources_.clear();
    held_scopes_.clear();
    held_spans_.clear();
    held_warnings_.clear();
    return f_request(begin);
  }

  /// Counts a document the fast path gave up on; after many, more than it read, stops trying.
  void held_missed() noexcept {
    if (++held_misses_ > 32 && held_misses_ > held_hits_) fast_documents_ = false;
  }

  /// Adds what `held_request` read to the builder.
  void add_held() {
    ++held_hits_;
    // Added as the general path adds them: each resource, then each of its scopes with its
    // spans; warnings in span order.
    std::size_t s = 0, sc = 0;
    for (const held_resource& r : held_resources_) {
      const resource_handle rh = b_.add_stored_resource(r.data);
      for (; sc < r.scopes_end; ++sc) {
        const scope_handle sh = b_.add_stored_scope(rh, held_scopes_[sc].data);
        for (; s < held_scopes_[sc].spans_end; ++s) {
          b_.add_stored_span(sh, held_spans_[s]);
          // A whole input's spans: each chunk is given back once added (not before the
          // warnings below are made, which read their spans: keep those chunks).
          if (!in_line_ && held_warnings_.empty() && s % held_span_store::chunk_size == 0)
            held_spans_.release_before(s);
        }
      }
    }
    st_.spans_read += held_spans_.size();
    st_.spans_kept += held_spans_.size();
    for (const held_warning& w : held_warnings_) {
      const span& sp = held_spans_[w.span];
      path_.clear();
      for (std::size_t level = 0; level < 3; ++level) {
        path_.push_key(raw_key{w.keys[level]});
        path_.push_back({{}, w.index[level]});
      }
      report(severity::warning, diagnostic_code::end_before_start, w.at, render_path(),
             "span ends " + std::to_string(sp.start_time_unix_nano - sp.end_time_unix_nano) +
                 " ns before it starts; kept as written");
    }
    path_.clear();
    if (!in_line_) held_spans_.free(false);  // a whole input's spans: give the memory back now
  }

  // ----- spans -----------------------------------------------------------------------------

  /// One span. Rejected spans are counted and reported; a fatal error ends the document.
  fate read_span(od::value& v, scope_handle scope) {
    ++st_.spans_read;
    if (fast_) {
      // Read from the bytes; simdjson skips the span's value when the caller moves on.
      const char* p = v.raw_json_token().data();
      span sp;
      if (p >= data_ && p < fend_ && f_span(p, sp) != nullptr) {
        ++fast_hits_;
        keep_span(v, sp, scope);
        return fate::ok;
      }
      fast_gave_up();
    }
    const std::size_t at = offset_of(v);
    static constexpr std::array<std::string_view, 6> kinds{"UNSPECIFIED", "INTERNAL", "SERVER",
                                                           "CLIENT",      "PRODUCER", "CONSUMER"};
    span sp;
    bool have_trace = false, have_span = false;
    std::size_t trace_at = at, span_at = at;
    fate r = get_object_fields(v, "a span object", [&](raw_key k, od::value& x) {
      if (is(k, "traceId", "trace_id")) {
        trace_at = here();
        fate f = get_id(x, sp.trace_id, &have_trace);
        return f;
      }
      if (is(k, "spanId", "span_id")) {
        span_at = here();
        return get_id(x, sp.span_id, &have_span);
      }
      if (is(k, "parentSpanId", "parent_span_id")) return get_id(x, sp.parent_span_id);
      if (key_eq(k, "name"))
        return get_string(x, sp.name, &name_cache_[name_slot(x.raw_json_token())]);
      if (is(k, "startTimeUnixNano", "start_time_unix_nano"))
        return get_unsigned(x, sp.start_time_unix_nano, std::numeric_limits<std::uint64_t>::max());
      if (is(k, "endTimeUnixNano", "end_time_unix_nano"))
        return get_unsigned(x, sp.end_time_unix_nano, std::numeric_limits<std::uint64_t>::max());
      if (key_eq(k, "kind")) return get_enum(x, sp.kind, kinds, "SPAN_KIND_");
      if (key_eq(k, "attributes")) return get_attributes(x, sp.attributes, 0, &span_attrs_);
      if (key_eq(k, "events")) return get_events(x, sp.events);
      if (key_eq(k, "links")) return get_links(x, sp.links);
      if (key_eq(k, "status")) return get_status(x, sp.status);
      if (is(k, "traceState", "trace_state")) return get_string(x, sp.trace_state);
      if (key_eq(k, "flags")) return get_u32(x, sp.flags);
      if (is(k, "droppedAttributesCount", "dropped_attributes_count"))
        return get_u32(x, sp.dropped_attributes_count);
      if (is(k, "droppedEventsCount", "dropped_events_count"))
        return get_u32(x, sp.dropped_events_count);
      if (is(k, "droppedLinksCount", "dropped_links_count"))
        return get_u32(x, sp.dropped_links_count);
      return fate::unknown;  // ignored (after a look for escapes), as the spec requires
    });
    if (r == fate::ok) {
      // have_* is true only for an id written with digits: null and "" are missing.
      if (!have_trace && trace_at != at) {
        path_.push_back({"traceId", 0});
        r = field_error(diagnostic_code::missing_field, trace_at,
                        "traceId is empty; a span needs a trace id of 32 hex digits");
        path_.pop_back();
      } else if (!have_trace) {
        r = field_error(diagnostic_code::missing_field, trace_at,
                        "span has no traceId (32 hex digits); it cannot be placed in a trace");
      } else if (sp.trace_id.empty()) {
        path_.push_back({"traceId", 0});
        r = field_error(diagnostic_code::bad_id, trace_at,
                        "traceId is all zero, which OTLP reserves for \"no trace\"; a span needs a "
                        "non-zero id");
        path_.pop_back();
      } else if (!have_span && span_at != at) {
        path_.push_back({"spanId", 0});
        r = field_error(diagnostic_code::missing_field, span_at,
                        "spanId is empty; a span needs an id of 16 hex digits");
        path_.pop_back();
      } else if (!have_span) {
        r = field_error(diagnostic_code::missing_field, span_at,
                        "span has no spanId (16 hex digits); it cannot be placed in a tree");
      } else if (sp.span_id.empty()) {
        path_.push_back({"spanId", 0});
        r = field_error(
            diagnostic_code::bad_id, span_at,
            "spanId is all zero, which OTLP reserves for \"no span\"; a span needs a non-zero id");
        path_.pop_back();
      }
    }
    if (r != fate::ok) {
      ++st_.spans_rejected;
      return r == fate::fatal ? fate::fatal : fate::ok;
    }
    keep_span(v, sp, scope);
    return fate::ok;
  }

  /// A span read whole and accepted: warned about if it ends before it starts, then added.
  void keep_span(od::value& v, const span& sp, scope_handle scope) {
    if (sp.end_time_unix_nano < sp.start_time_unix_nano)
      report(severity::warning, diagnostic_code::end_before_start, offset_of(v), render_path(),
             "span ends " + std::to_string(sp.start_time_unix_nano - sp.end_time_unix_nano) +
                 " ns before it starts; kept as written");
    b_.add_stored_span(scope, sp);
    ++st_.spans_kept;
  }

  /// Iterates the array at `v`, calling `on(element, index)` with the index on the path.
  template <class F>
  fate for_each_element(od::value& v, std::string_view what, F&& on) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    if (t == od::json_type::null) return fate::ok;
    if (t != od::json_type::array) {
      field_error(
          diagnostic_code::wrong_type, at,
          "expected " + std::string(what) + ", got " + shown(v) + "; nothing in it is read");
      return fate::ok;  // nothing under it can be read; the document goes on
    }
    od::array arr;
    if (auto e = v.get_array().get(arr)) return fatal(e, at);
    std::size_t i = 0;
    for (auto er : arr) {
      if (stopped_) return fate::fatal;
      od::value ev;
      if (auto e = std::move(er).get(ev)) return fatal(e, here());
      path_.push_back({{}, i});
      fate r = on(ev, i);
      path_.pop_back();
      ++i;
      if (r != fate::ok) return r;
    }
    return fate::ok;
  }

  /// At request level a rejected field (a bad scope name, say) is reported and skipped, and
  /// reading goes on, so the spans around it are still read and counted.
  static fate soften(fate f) { return f == fate::reject ? fate::ok : f; }

  fate read_scope_spans(od::value& v, resource_handle res) {
    const scope_handle sh = b_.add_scope(res, {});
    scope data;
    fate r = get_object_fields(v, "a ScopeSpans object", [&](raw_key k, od::value& x) {
      if (key_eq(k, "scope") || is(k, "instrumentationLibrary", "instrumentation_library")) {
        return soften(
            get_object_fields(x, "an InstrumentationScope object", [&](raw_key k2, od::value& y) {
              if (key_eq(k2, "name")) return soften(get_string(y, data.name));
              if (key_eq(k2, "version")) return soften(get_string(y, data.version));
              if (key_eq(k2, "attributes")) return soften(get_attributes(y, data.attributes, 0));
              if (is(k2, "droppedAttributesCount", "dropped_attributes_count"))
                return soften(get_u32(y, data.dropped_attributes_count));
              return fate::unknown;
            }));
      }
      if (is(k, "schemaUrl", "schema_url")) return soften(get_string(x, data.schema_url));
      if (key_eq(k, "spans"))
        return for_each_element(x, "an array of spans",
                                [&](od::value& s, std::size_t) { return read_span(s, sh); });
      return fate::unknown;
    });
    b_.set_scope(sh, data);
    return soften(r);
  }

  fate read_resource_spans(od::value& v) {
    const resource_handle rh = b_.add_resource({});
    resource data;
    fate r = get_object_fields(v, "a ResourceSpans object", [&](raw_key k, od::value& x) {
      if (key_eq(k, "resource")) {
        return soften(get_object_fields(x, "a Resource object", [&](raw_key k2, od::value& y) {
          if (key_eq(k2, "attributes")) return soften(get_attributes(y, data.attributes, 0));
          if (is(k2, "droppedAttributesCount", "dropped_attributes_count"))
            return soften(get_u32(y, data.dropped_attributes_count));
          return fate::unknown;
        }));
      }
      if (is(k, "schemaUrl", "schema_url")) return soften(get_string(x, data.schema_url));
      if (is(k, "scopeSpans", "scope_spans") ||
          is(k, "instrumentationLibrarySpans", "instrumentation_library_spans"))
        return for_each_element(x, "an array of ScopeSpans",
                                [&](od::value& s, std::size_t) { return read_scope_spans(s, rh); });
      return fate::unknown;
    });
    b_.set_resource(rh, data);
    return soften(r);
  }

  /// An ExportTraceServiceRequest / TracesData object (or the `{"result": ...}` wrapper).
  fate read_request(od::value& v, int wrapper_depth) {
    bool saw_traces = false;
    std::string_view other_signal;
    const lazy_at at{this, &v};
    fate r = get_object_fields(v, "an OTLP request object", [&](raw_key k, od::value& x) {
      if (is(k, "resourceSpans", "resource_spans")) {
        saw_traces = true;
        return for_each_element(x, "an array of ResourceSpans", [&](od::value& rs, std::size_t) {
          return read_resource_spans(rs);
        });
      }
      if (key_eq(k, "result") && wrapper_depth == 0) {
        saw_traces = true;
        return read_request(x, wrapper_depth + 1);
      }
      if (is(k, "resourceMetrics", "resource_metrics")) other_signal = "metrics";
      if (is(k, "resourceLogs", "resource_logs")) other_signal = "logs";
      if (is(k, "resourceProfiles", "resource_profiles")) other_signal = "profiles";
      return fate::unknown;
    });
    r = soften(r);  // a wrong-typed request was reported; nothing under it to keep
    if (r == fate::ok && !saw_traces) {
      if (!other_signal.empty()) {
        report(severity::error, diagnostic_code::wrong_shape, at, render_path(),
               "this is an OTLP " + std::string(other_signal) +
                   " request, not traces (no resourceSpans)");
      } else {
        report(severity::warning, diagnostic_code::wrong_shape, at, render_path(),
               "object has no resourceSpans: no traces in it");
      }
    }
    return r;
  }

  /// One JSON document on the fast path (`read_held_document`): false, with nothing read,
  /// when the general path must read it.
  bool read_fast_document(std::size_t offset, std::size_t length, bool in_line) {
    if (!fast_documents_ || cut_short_) return false;
    doc_offset_ = offset;
    doc_end_ = offset + length;
    fend_ = data_ + doc_end_;
    in_line_ = in_line;
    doc_fatal_ = false;
    if (!read_held_document(offset)) return false;
    ++st_.documents;
    return true;
  }

  /// One JSON document: the whole input, one JSON Lines line, ... (`fast`: try the fast path
  /// first, unless it has just been tried).
  void read_document(std::size_t offset, std::size_t length, bool in_line, bool fast = true) {
    if (fast && read_fast_document(offset, length, in_line)) return;
    ++st_.documents;
    doc_offset_ = offset;
    doc_end_ = offset + length;
    fend_ = data_ + doc_end_;
    in_line_ = in_line;
    doc_fatal_ = false;
    const char* begin = data_ + offset;
    // The buffer is padded past size_, so every document inside it is too.
    const std::size_t capacity = (size_ - offset) + simdjson::SIMDJSON_PADDING;
    od::document doc;
    error_code e = parser_.iterate(begin, length, capacity).get(doc);
    if (e == simdjson::UTF8_ERROR) {
      read_repaired(offset, length, in_line);
      return;
    }
    path_.clear();
    if (e == simdjson::UNCLOSED_STRING && !cut_short_) {
      if (const std::size_t opened = unclosed_string_start(offset, length); opened != npos) {
        read_before_unclosed_string(offset, opened, in_line);
        return;
      }
    }
    if (e) {
      ++st_.documents_failed;
      stage1_error(e, offset, length);
      return;
    }
    doc_ = &doc;
    od::json_type t{};
    fate r = fate::ok;
    if ((e = doc.type().get(t))) {
      r = fatal(e, offset);
    } else if (t == od::json_type::object) {
      od::value v;
      r = (e = doc.get_value().get(v)) ? fatal(e, offset) : read_request(v, 0);
    } else if (t == od::json_type::array) {
      od::array arr;
      if ((e = doc.get_array().get(arr))) {
        r = fatal(e, offset);
      } else {
        std::size_t i = 0;
        for (auto er : arr) {
          if (stopped_) break;
          od::value ev;
          if ((e = std::move(er).get(ev))) {
            r = fatal(e, here());
            break;
          }
          path_.push_back({{}, i++});
          od::json_type et{};
          const std::size_t at = here();
          if (type_of(ev, et, at) != fate::ok) {
            r = fate::fatal;
            break;
          }
          if (et == od::json_type::object) {
            r = read_request(ev, 0);
          } else {
            report(severity::error, diagnostic_code::wrong_shape, at, render_path(),
                   "expected OTLP request objects in the top-level array, got " + shown(ev));
          }
          path_.pop_back();
          if (r == fate::fatal) break;
        }
      }
    } else {
      r = read_scalar_document(doc, t, offset);
    }
    const char* rest = nullptr;
    if (r != fate::fatal && !stopped_ && !doc.current_location().get(rest)) {
      r = fate::fatal;
      doc_fatal_ = true;
      const auto at = static_cast<std::size_t>(rest - data_);
      report(severity::error, diagnostic_code::syntax_error, at, {},
             "unexpected text " + text_at(at) +
                 (in_line ? " after the JSON value on this line; the rest of the line is skipped"
                          : " after the JSON document; it is skipped (JSON Lines need one request "
                            "per line)"));
    }
    if (doc_fatal_) ++st_.documents_failed;  // not when strict mode merely stopped
    doc_ = nullptr;
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// Where the string that is never closed starts (the input was cut inside it), or npos.
  std::size_t unclosed_string_start(std::size_t offset, std::size_t length) const {
    bool in_string = false, escaped = false;
    std::size_t opened = npos;
    for (std::size_t i = offset; i < offset + length; ++i) {
      const char c = data_[i];
      if (!in_string) {
        if (c == '"') {
          in_string = true;
          opened = i;
        }
      } else if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    }
    return in_string ? opened : npos;
  }

  /// A document cut inside a string (a truncated file or line): what comes before the cut is
  /// read as usual, so the spans before it are kept, and the cut is reported once, with the
  /// path reading stopped at.
  void read_before_unclosed_string(std::size_t offset, std::size_t opened, bool in_line) {
    const std::uint64_t failed = st_.documents_failed;
    cut_path_.clear();
    if (opened > offset) {
      --st_.documents;  // the part before the cut is read as this same document
      // From a copy: simdjson may look at the byte just past a document, and here that is
      // the opening quote of a string that never ends (it would unescape past its buffer).
      const std::size_t n = opened - offset;
      std::string copy(data_ + offset, n);
      copy.append(simdjson::SIMDJSON_PADDING, '\0');
      reader sub(copy.data(), n, opt_, b_, st_, {});
      sub.outer_ = this;
      sub.outer_base_ = offset;
      sub.cut_short_ = true;
      read_in(sub, n, in_line);
      cut_path_ = std::move(sub.cut_path_);
    }
    if (st_.documents_failed == failed) ++st_.documents_failed;
    if (stopped_) return;  // strict mode stopped at an earlier error
    report(severity::error, diagnostic_code::syntax_error, opened, std::move(cut_path_),
           std::string("a string starts here and is never closed (truncated?); ") +
               (opened > offset ? "what comes before it was read" : "nothing could be read"));
  }

  /// A document that is a string, number, true, false or null, or text that only starts
  /// like one (`this is not JSON` starts like `true`): wrong shape, or not JSON at all.
  fate read_scalar_document(od::document& doc, od::json_type t, std::size_t offset) {
    const error_code e = read_scalar(doc, t);
    if (e) {
      doc_fatal_ = true;
      report(severity::error, diagnostic_code::syntax_error, offset, {},
             "not valid JSON: the text starts with " + text_at(offset) +
                 (in_line_ ? "; the line is skipped" : "; the input is skipped"));
      return fate::fatal;
    }
    report(
        severity::error, diagnostic_code::wrong_shape, offset, {},
        "expected an OTLP request object {\"resourceSpans\": [...]} (or an array of them), got " +
            text_at(offset));
    return fate::ok;
  }

  /// A document with invalid UTF-8: reported; in lenient mode read again from a copy with
  /// the bad bytes replaced by U+FFFD (offsets in later diagnostics refer to the copy).
  void read_repaired(std::size_t offset, std::size_t length, bool in_line) {
    const std::string_view text(data_ + offset, length);
    const std::size_t bad = first_invalid_utf8(text);
    path_.clear();
    if (opt_.mode == read_mode::strict || repairing_) {
      ++st_.documents_failed;
      report(severity::error, diagnostic_code::invalid_utf8, offset + bad, {},
             "invalid UTF-8 (" + byte_name(text, bad) + ")" +
                 (in_line ? "; the line is skipped" : "; the document is skipped"));
      return;
    }
    report(severity::warning, diagnostic_code::invalid_utf8, offset + bad, {},
           "invalid UTF-8 (" + byte_name(text, bad) + "); bad bytes replaced by U+FFFD");
    --st_.documents;  // the repaired copy is read as this same document
    // Repair as repair_utf8 does (each bad byte becomes U+FFFD), noting where each
    // replacement lands so diagnostics from the copy point into the input.
    std::string fixed;
    fixed.reserve(length + 16);
    std::vector<std::size_t> replaced;
    for (std::size_t i = 0; i < length;) {
      const std::size_t good = first_invalid_utf8(text.substr(i));
      fixed.append(text.substr(i, good));
      i += good;
      if (i < length) {
        replaced.push_back(fixed.size());
        fixed += "\xEF\xBF\xBD";
        ++i;
      }
    }
    const std::size_t n = fixed.size();
    fixed.append(simdjson::SIMDJSON_PADDING, '\0');
    reader sub(fixed.data(), n, opt_, b_, st_, {});
    sub.outer_ = this;
    sub.outer_base_ = offset;
    sub.replaced_ = std::move(replaced);
    sub.repairing_ = true;
    sub.cut_short_ = cut_short_;
    read_in(sub, n, in_line);
    cut_path_ = std::move(sub.cut_path_);
  }

  /// Reads all of `sub`'s buffer (a repaired or shortened copy of a document of ours) as one
  /// document, sharing what is noted once per input and whether strict mode stopped.
  void read_in(reader& sub, std::size_t n, bool in_line) {
    sub.noted_base64_ = noted_base64_;
    sub.noted_enum_names_ = noted_enum_names_;
    sub.read_document(0, n, in_line);
    noted_base64_ = sub.noted_base64_;
    noted_enum_names_ = sub.noted_enum_names_;
    stopped_ = stopped_ || sub.stopped_;
  }

  /// "byte 0xNN" for the byte at `i` of `text`, or a note that simdjson and our validator
  /// disagree (then `i` is past the end).
  static std::string byte_name(std::string_view text, std::size_t i) {
    if (i >= text.size()) return "rejected by the JSON parser";
    return "byte 0x" + hex_byte(static_cast<unsigned char>(text[i]));
  }

  /// Offset in the outer reader's buffer of offset `at` in this copy.
  std::size_t original_offset(std::size_t at) const {
    // replaced_[j] is where the j-th U+FFFD (3 bytes, for 1 input byte) starts in the copy.
    const auto it = std::upper_bound(replaced_.begin(), replaced_.end(), at);
    const auto k = static_cast<std::size_t>(it - replaced_.begin());
    if (k > 0 && at < replaced_[k - 1] + 3) return outer_base_ + replaced_[k - 1] - 2 * (k - 1);
    return outer_base_ + at - 2 * k;
  }

  const char* data_;
  std::size_t size_;
  const read_options& opt_;
  trace_set_builder& b_;
  read_stats& st_;
  od::parser parser_;
  od::document* doc_ = nullptr;
  std::size_t doc_offset_ = 0;
  std::size_t doc_end_ = 0;
  bool in_line_ = false;
  bool doc_fatal_ = false;             // this document hit an error it cannot be read past
  bool cut_short_ = false;             // reading the part of a document before an unclosed string
  std::string cut_path_;               // where that reading stopped
  reader* outer_ = nullptr;            // the reader whose input this repaired copy came from
  std::size_t outer_base_ = 0;         // where the copy's document starts in that input
  std::vector<std::size_t> replaced_;  // where each U+FFFD was put into the copy
  path_stack path_;
  std::string escaped_key_;  // an unescaped key, padded for key_eq (see `unescaped`)
  attribute_cache span_attrs_, event_attrs_;
  key_order span_keys_, event_keys_, link_keys_;
  std::array<std::string_view, 64> name_cache_{};  // span names, direct-mapped by name_slot
  std::vector<std::vector<key_value>> kv_scratch_;
  std::vector<std::vector<any_value>> arr_scratch_;
  std::vector<event> events_;
  std::vector<link> links_;
  const char* fend_ = nullptr;  // the fast path's end: the end of the document
  bool fast_ = fast_path_enabled();
  std::uint64_t fast_hits_ = 0;
  std::uint64_t fast_misses_ = 0;
  bool fast_documents_ = fast_path_enabled();  // whole documents on the fast path
  bool open_line_ = false;  // reading a line whose end is not known yet (read_fast_line)
  std::uint64_t held_hits_ = 0;
  std::uint64_t held_misses_ = 0;
  std::vector<held_resource> held_resources_;
  std::vector<held_scope> held_scopes_;
  held_span_store held_spans_;
  std::vector<held_warning> held_warnings_;
  attribute_cache resource_attrs_;
  object_memo<resource, ']'> resource_memo_;
  object_memo<scope, '"'> scope_memo_;
  std::string_view scope_name_, scope_version_;  // the last ones stored
  std::string unescaped_;                        // the fast path's unescaped strings
  std::string bytes_;                            // the fast path's decoded bytesValue
  bool stopped_ = false;
  bool repairing_ = false;
  bool noted_base64_ = false;
  bool noted_enum_names_ = false;
  std::size_t cursor_offset_ = 0;
  std::uint64_t cursor_line_ = 1;
  std::size_t cursor_line_start_ = 0;
  release_hook release_;
  const char* released_;  // input before it has been passed to release_
};

}  // namespace

bool read_otlp_buffer(const char* data, std::size_t size, layout how, const read_options& options,
                      trace_set_builder& b, read_stats& stats, release_hook release) {
  stats.bytes += size;
  reader r(data, size, options, b, stats, release);
  return r.run(how);
}

void set_fast_path(bool on) noexcept { fast_path_on.store(on, std::memory_order_relaxed); }

std::size_t first_non_space(const char* data, std::size_t size) noexcept {
  std::size_t i = 0;
  while (i < size && is_space(data[i])) ++i;
  return i;
}

}  // namespace tracefold::ingest::detail
