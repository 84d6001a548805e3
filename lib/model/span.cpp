#include <algorithm>
#include <tracefold/model/span.hpp>

namespace tracefold {

namespace {

template <class T>
bool ranges_equal(std::span<const T> a, std::span<const T> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

template <class T>
bool pointees_equal(const T* a, const T* b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return *a == *b;
}

}  // namespace

bool operator==(const span& a, const span& b) noexcept {
  return a.trace_id == b.trace_id && a.span_id == b.span_id &&
         a.parent_span_id == b.parent_span_id &&
         a.start_time_unix_nano == b.start_time_unix_nano &&
         a.end_time_unix_nano == b.end_time_unix_nano && a.name == b.name &&
         a.trace_state == b.trace_state && a.flags == b.flags && a.kind == b.kind &&
         a.status == b.status && a.dropped_attributes_count == b.dropped_attributes_count &&
         a.dropped_events_count == b.dropped_events_count &&
         a.dropped_links_count == b.dropped_links_count &&
         attributes_equal(a.attributes, b.attributes) && ranges_equal(a.events, b.events) &&
         ranges_equal(a.links, b.links) && pointees_equal(a.resource, b.resource) &&
         pointees_equal(a.scope, b.scope);
}

}  // namespace tracefold
