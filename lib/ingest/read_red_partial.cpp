#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <tracefold/folds/exponential_histogram.hpp>
#include <tracefold/ingest/read_red_partial.hpp>
#include <type_traits>
#include <utility>
#include <vector>

#include "ondemand_util.hpp"
#include "text_util.hpp"

namespace tracefold::ingest {

namespace {

namespace od = simdjson::ondemand;
using folds::exponential_histogram;
using simdjson::error_code;
using uint128 = tracefold::detail::uint128;
using detail::read_scalar;
using detail::shown;

constexpr std::string_view format_name = "tracefold.red_partial";
constexpr std::int64_t format_version = 1;

/// The fields of each object of the format, in the order the writer writes them.
constexpr std::array<std::string_view, 6> root_fields = {"format", "version",    "spans",
                                                         "traces", "attributes", "groups"};
constexpr std::array<std::string_view, 9> group_fields = {
    "service", "name", "kind", "status", "attributes", "count", "errors", "duration", "self_time"};
constexpr std::array<std::string_view, 11> histogram_fields = {
    "max_size", "max_scale", "scale", "count",  "zero_count",   "rejected_count",
    "sum",      "min",       "max",   "offset", "bucket_counts"};
constexpr std::array<std::string_view, 1> hex_fields = {"hex"};

/// One step of a JSON path: a field name (one of the format's, so a literal), or an index.
struct path_step {
  std::string_view key;
  std::size_t index = 0;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Reads one partial state from a padded buffer; stops at the first problem, which becomes
/// the one diagnostic of the result.
class partial_reader {
 public:
  partial_reader(const char* data, std::size_t size, std::string file)
      : data_(data), size_(size), file_(std::move(file)) {}

  red_partial_result run() {
    red_partial_result out;
    folds::red_table table;
    if (read(table)) {
      table.sort();
      out.table = std::move(table);
    } else {
      out.diagnostics = std::move(diagnostics_);
    }
    return out;
  }

 private:
  // ----- diagnostics ----------------------------------------------------------------------

  /// The path so far, then `extra` (a field name) if given.
  [[nodiscard]] std::string path_text(std::string_view extra = {}) const {
    std::string out;
    for (const path_step& s : path_) {
      if (s.key.empty()) {
        out += '[';
        out += std::to_string(s.index);
        out += ']';
      } else {
        if (!out.empty()) out += '.';
        out += s.key;
      }
    }
    if (!extra.empty()) {
      if (!out.empty()) out += '.';
      out += extra;
    }
    return out;
  }

  /// Records the error and returns false, so that `return fail(...)` ends every reader.
  bool fail(diagnostic_code code, std::size_t at, std::string message,
            std::string_view extra = {}) {
    diagnostic d;
    d.severity = severity::error;
    d.code = code;
    d.file = file_;
    d.byte_offset = std::min(at, size_);
    d.line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < d.byte_offset; ++i)
      if (data_[i] == '\n') {
        ++d.line;
        line_start = i + 1;
      }
    d.column = d.byte_offset - line_start + 1;
    d.path = path_text(extra);
    d.message = std::move(message);
    diagnostics_.push_back(std::move(d));
    return false;
  }

  /// Where the iterator is (the next token), or the end of the input after the last one.
  std::size_t here() {
    const char* p = nullptr;
    if (doc_ != nullptr && !doc_->current_location().get(p) && p >= data_ && p <= data_ + size_)
      return static_cast<std::size_t>(p - data_);
    return size_;
  }

  /// Where the value `v` starts.
  std::size_t offset_of(od::value& v) {
    const char* p = v.raw_json_token().data();
    if (p >= data_ && p <= data_ + size_) return static_cast<std::size_t>(p - data_);
    return here();
  }

