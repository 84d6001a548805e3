#pragma once
/// @file
/// A deterministic, in-memory corpus of realistic spans for the benchmarks.
///
/// Shape (what the benchmarks claim to measure, so keep it honest):
/// - traces of 15 to 25 spans (uniform), the last one cut short to hit the exact span count;
/// - 5 services, 10 operation names each: 50 distinct span names of 11 to 49 characters;
/// - a root in the `frontend` service; every other span's parent is an earlier span of the
///   same trace, so a trace is a tree of random shape (mean depth about 4.5, at most about 20);
/// - durations from 20 us to 2 s for roots, children nested inside their parent's time;
/// - 2 attributes per span (`http.status_code` int, `component` string), as OTLP producers
///   usually send a few; random 16-byte trace ids and 8-byte span ids.
///
/// The corpus owns every string the spans view. `spans` holds them trace by trace, each
/// trace parents-first (the order a collector usually writes); `shuffle()` puts them in a
/// random order (as a dump merged from several collectors would look).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <tracefold/model/key_value.hpp>
#include <tracefold/model/resource.hpp>
#include <tracefold/model/scope.hpp>
#include <tracefold/model/span.hpp>
#include <tracefold/model/trace_set.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <vector>

namespace tracefold::bench {

/// The spans and the resources they were reported under; see the file comment.
struct span_corpus {
  static constexpr std::size_t services = 5;
  static constexpr std::size_t names_per_service = 10;

  std::vector<std::string> service_names;              ///< `services` names
  std::vector<std::string> span_names;                 ///< `services * names_per_service` names
  std::vector<std::vector<key_value>> resource_attrs;  ///< one `service.name` per service
  std::vector<key_value> span_attrs;                   ///< 2 per span, viewed by `spans`
  std::vector<span> spans;                             ///< trace by trace, parents first
  std::vector<std::uint8_t> service_of;                ///< service index of each span
  std::size_t trace_count = 0;                         ///< number of distinct trace ids

