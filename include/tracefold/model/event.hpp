#pragma once
/// @file
/// `event`: a timestamped annotation on a span (OTLP Span.Event).

#include <cstdint>
#include <span>
#include <string_view>
#include <tracefold/model/key_value.hpp>

namespace tracefold {

/// A span event, e.g. an exception record.
struct event {
  std::uint64_t time_unix_nano = 0;            ///< when, nanoseconds since the Unix epoch
  std::string_view name{};                       ///< e.g. "exception"
  std::span<const key_value> attributes{};       ///< event attributes
  std::uint32_t dropped_attributes_count = 0;  ///< attributes the producer discarded

  /// Deep field-by-field equality.
  friend bool operator==(const event& a, const event& b) noexcept {
    return a.time_unix_nano == b.time_unix_nano && a.name == b.name &&
           a.dropped_attributes_count == b.dropped_attributes_count &&
           attributes_equal(a.attributes, b.attributes);
  }
};

}  // namespace tracefold
