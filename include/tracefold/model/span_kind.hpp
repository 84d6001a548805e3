#pragma once
/// @file
/// `span_kind`: the OTLP SpanKind enum.

#include <cstdint>
#include <string_view>

namespace tracefold {

/// OTLP SpanKind with OTLP's numbers. Values outside 0..5 read from a dump are kept as is.
enum class span_kind : std::int32_t {
  unspecified = 0,  ///< SPAN_KIND_UNSPECIFIED
  internal = 1,     ///< SPAN_KIND_INTERNAL
  server = 2,       ///< SPAN_KIND_SERVER
  client = 3,       ///< SPAN_KIND_CLIENT
  producer = 4,     ///< SPAN_KIND_PRODUCER
  consumer = 5,     ///< SPAN_KIND_CONSUMER
};

/// Lowercase short name ("server", ...), or "unknown" for values outside the enum.
[[nodiscard]] constexpr std::string_view to_string(span_kind k) noexcept {
  switch (k) {
    case span_kind::unspecified: return "unspecified";
    case span_kind::internal: return "internal";
    case span_kind::server: return "server";
    case span_kind::client: return "client";
    case span_kind::producer: return "producer";
    case span_kind::consumer: return "consumer";
  }
  return "unknown";
}

}  // namespace tracefold
