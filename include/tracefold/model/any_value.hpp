#pragma once
/// @file
/// `any_value`: the OTLP AnyValue (string, bool, int64, double, array, kvlist, bytes).

#include <cstdint>
#include <span>
#include <string_view>

namespace tracefold {

struct key_value;

/// Which alternative an `any_value` holds. The numbers are internal, not OTLP's.
enum class value_kind : std::uint8_t {
  empty,    ///< no value (an AnyValue with no field set)
  string,   ///< UTF-8 text
  boolean,  ///< true or false
  int64,    ///< signed 64-bit integer
  double_,  ///< IEEE-754 double
  array,    ///< ordered list of any_value
  kvlist,   ///< ordered list of key_value (duplicate keys are kept as written)
  bytes,    ///< raw bytes (base64 in OTLP-JSON)
};

/// An OpenTelemetry AnyValue as a cheap, trivially copyable view (16 bytes).
///
/// Strings, bytes, arrays and kvlists point into storage owned by a `trace_set` (or by
/// the caller, for values handed to `trace_set_builder`, which deep-copies them).
/// Build one with the named factories: `any_value::of_string("GET")`, `of_int(200)`, ...
/// Equality is deep and structural; doubles compare by value except that NaN equals NaN,
/// so a value read back from its own output compares equal. Nesting depth is unbounded
/// here (comparison uses an explicit stack, not recursion).
class any_value {
 public:
  /// The empty value.
  constexpr any_value() noexcept : str_(nullptr) {}

  /// A string value viewing `s`.
  [[nodiscard]] static constexpr any_value of_string(std::string_view s) noexcept {
    any_value v;
    v.kind_ = value_kind::string;
    v.size_ = static_cast<std::uint32_t>(s.size());
    v.str_ = s.data();
    return v;
  }
  /// A boolean value.
  [[nodiscard]] static constexpr any_value of_bool(bool b) noexcept {
    any_value v;
    v.kind_ = value_kind::boolean;
    v.bool_ = b;
    return v;
  }
  /// A signed 64-bit integer value.
  [[nodiscard]] static constexpr any_value of_int(std::int64_t i) noexcept {
    any_value v;
    v.kind_ = value_kind::int64;
    v.int_ = i;
    return v;
  }
  /// A double value.
  [[nodiscard]] static constexpr any_value of_double(double d) noexcept {
    any_value v;
    v.kind_ = value_kind::double_;
    v.double_ = d;
    return v;
  }
  /// An array value viewing `items`.
  [[nodiscard]] static constexpr any_value of_array(std::span<const any_value> items) noexcept {
    any_value v;
    v.kind_ = value_kind::array;
    v.size_ = static_cast<std::uint32_t>(items.size());
    v.array_ = items.data();
    return v;
  }
  /// A key-value list viewing `items`.
  [[nodiscard]] static constexpr any_value of_kvlist(std::span<const key_value> items) noexcept {
    any_value v;
    v.kind_ = value_kind::kvlist;
    v.size_ = static_cast<std::uint32_t>(items.size());
    v.kvlist_ = items.data();
    return v;
  }
  /// A bytes value viewing the raw bytes in `raw` (not base64).
  [[nodiscard]] static constexpr any_value of_bytes(std::string_view raw) noexcept {
    any_value v;
    v.kind_ = value_kind::bytes;
    v.size_ = static_cast<std::uint32_t>(raw.size());
    v.str_ = raw.data();
    return v;
  }

  /// Which alternative is held.
  [[nodiscard]] constexpr value_kind kind() const noexcept { return kind_; }
  /// True for the empty value.
  [[nodiscard]] constexpr bool empty() const noexcept { return kind_ == value_kind::empty; }

  /// The string; precondition `kind() == value_kind::string`.
  [[nodiscard]] constexpr std::string_view as_string() const noexcept { return {str_, size_}; }
  /// The boolean; precondition `kind() == value_kind::boolean`.
  [[nodiscard]] constexpr bool as_bool() const noexcept { return bool_; }
  /// The integer; precondition `kind() == value_kind::int64`.
  [[nodiscard]] constexpr std::int64_t as_int() const noexcept { return int_; }
  /// The double; precondition `kind() == value_kind::double_`.
  [[nodiscard]] constexpr double as_double() const noexcept { return double_; }
  /// The elements; precondition `kind() == value_kind::array`.
  [[nodiscard]] constexpr std::span<const any_value> as_array() const noexcept {
    return {array_, size_};
  }
  /// The entries; precondition `kind() == value_kind::kvlist`. Defined in key_value.hpp.
  [[nodiscard]] std::span<const key_value> as_kvlist() const noexcept;
  /// The raw bytes; precondition `kind() == value_kind::bytes`.
  [[nodiscard]] constexpr std::string_view as_bytes() const noexcept { return {str_, size_}; }

  /// Deep structural equality (iterative; NaN equals NaN).
  friend bool operator==(const any_value& a, const any_value& b) noexcept;

 private:
  value_kind kind_ = value_kind::empty;
  std::uint32_t size_ = 0;
  union {
    const char* str_;
    bool bool_;
    std::int64_t int_;
    double double_;
    const any_value* array_;
    const key_value* kvlist_;
  };
};

}  // namespace tracefold

#include <tracefold/model/key_value.hpp>
