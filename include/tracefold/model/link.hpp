#pragma once
/// @file
/// `link`: a reference from a span to a span of another (or the same) trace.

#include <cstdint>
#include <span>
#include <string_view>
#include <tracefold/model/key_value.hpp>
#include <tracefold/model/span_id.hpp>
#include <tracefold/model/trace_id.hpp>

namespace tracefold {

/// OTLP Span.Link.
struct link {
  tracefold::trace_id trace_id{};                ///< linked span's trace
  tracefold::span_id span_id{};                  ///< linked span
  std::string_view trace_state{};                ///< W3C tracestate of the link
  std::span<const key_value> attributes{};       ///< link attributes
  std::uint32_t dropped_attributes_count = 0;  ///< attributes the producer discarded
  std::uint32_t flags = 0;                     ///< W3C trace flags and OTLP span flags

  /// Deep field-by-field equality.
  friend bool operator==(const link& a, const link& b) noexcept {
    return a.trace_id == b.trace_id && a.span_id == b.span_id && a.trace_state == b.trace_state &&
           a.dropped_attributes_count == b.dropped_attributes_count && a.flags == b.flags &&
           attributes_equal(a.attributes, b.attributes);
  }
};

}  // namespace tracefold