  /// The input from `at` to the end of its line, for messages.
  std::string text_at(std::size_t at) const { return detail::text_at(data_, size_, at); }
  static std::string excerpt(std::string_view s, std::size_t max) {
    return detail::raw_excerpt(s, max);
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// The document's brackets do not balance (simdjson's INCOMPLETE_ARRAY_OR_OBJECT, which
  /// says neither where nor why): a closing bracket of the wrong kind, text after the
  /// document, or a document cut short. Brackets are matched outside strings.
  bool unbalanced(error_code e) {
    std::vector<char> open;
    bool in_string = false, escaped = false;
    std::size_t end = npos;
    for (std::size_t i = doc_start_; i < size_ && end == npos; ++i) {
      const char c = data_[i];
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        open.push_back(c);
      } else if (c == '}' || c == ']') {
        const char want = c == '}' ? '{' : '[';
        if (open.empty() || open.back() != want)
          return fail(diagnostic_code::syntax_error, i,
                      std::string("`") + c + "` does not close the " +
                          (open.empty() ? std::string("document")
                                        : "`" + std::string(1, open.back()) + "` before it"));
        open.pop_back();
        if (open.empty()) end = i + 1;
      }
    }
    if (end == npos)
      return fail(diagnostic_code::syntax_error, size_,
                  "the input ends before the JSON document is complete (truncated?)");
    while (end < size_ && is_space(data_[end])) ++end;
    if (end < size_)
      return fail(diagnostic_code::syntax_error, end,
                  "unexpected text " + text_at(end) + " after the JSON document");
    return fail(diagnostic_code::syntax_error, doc_start_,
                std::string("not valid JSON: ") + simdjson::error_message(e));
  }

  /// A simdjson error: the text is not (complete) JSON here.
  bool json_error(error_code e, std::size_t at) {
    if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) return unbalanced(e);
    if (e == simdjson::DEPTH_ERROR)
      return fail(diagnostic_code::too_deep, at,
                  "JSON nested deeper than the parser allows (a RED partial state nests 5 deep)");
    if (at >= size_)
      return fail(diagnostic_code::syntax_error, size_,
                  "the input ends before the JSON document is complete (truncated?)");
    if (e == simdjson::STRING_ERROR)
      return fail(diagnostic_code::syntax_error, at,
                  "string has an invalid escape sequence (\\u needs 4 hex digits; UTF-16 "
                  "surrogates must come in pairs)");
    return fail(diagnostic_code::syntax_error, at,
                "not valid JSON at " + text_at(at) + ": " + simdjson::error_message(e));
  }

  /// An error of simdjson's first pass over the whole input, which does not say where: find
  /// the offending byte.
  bool stage1_error(error_code e, std::size_t start) {
    if (e == simdjson::UTF8_ERROR) {
      const std::size_t bad =
          start + detail::first_invalid_utf8(std::string_view(data_ + start, size_ - start));
      return fail(diagnostic_code::invalid_utf8, bad,
                  bad < size_ ? "invalid UTF-8 (byte 0x" +
                                    detail::hex_byte(static_cast<unsigned char>(data_[bad])) + ")"
                              : std::string("invalid UTF-8"));
    }
    if (e == simdjson::UNCLOSED_STRING || e == simdjson::UNESCAPED_CHARS) {
      bool in_string = false, escaped = false;
      std::size_t opened = start;
      for (std::size_t i = start; i < size_; ++i) {
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
        } else if (static_cast<unsigned char>(c) < 0x20) {
          return fail(diagnostic_code::syntax_error, i,
                      "control character (byte 0x" +
                          detail::hex_byte(static_cast<unsigned char>(c)) +
                          ") inside a string; JSON requires it escaped, e.g. \\u00" +
                          detail::hex_byte(static_cast<unsigned char>(c)));
        }
      }
      if (in_string)
        return fail(diagnostic_code::syntax_error, opened,
                    "a string starts here and is never closed (truncated?)");
    }
    return json_error(e, start);
  }

  // ----- values -----------------------------------------------------------------------------

  /// Whether the scalar at `v`, of type `t` by its first byte, is valid JSON (`nul` is not,
  /// nor `12"a"`); a syntax error if not. Objects and arrays are checked when walked.
  bool valid_scalar(od::value& v, od::json_type t) {
    const std::size_t at = offset_of(v);
    error_code e = simdjson::SUCCESS;
    switch (t) {
      case od::json_type::boolean: {
        bool b = false;
        e = v.get_bool().get(b);
        break;
      }
      case od::json_type::null: {
        bool null = false;
        e = v.is_null().get(null);
        if (!e && !null) e = simdjson::INCORRECT_TYPE;
        break;
      }
      case od::json_type::string: {
        std::string_view s;
        if (auto se = v.get_string().get(s)) return json_error(se, at);
        break;
      }
      case od::json_type::number: {
        double d = 0;
        e = v.get_double().get(d);
        break;
      }
      default:
        break;
    }
    if (e) return fail(diagnostic_code::syntax_error, at, "not valid JSON at " + text_at(at));
    return true;
  }

