#pragma once
/// @file
/// `resource`: the entity that produced spans (OTLP Resource plus ResourceSpans.schemaUrl).

#include <cstdint>
#include <span>
#include <string_view>
#include <tracefold/model/key_value.hpp>

namespace tracefold {

/// The producer of a group of spans: its attributes (service.name, host.name, ...),
/// its dropped-attribute count and the schema URL of the ResourceSpans it came in.
struct resource {
  std::span<const key_value> attributes{};      ///< resource attributes, in input order
  std::uint32_t dropped_attributes_count = 0;  ///< attributes the producer discarded
  std::string_view schema_url{};                 ///< ResourceSpans.schemaUrl

  /// The `service.name` attribute, or `fallback` when absent or not a string.
  [[nodiscard]] std::string_view service_name(std::string_view fallback = {}) const noexcept {
    return find_string_attribute(attributes, "service.name", fallback);
  }

  /// Deep field-by-field equality.
  friend bool operator==(const resource& a, const resource& b) noexcept {
    return a.dropped_attributes_count == b.dropped_attributes_count &&
           a.schema_url == b.schema_url && attributes_equal(a.attributes, b.attributes);
  }
};

}  // namespace tracefold
