#pragma once
/// @file
/// `span`: one operation, with every field of the OTLP Span message.

#include <cstdint>
#include <span>
#include <string_view>
#include <tracefold/model/event.hpp>
#include <tracefold/model/key_value.hpp>
#include <tracefold/model/link.hpp>
#include <tracefold/model/resource.hpp>
#include <tracefold/model/scope.hpp>
#include <tracefold/model/span_id.hpp>
#include <tracefold/model/span_kind.hpp>
#include <tracefold/model/status.hpp>
#include <tracefold/model/trace_id.hpp>

namespace tracefold {

/// A span: every OTLP Span field plus the resource and scope it was reported under.
///
/// A plain aggregate of views. Inside a `trace_set` every view (strings, attributes,
/// events, links, resource, scope) points into the set's storage and lives as long as
/// the set. Times are nanoseconds since the Unix epoch, exactly as read.
struct span {
  tracefold::trace_id trace_id{};        ///< the trace this span belongs to
  tracefold::span_id span_id{};          ///< this span's id
  tracefold::span_id parent_span_id{};   ///< parent's id; empty for a root
  std::uint64_t start_time_unix_nano = 0;  ///< start, ns since epoch
  std::uint64_t end_time_unix_nano = 0;    ///< end, ns since epoch
  std::string_view name{};               ///< operation name
  std::string_view trace_state{};        ///< W3C tracestate
  std::span<const key_value> attributes{};   ///< span attributes, in input order
  std::span<const tracefold::event> events{};  ///< events, in input order
  std::span<const tracefold::link> links{};    ///< links, in input order
  tracefold::status status{};            ///< outcome
  const tracefold::resource* resource = nullptr;  ///< producer; never null inside a trace_set
  const tracefold::scope* scope = nullptr;        ///< instrumentation scope; never null inside a trace_set
  std::uint32_t flags = 0;             ///< W3C trace flags and OTLP span flags
  span_kind kind = span_kind::unspecified;     ///< server, client, ...
  std::uint32_t dropped_attributes_count = 0;  ///< attributes the producer discarded
  std::uint32_t dropped_events_count = 0;      ///< events the producer discarded
  std::uint32_t dropped_links_count = 0;       ///< links the producer discarded

  /// `end - start` in nanoseconds; negative when a producer wrote end before start.
  [[nodiscard]] constexpr std::int64_t duration_ns() const noexcept {
    return static_cast<std::int64_t>(end_time_unix_nano - start_time_unix_nano);
  }

  /// The resource's `service.name`, or `fallback`.
  [[nodiscard]] std::string_view service_name(std::string_view fallback = {}) const noexcept {
    return resource ? resource->service_name(fallback) : fallback;
  }

  /// Deep field-by-field equality; resource and scope compare by value, not address.
  friend bool operator==(const span& a, const span& b) noexcept;
};

}  // namespace tracefold