  /// `v` has type `want`, else a `wrong_type` error saying it should be `what`.
  bool expect(od::value& v, od::json_type want, std::string_view what) {
    od::json_type t{};
    if (auto e = v.type().get(t)) return json_error(e, offset_of(v));
    if (t != want) {
      const std::string got = shown(v);
      if (!valid_scalar(v, t)) return false;
      return fail(diagnostic_code::wrong_type, offset_of(v),
                  "expected " + std::string(what) + ", got " + got);
    }
    return true;
  }

  /// Calls `on(i, value)` for each field of the object `obj` (its fields named `names[i]`),
  /// and puts where each value starts into `at[i]`. Every name must appear once, and no
  /// other: an unknown, repeated or missing field is an error. `start` is where the object
  /// starts.
  template <std::size_t N, class F>
  bool fields(od::object& obj, std::size_t start, const std::array<std::string_view, N>& names,
              std::array<std::size_t, N>& at, F&& on) {
    std::array<bool, N> seen{};
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return json_error(e, here());
      std::string_view key;
      if (auto e = f.unescaped_key().get(key)) return json_error(e, here());
      const auto it = std::find(names.begin(), names.end(), key);
      od::value& v = f.value();
      if (it == names.end()) {
        std::string msg = "unknown field \"" + excerpt(key, 48) + "\": expected only ";
        for (std::size_t i = 0; i < N; ++i) {
          msg += i == 0 ? "" : i + 1 == N ? " and " : ", ";
          msg += names[i];
        }
        msg += " (a newer version of the format must change \"version\")";
        const std::string key_copy(key);
        return fail(diagnostic_code::wrong_shape, offset_of(v), std::move(msg), key_copy);
      }
      const auto i = static_cast<std::size_t>(it - names.begin());
      at[i] = offset_of(v);
      if (seen[i])
        return fail(diagnostic_code::wrong_shape, at[i],
                    "field " + std::string(names[i]) + " appears twice in one object", names[i]);
      seen[i] = true;
      path_.push_back({names[i]});
      const bool ok = on(i, v);
      path_.pop_back();
      if (!ok) return false;
    }
    for (std::size_t i = 0; i < N; ++i)
      if (!seen[i])
        return fail(diagnostic_code::missing_field, start,
                    "missing field " + std::string(names[i]) + " in the object starting here",
                    names[i]);
    return true;
  }

  /// `fields` for the object at `v`.
  template <std::size_t N, class F>
  bool object_fields(od::value& v, std::string_view what,
                     const std::array<std::string_view, N>& names, std::array<std::size_t, N>& at,
                     F&& on) {
    if (!expect(v, od::json_type::object, what)) return false;
    const std::size_t start = offset_of(v);
    od::object obj;
    if (auto e = v.get_object().get(obj)) return json_error(e, start);
    return fields(obj, start, names, at, std::forward<F>(on));
  }

  /// Calls `on(value)` for each element of the array at `v`, with its index on the path.
  template <class F>
  bool elements(od::value& v, std::string_view what, F&& on) {
    if (!expect(v, od::json_type::array, what)) return false;
    od::array arr;
    if (auto e = v.get_array().get(arr)) return json_error(e, offset_of(v));
    std::size_t i = 0;
    for (auto er : arr) {
      od::value ev;
      if (auto e = std::move(er).get(ev)) return json_error(e, here());
      path_.push_back({{}, i++});
      const bool ok = on(ev);
      path_.pop_back();
      if (!ok) return false;
    }
    return true;
  }

  /// The string at `v` (escapes decoded).
  bool string(od::value& v, std::string_view what, std::string_view& out) {
    if (!expect(v, od::json_type::string, what)) return false;
    const std::size_t at = offset_of(v);
    if (auto e = v.get_string().get(out)) return json_error(e, at);
    return true;
  }

  /// A string of the format: a JSON string, or `{"hex": "..."}` holding its bytes in hex (the
  /// writer's form for a string that is not valid UTF-8).
  bool text(od::value& v, std::string& out) {
    od::json_type t{};
    if (auto e = v.type().get(t)) return json_error(e, offset_of(v));
    constexpr std::string_view what = "a string (or {\"hex\": \"...\"})";
    if (t == od::json_type::string) {
      std::string_view s;
      if (!string(v, what, s)) return false;
      out.assign(s);
      return true;
    }
    std::array<std::size_t, 1> at{};
    return object_fields(v, what, hex_fields, at, [&](std::size_t, od::value& x) {
      std::string_view hex;
      if (!string(x, "a string of hex digits", hex)) return false;
      if (hex.size() % 2 != 0)
        return fail(diagnostic_code::bad_number, at[0],
                    "expected an even number of hex digits, got " + std::to_string(hex.size()));
      out.clear();
      out.reserve(hex.size() / 2);
      for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = hex_digit(hex[i]);
        const int lo = hex_digit(hex[i + 1]);
        if (hi < 0 || lo < 0)
          return fail(diagnostic_code::bad_number, at[0],
                      "expected hex digits, got \"" + excerpt(hex.substr(i, 2), 8) + "\"");
        out.push_back(static_cast<char>(hi * 16 + lo));
      }
      return true;
    });
  }

  static int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  /// A string of the format or null.
  bool optional_text(od::value& v, std::optional<std::string>& out) {
    od::json_type t{};
    if (auto e = v.type().get(t)) return json_error(e, offset_of(v));
    if (t == od::json_type::null) {
      bool null = false;
      if (auto e = v.is_null().get(null)) return json_error(e, offset_of(v));
      if (!null)
        return fail(diagnostic_code::syntax_error, offset_of(v),
                    "not valid JSON: " + shown(v) + " is not null");
      out.reset();
      return true;
    }
    out.emplace();
    return text(v, *out);
  }

  /// A decimal string (no sign, no leading zero) of an integer up to `limit`.
  bool decimal(od::value& v, uint128 limit, std::string_view limit_text, uint128& out) {
    const std::size_t at = offset_of(v);
    std::string_view s;
    if (!string(v, "a decimal integer as a string, like \"42\"", s)) return false;
    const bool shape_ok =
        !s.empty() && s.size() <= 39 && (s.size() == 1 || s[0] != '0') &&
        std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    uint128 x = 0;
    bool fits = shape_ok;
    for (std::size_t i = 0; fits && i < s.size(); ++i) {
      const auto d = static_cast<unsigned>(s[i] - '0');
      if (x > (limit - d) / 10) fits = false;
      x = x * 10 + d;
    }
    if (!fits)
      return fail(diagnostic_code::bad_number, at,
                  "expected a decimal integer from 0 to " + std::string(limit_text) +
                      " (digits only, no leading zero), got \"" + excerpt(s, 48) + "\"");
    out = x;
    return true;
  }

  bool u64(od::value& v, std::uint64_t& out) {
    uint128 x = 0;
    if (!decimal(v, std::numeric_limits<std::uint64_t>::max(), "18446744073709551615", x))
      return false;
    out = static_cast<std::uint64_t>(x);
    return true;
  }

  bool u128(od::value& v, uint128& out) { return decimal(v, ~uint128{0}, "2^128 - 1", out); }

  /// A JSON integer in `[lo, hi]`.
  bool integer(od::value& v, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
    if (!expect(v, od::json_type::number, "an integer")) return false;
    const std::size_t at = offset_of(v);
    if (v.get_int64().get(out) || out < lo || out > hi)
      return fail(diagnostic_code::bad_number, at,
                  "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                      ", got " + shown(v));
    return true;
  }

  /// A JSON integer in the range of `T` (an integer type, or an enum's underlying type).
  template <class T>
  bool int_field(od::value& v, T& out) {
    if constexpr (std::is_enum_v<T>) {
      std::underlying_type_t<T> u{};
      if (!int_field(v, u)) return false;
      out = static_cast<T>(u);
      return true;
    } else {
      std::int64_t x = 0;
      if (!integer(v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), x))
        return false;
      out = static_cast<T>(x);
      return true;
    }
  }

  // ----- the format -------------------------------------------------------------------------

  bool histogram(od::value& v, exponential_histogram& out) {
    const std::size_t start = offset_of(v);
    exponential_histogram::parts p;
    std::int64_t max_size = 0;
    std::array<std::size_t, histogram_fields.size()> at{};
    const bool ok = object_fields(
        v, "a histogram object", histogram_fields, at, [&](std::size_t i, od::value& x) {
          switch (i) {
            case 0:
              if (!integer(x, 0, std::numeric_limits<std::uint32_t>::max(), max_size)) return false;
              p.max_size = static_cast<std::uint32_t>(max_size);
              return true;
            case 1:
              return int_field(x, p.max_scale);
            case 2:
              return int_field(x, p.scale);
            case 3:
              return u64(x, p.count);
            case 4:
              return u64(x, p.zero_count);
            case 5:
              return u64(x, p.rejected_count);
            case 6:
              return u128(x, p.sum);
            case 7:
              return u64(x, p.min);
            case 8:
              return u64(x, p.max);
            case 9:
              return int_field(x, p.offset);
            default:
              buckets_.clear();
              return elements(x, "an array of bucket counts", [&](od::value& c) {
                std::uint64_t n = 0;
                if (!u64(c, n)) return false;
                buckets_.push_back(n);
                return true;
              });
          }
        });
    if (!ok) return false;
    p.bucket_counts = buckets_;
    std::optional<exponential_histogram> h = exponential_histogram::from_parts(p);
    if (!h)
      return fail(
          diagnostic_code::inconsistent, start,
          "inconsistent histogram: " + std::string(exponential_histogram::parts_problem(p)));
    out = std::move(*h);
    return true;
  }

  /// One group; `attributes_at` gets where its attribute values start.
  bool group(od::value& v, folds::red_group& g, std::size_t& attributes_at) {
    std::array<std::size_t, group_fields.size()> at{};
    const bool ok =
        object_fields(v, "a group object", group_fields, at, [&](std::size_t i, od::value& x) {
          switch (i) {
            case 0:
              return text(x, g.key.service);
            case 1:
              return text(x, g.key.name);
            case 2:
              return int_field(x, g.key.kind);
            case 3:
              return int_field(x, g.key.status);
            case 4:
              return elements(x, "an array of attribute values (strings or null)",
                              [&](od::value& a) {
                                g.key.attributes.emplace_back();
                                return optional_text(a, g.key.attributes.back());
                              });
            case 5:
              return u64(x, g.count);
            case 6:
              return u64(x, g.errors);
            case 7:
              return histogram(x, g.duration);
            default:
              return histogram(x, g.self_time);
          }
        });
    if (!ok) return false;
    attributes_at = at[4];
    if (g.errors > g.count)
      return fail(diagnostic_code::inconsistent, at[6],
                  "errors (" + std::to_string(g.errors) + ") exceeds count (" +
                      std::to_string(g.count) + ")",
                  "errors");
    const std::pair<const exponential_histogram*, std::size_t> hs[] = {{&g.duration, 7},
                                                                       {&g.self_time, 8}};
    for (const auto& [h, k] : hs)
      if (h->count() != g.count)
        return fail(diagnostic_code::inconsistent, at[k],
                    "the histogram holds " + std::to_string(h->count()) +
                        " values but the group's count is " + std::to_string(g.count) +
                        " (one value per span)",
                    group_fields[k]);
    return true;
  }

  /// What the first pass saw of `format` and `version`.
  struct format_facts {
    std::size_t format_count = 0, version_count = 0;
    std::size_t format_at = 0, version_at = 0;
    bool format_is_string = false, version_is_number = false, version_is_integer = false;
    std::string format;         ///< its text, when a string
    std::int64_t version = 0;   ///< its value, when an integer
    std::string format_shown;   ///< how it is written, for messages
    std::string version_shown;  ///< how it is written, for messages
  };

  /// The first pass: walks the whole document (so a syntax error anywhere is found before the
  /// format and version are judged), noting `format` and `version`. False on a JSON error.
  bool scan_format(od::object& root, format_facts& facts) {
    for (auto fr : root) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return json_error(e, here());
      std::string_view key;
      if (auto e = f.unescaped_key().get(key)) return json_error(e, here());
      od::value& v = f.value();
      const bool is_format = key == "format";
      if (!is_format && key != "version") continue;  // read in the second pass
      od::json_type t{};
      const std::size_t at = offset_of(v);
      if (auto e = v.type().get(t)) return json_error(e, at);
      if (is_format) {
        if (facts.format_count++ != 0) continue;
        facts.format_at = at;
        facts.format_shown = shown(v);
        if (t != od::json_type::string) {
          if (!valid_scalar(v, t)) return false;
          continue;
        }
        std::string_view s;
        if (auto e = v.get_string().get(s)) return json_error(e, at);
        facts.format.assign(s);
        facts.format_is_string = true;
      } else {
        if (facts.version_count++ != 0) continue;
        facts.version_at = at;
        facts.version_shown = shown(v);
        if (t != od::json_type::number && !valid_scalar(v, t)) return false;
        facts.version_is_number = t == od::json_type::number;
        facts.version_is_integer = facts.version_is_number && !v.get_int64().get(facts.version);
      }
    }
    return true;
  }

  /// Judges what `scan_format` saw: a document of another format or version is reported as
  /// such, not by the first field it spells differently.
  bool check_format(const format_facts& f, std::size_t start) {
    const std::string expected = "expected a RED partial state {\"format\": \"" +
                                 std::string(format_name) + "\", \"version\": 1, ...}";
    if (f.format_count == 0)
      return fail(diagnostic_code::wrong_shape, start,
                  "no field format: " + expected + ", as emit::to_red_partial writes", "format");
    if (f.format_count > 1)
      return fail(diagnostic_code::wrong_shape, start, "field format appears more than once",
                  "format");
    if (!f.format_is_string)
      return fail(diagnostic_code::wrong_type, f.format_at,
                  "expected a string, got " + f.format_shown, "format");
    if (f.format != format_name)
      return fail(diagnostic_code::wrong_shape, f.format_at,
                  "format is " + f.format_shown + ": " + expected, "format");
    if (f.version_count == 0)
      return fail(diagnostic_code::missing_field, start, "no field version: " + expected,
                  "version");
    if (f.version_count > 1)
      return fail(diagnostic_code::wrong_shape, start, "field version appears more than once",
                  "version");
    if (!f.version_is_integer)
      return fail(f.version_is_number ? diagnostic_code::bad_number : diagnostic_code::wrong_type,
                  f.version_at, "expected an integer, got " + f.version_shown, "version");
    if (f.version != format_version)
      return fail(
          diagnostic_code::wrong_shape, f.version_at,
          "version " + std::to_string(f.version) + " is not supported: this reader reads version 1",
          "version");
    return true;
  }

  /// A document that is not an object: the wrong shape, or not JSON at all (text that only
  /// starts like a scalar).
  bool not_an_object(od::document& doc, od::json_type t, std::size_t start) {
    const error_code e = read_scalar(doc, t);
    if (e)
      return fail(diagnostic_code::syntax_error, start,
                  "not valid JSON: the text starts with " + text_at(start));
    return fail(diagnostic_code::wrong_shape, start,
                "expected a RED partial state object {\"format\": \"" + std::string(format_name) +
                    "\", ...}, got " + text_at(start));
  }

  /// Reads the document into `table` (groups in document order); false, with the one
  /// diagnostic recorded, at the first problem.
  bool read(folds::red_table& table) {
    std::size_t start = size_ >= 3 && std::memcmp(data_, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (start < size_ && is_space(data_[start])) ++start;
    if (start == size_)
      return fail(diagnostic_code::empty_input, start,
                  size_ == 0 ? "the input is empty: no RED partial state"
                             : "the input holds only whitespace: no RED partial state");
    doc_start_ = start;
    od::parser parser;
    od::document doc;
    if (auto e =
            parser.iterate(data_ + start, size_ - start, size_ - start + simdjson::SIMDJSON_PADDING)
                .get(doc))
      return stage1_error(e, start);
    doc_ = &doc;
    od::json_type t{};
    if (auto e = doc.type().get(t)) return json_error(e, start);
    if (t != od::json_type::object) return not_an_object(doc, t, start);

    od::object root;
    if (auto e = doc.get_object().get(root)) return json_error(e, start);
    format_facts facts;
    if (!scan_format(root, facts)) return false;
    const char* rest = nullptr;
    if (!doc.current_location().get(rest)) {
      const auto at = static_cast<std::size_t>(rest - data_);
      return fail(diagnostic_code::syntax_error, at,
                  "unexpected text " + text_at(at) + " after the JSON document");
    }
    if (!check_format(facts, start)) return false;

    // Second pass: every field, in document order.
    doc.rewind();
    if (auto e = doc.get_object().get(root)) return json_error(e, start);
    std::array<std::size_t, root_fields.size()> at{};
    std::vector<std::size_t> group_at, attributes_at;
    const bool ok = fields(root, start, root_fields, at, [&](std::size_t i, od::value& v) {
      switch (i) {
        case 2:
          return u64(v, table.spans);
        case 3:
          return u64(v, table.traces);
        case 4:
          return elements(v, "an array of attribute names", [&](od::value& a) {
            table.attribute_names.emplace_back();
            return text(a, table.attribute_names.back());
          });
        case 5:
          return elements(v, "an array of group objects", [&](od::value& g) {
            table.groups.emplace_back();
            group_at.push_back(offset_of(g));
            attributes_at.push_back(0);
            return group(g, table.groups.back(), attributes_at.back());
          });
        default:
          return true;  // format and version: checked by the first pass
      }
    });
    if (!ok) return false;
    return reconcile(table, at[2], group_at, attributes_at);
  }

  /// The checks across groups: attribute counts, distinct keys, and spans = sum of counts.
  bool reconcile(const folds::red_table& table, std::size_t spans_at,
                 const std::vector<std::size_t>& group_at,
                 const std::vector<std::size_t>& attributes_at) {
    const std::size_t n = table.groups.size();
    for (std::size_t i = 0; i < n; ++i)
      if (table.groups[i].key.attributes.size() != table.attribute_names.size()) {
        path_.push_back({"groups"});
        path_.push_back({{}, i});
        return fail(diagnostic_code::inconsistent, attributes_at[i],
                    "the group has " + std::to_string(table.groups[i].key.attributes.size()) +
                        " attribute values but the table is grouped by " +
                        std::to_string(table.attribute_names.size()) + " attributes",
                    "attributes");
      }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (const auto c = table.groups[a].key <=> table.groups[b].key; c != 0) return c < 0;
      return a < b;
    });
    std::size_t dup = n, first = n;
    for (std::size_t k = 1; k < n; ++k)
      if (table.groups[order[k - 1]].key == table.groups[order[k]].key && order[k] < dup) {
        dup = order[k];
        first = order[k - 1];
      }
    if (dup != n) {
      path_.push_back({"groups"});
      path_.push_back({{}, dup});
      return fail(diagnostic_code::inconsistent, group_at[dup],
                  "the same key (service, name, kind, status, attributes) as groups[" +
                      std::to_string(first) + "]: each key has one group");
    }
    uint128 total = 0;
    for (const folds::red_group& g : table.groups) total += g.count;
    if (total != table.spans)
      return fail(diagnostic_code::inconsistent, spans_at,
                  "spans is " + std::to_string(table.spans) + " but the groups' counts add up to " +
                      to_decimal(total),
                  "spans");
    return true;
  }

  static std::string to_decimal(uint128 v) {
    std::string s;
    detail::append_decimal(s, v);
    return s;
  }

  const char* data_;
  std::size_t size_;
  std::string file_;
  od::document* doc_ = nullptr;
  std::size_t doc_start_ = 0;  // where the document's first token is
  std::vector<path_step> path_;
  std::vector<diagnostic> diagnostics_;
  std::vector<std::uint64_t> buckets_;  // scratch: one histogram's bucket counts
};

red_partial_result io_failure(std::string file, std::string message) {
  red_partial_result r;
  diagnostic d;
  d.severity = severity::error;
  d.code = diagnostic_code::io_error;
  d.file = std::move(file);
  d.message = std::move(message);
  r.diagnostics.push_back(std::move(d));
  return r;
}

}  // namespace

red_partial_result read_red_partial(std::string_view json, std::string source_name) {
  const simdjson::padded_string padded(json);
  return partial_reader(padded.data(), padded.size(), std::move(source_name)).run();
}

red_partial_result read_red_partial_file(const std::filesystem::path& path) {
  std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return io_failure(std::move(name), "is a directory, not a file");
  simdjson::padded_string padded;
  if (auto e = simdjson::padded_string::load(path.string()).get(padded)) {
    std::string why(std::filesystem::exists(path, ec) ? "cannot be read" : "no such file");
    why.append(" (").append(simdjson::error_message(e)).append(")");
    return io_failure(std::move(name), std::move(why));
  }
  return partial_reader(padded.data(), padded.size(), std::move(name)).run();
}

}  // namespace tracefold::ingest
