#pragma once
/// @file
/// `key_value`: an attribute, a string key with an `any_value`.

#include <span>
#include <string_view>
#include <tracefold/model/any_value.hpp>

namespace tracefold {

/// One attribute: a key and its value, both views into trace_set storage.
struct key_value {
  std::string_view key{};  ///< attribute name, e.g. "http.route"
  any_value value{};       ///< attribute value

  /// Equal keys and deeply equal values.
  friend bool operator==(const key_value& a, const key_value& b) noexcept {
    return a.key == b.key && a.value == b.value;
  }
};

inline std::span<const key_value> any_value::as_kvlist() const noexcept {
  return {kvlist_, size_};
}

/// The value of the first attribute named `key`, or nullptr. Linear in `attrs.size()`.
[[nodiscard]] inline const any_value* find_attribute(std::span<const key_value> attrs,
                                                     std::string_view key) noexcept {
  for (const key_value& kv : attrs)
    if (kv.key == key) return &kv.value;
  return nullptr;
}

/// The string value of attribute `key`, or `fallback` when absent or not a string.
[[nodiscard]] inline std::string_view find_string_attribute(std::span<const key_value> attrs,
                                                            std::string_view key,
                                                            std::string_view fallback = {}) noexcept {
  const any_value* v = find_attribute(attrs, key);
  return v && v->kind() == value_kind::string ? v->as_string() : fallback;
}

/// Element-wise deep equality of two attribute lists (order matters, as in OTLP).
[[nodiscard]] bool attributes_equal(std::span<const key_value> a, std::span<const key_value> b) noexcept;

}  // namespace tracefold
