#pragma once
/// @file
/// `scope`: the instrumentation scope (library) that recorded spans.

#include <cstdint>
#include <span>
#include <string_view>
#include <tracefold/model/key_value.hpp>

namespace tracefold {

/// OTLP InstrumentationScope plus ScopeSpans.schemaUrl.
struct scope {
  std::string_view name{};                       ///< e.g. "io.opentelemetry.jdbc"
  std::string_view version{};                    ///< library version, may be empty
  std::span<const key_value> attributes{};       ///< scope attributes
  std::uint32_t dropped_attributes_count = 0;  ///< attributes the producer discarded
  std::string_view schema_url{};                 ///< ScopeSpans.schemaUrl

  /// Deep field-by-field equality.
  friend bool operator==(const scope& a, const scope& b) noexcept {
    return a.name == b.name && a.version == b.version &&
           a.dropped_attributes_count == b.dropped_attributes_count &&
           a.schema_url == b.schema_url && attributes_equal(a.attributes, b.attributes);
  }
};

}  // namespace tracefold
