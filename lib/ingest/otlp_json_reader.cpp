#include "otlp_json_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "ondemand_util.hpp"
#include "text_util.hpp"

#if defined(__SSE2__)
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
/// 8-byte word compares so it is inlined whatever the length (glibc's memcmp is a call).
template <std::size_t N>
inline bool key_eq(std::string_view k, const char (&lit)[N]) {
  constexpr std::size_t n = N - 1;
  if (k.size() != n) return false;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t a, b;
    std::memcpy(&a, k.data() + i, 8);
    std::memcpy(&b, lit + i, 8);
    if (a != b) return false;
  }
  for (; i < n; ++i)
    if (k[i] != lit[i]) return false;
  return true;
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

/// `a == b`, with short strings compared inline (glibc's memcmp is a call).
inline bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.size() > 16) return std::memcmp(a.data(), b.data(), a.size()) == 0;
  for (std::size_t i = 0; i < a.size(); ++i)
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

class reader {
 public:
  reader(const char* data, std::size_t size, const read_options& options, trace_set_builder& b,
         read_stats& stats)
      : data_(data), size_(size), opt_(options), b_(b), st_(stats) {
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
             size_ == 0 ? "the input is empty: no traces"
                        : "the input holds only whitespace: no traces");
      return true;
    }
    if (sniff_layout(data_, size_, how) == layout::json_lines) {
      std::size_t line_start = start;
      while (line_start < size_ && !stopped_) {
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
        if (a < z) read_document(a, z - a, /*in_line=*/true);
        line_start = line_end + 1;
      }
    } else {
      read_document(start, size_ - start, /*in_line=*/false);
    }
    return !stopped_;
  }

 private:
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

  /// `[{"key": "...", "value": {AnyValue}}...]`
  /// A slot of `name_cache_` for the string at `v`, from its raw token (not consumed).
  static std::size_t name_slot(od::value& v) {
    const std::string_view raw = v.raw_json_token();
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

  fate get_attributes(od::value& v, std::span<const key_value>& out, std::size_t depth,
                      attribute_cache* cache = nullptr) {
    const lazy_at at{this, &v};
    od::json_type t{};
    if (type_of(v, t, at) != fate::ok) return fate::fatal;
    out = {};
    if (t == od::json_type::null) return fate::ok;
    if (t != od::json_type::array)
      return type_error(v, at, "an array of {\"key\": ..., \"value\": ...}");
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

  // ----- spans -----------------------------------------------------------------------------

  /// One span. Rejected spans are counted and reported; a fatal error ends the document.
  fate read_span(od::value& v, scope_handle scope) {
    ++st_.spans_read;
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
      if (key_eq(k, "name")) return get_string(x, sp.name, &name_cache_[name_slot(x)]);
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
    if (sp.end_time_unix_nano < sp.start_time_unix_nano)
      report(severity::warning, diagnostic_code::end_before_start, at, render_path(),
             "span ends " + std::to_string(sp.start_time_unix_nano - sp.end_time_unix_nano) +
                 " ns before it starts; kept as written");
    b_.add_stored_span(scope, sp);
    ++st_.spans_kept;
    return fate::ok;
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

  /// One JSON document: the whole input, one JSON Lines line, ...
  void read_document(std::size_t offset, std::size_t length, bool in_line) {
    ++st_.documents;
    doc_offset_ = offset;
    doc_end_ = offset + length;
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
      reader sub(copy.data(), n, opt_, b_, st_);
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
    reader sub(fixed.data(), n, opt_, b_, st_);
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
  std::array<std::string_view, 64> name_cache_{};  // span names, direct-mapped by name_slot
  std::vector<std::vector<key_value>> kv_scratch_;
  std::vector<std::vector<any_value>> arr_scratch_;
  std::vector<event> events_;
  std::vector<link> links_;
  bool stopped_ = false;
  bool repairing_ = false;
  bool noted_base64_ = false;
  bool noted_enum_names_ = false;
  std::size_t cursor_offset_ = 0;
  std::uint64_t cursor_line_ = 1;
  std::size_t cursor_line_start_ = 0;
};

}  // namespace

bool read_otlp_buffer(const char* data, std::size_t size, layout how, const read_options& options,
                      trace_set_builder& b, read_stats& stats) {
  stats.bytes += size;
  reader r(data, size, options, b, stats);
  return r.run(how);
}

std::size_t first_non_space(const char* data, std::size_t size) noexcept {
  std::size_t i = 0;
  while (i < size && is_space(data[i])) ++i;
  return i;
}

}  // namespace tracefold::ingest::detail