  /// `n` spans from a fixed seed: the same corpus on every run and machine.
  explicit span_corpus(std::size_t n, std::uint64_t seed = 20240611) {
    static constexpr const char* service_table[services] = {"frontend", "checkout", "cart",
                                                            "payment", "inventory-db"};
    static constexpr const char* op_table[names_per_service] = {
        "GET /api/v1/items",
        "POST /api/v1/orders/{id}/confirm",
        "grpc.Health/Check",
        "SELECT orders",
        "cache.get",
        "publish order.created",
        "PUT /api/v1/cart/{id}",
        "render",
        "authorize",
        "DELETE /api/v1/sessions/{session_id}"};
    for (const char* s : service_table) service_names.emplace_back(s);
    for (const std::string& s : service_names)
      for (const char* op : op_table) span_names.push_back(s + " " + op);
    resource_attrs.resize(services);
    for (std::size_t i = 0; i < services; ++i)
      resource_attrs[i] = {{"service.name", any_value::of_string(service_names[i])}};

    static constexpr std::string_view components[] = {"http", "grpc", "sql", "redis"};
    static constexpr std::int64_t codes[] = {200, 200, 200, 200, 201, 204, 404, 500};

    std::mt19937_64 rng(seed);
    auto uniform = [&](std::uint64_t lo, std::uint64_t hi) {  // [lo, hi]
      return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
    };
    spans.reserve(n);
    service_of.reserve(n);
    span_attrs.reserve(2 * n);  // never reallocates: spans view it
    std::uint64_t clock = 1'700'000'000'000'000'000ull;
    while (spans.size() < n) {
      const std::size_t size =
          std::min<std::size_t>(static_cast<std::size_t>(uniform(15, 25)), n - spans.size());
      std::array<std::uint8_t, 16> tid_bytes{};
      for (std::size_t i = 0; i < 16; i += 8) {
        const std::uint64_t w = rng();
        for (std::size_t b = 0; b < 8; ++b)
          tid_bytes[i + b] = static_cast<std::uint8_t>(w >> (8 * b));
      }
      const trace_id tid{tid_bytes};
      const std::size_t first = spans.size();
      clock += uniform(1'000, 5'000'000);
      for (std::size_t k = 0; k < size; ++k) {
        span s;
        s.trace_id = tid;
        std::array<std::uint8_t, 8> sid_bytes{};
        const std::uint64_t w = rng() | 1;  // never the all-zero "absent" id
        for (std::size_t b = 0; b < 8; ++b) sid_bytes[b] = static_cast<std::uint8_t>(w >> (8 * b));
        s.span_id = span_id{sid_bytes};
        std::size_t service = 0;
        if (k == 0) {
          s.start_time_unix_nano = clock;
          s.end_time_unix_nano = clock + uniform(20'000, 2'000'000'000);
          s.kind = span_kind::server;
        } else {
          // Parent: an earlier span, biased towards recent ones (deeper, narrower trees).
          const std::size_t back = std::min<std::size_t>(k, 1 + uniform(0, 3) * uniform(0, 2));
          const span& p = spans[first + k - back];
          s.parent_span_id = p.span_id;
          const std::uint64_t pdur = p.end_time_unix_nano - p.start_time_unix_nano;
          s.start_time_unix_nano = p.start_time_unix_nano + uniform(0, pdur / 2);
          s.end_time_unix_nano = s.start_time_unix_nano + uniform(1, pdur / 2 + 1);
          service = static_cast<std::size_t>(uniform(0, services - 1));
          s.kind = uniform(0, 1) ? span_kind::client : span_kind::internal;
        }
        s.name = span_names[service * names_per_service +
                            static_cast<std::size_t>(uniform(0, names_per_service - 1))];
        const std::int64_t code = codes[uniform(0, std::size(codes) - 1)];
        if (code >= 500) s.status.code = status_code::error;
        const std::size_t a = span_attrs.size();
        span_attrs.push_back({"http.status_code", any_value::of_int(code)});
        span_attrs.push_back(
            {"component", any_value::of_string(components[uniform(0, std::size(components) - 1)])});
        s.attributes = {span_attrs.data() + a, 2};
        spans.push_back(s);
        service_of.push_back(static_cast<std::uint8_t>(service));
      }
      ++trace_count;
    }
  }

  span_corpus(const span_corpus&) = delete;
  span_corpus& operator=(const span_corpus&) = delete;

  /// Puts the spans in a fixed random order, moving them in memory (attributes included), so
  /// that adding them in order reads the input sequentially, as a reader parsing a file does.
  void shuffle(std::uint64_t seed = 7) {
    std::vector<std::uint32_t> order(spans.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
    std::vector<span> new_spans;
    std::vector<std::uint8_t> new_service;
    std::vector<key_value> new_attrs;
    new_spans.reserve(spans.size());
    new_service.reserve(spans.size());
    new_attrs.reserve(span_attrs.size());  // never reallocates: spans view it
    for (std::uint32_t i : order) {
      span s = spans[i];
      const std::size_t a = new_attrs.size();
      new_attrs.insert(new_attrs.end(), s.attributes.begin(), s.attributes.end());
      s.attributes = {new_attrs.data() + a, s.attributes.size()};
      new_spans.push_back(s);
      new_service.push_back(service_of[i]);
    }
    spans = std::move(new_spans);
    service_of = std::move(new_service);
    span_attrs = std::move(new_attrs);  // moving a vector keeps its buffer: views stay valid
  }

  /// Adds one resource and scope per service, then every span in order, to `b`.
  void add_to(trace_set_builder& b) const {
    std::vector<scope_handle> scopes;
    scopes.reserve(services);
    for (std::size_t i = 0; i < services; ++i) {
      const resource_handle r = b.add_resource(resource{resource_attrs[i], 0, {}});
      scopes.push_back(b.add_scope(r, scope{"tracefold.bench", "1.0", {}, 0, {}}));
    }
    b.reserve(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i) b.add_span(scopes[service_of[i]], spans[i]);
  }

  /// The spans built into a trace set, added in trace order.
  [[nodiscard]] trace_set build() const {
    trace_set_builder b;
    add_to(b);
    return std::move(b).build();
  }
};

}  // namespace tracefold::bench
