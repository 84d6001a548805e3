#pragma once
// Test helpers: build trace_sets from compact specs, and seeded random trace_sets of
// varied shapes for the law tests.

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <tracefold/model/trace_set.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <vector>

namespace tft {

/// A trace id from a small number (0 gives the absent id).
inline tracefold::trace_id tid(std::uint64_t n) {
  std::array<std::uint8_t, 16> b{};
  for (int i = 0; i < 8; ++i) b[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  return tracefold::trace_id(b);
}

/// A span id from a small number (0 gives the absent id).
inline tracefold::span_id sid(std::uint64_t n) {
  std::array<std::uint8_t, 8> b{};
  for (int i = 0; i < 8; ++i) b[7 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  return tracefold::span_id(b);
}

/// One span, compactly: ids are small numbers, parent 0 means root.
struct spec {
  std::uint64_t trace = 1;
  std::uint64_t id = 0;
  std::uint64_t parent = 0;
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  std::string name = "op";
  std::string service = "svc";
  tracefold::status_code status = tracefold::status_code::unset;
};

/// The span a spec describes (its service is the caller's: it lives on the resource).
inline tracefold::span to_span(const spec& s) {
  tracefold::span sp;
  sp.trace_id = tid(s.trace);
  sp.span_id = sid(s.id);
  sp.parent_span_id = sid(s.parent);
  sp.start_time_unix_nano = s.start;
  sp.end_time_unix_nano = s.end;
  sp.name = s.name;
  sp.status.code = s.status;
  return sp;
}

/// Builds a trace_set from specs, in the order given; one resource per distinct service.
inline tracefold::trace_set build(std::span<const spec> specs) {
  tracefold::trace_set_builder b;
  std::map<std::string, tracefold::scope_handle> scopes;
  for (const spec& s : specs) {
    auto it = scopes.find(s.service);
    if (it == scopes.end()) {
      tracefold::key_value attr{"service.name", tracefold::any_value::of_string(s.service)};
      auto r = b.add_resource({.attributes = {&attr, 1}});
      it = scopes.emplace(s.service, b.add_scope(r, {.name = "test.scope"})).first;
    }
    b.add_span(it->second, to_span(s));
  }
  return std::move(b).build();
}

inline tracefold::trace_set build(std::initializer_list<spec> specs) {
  return build(std::span<const spec>(specs.begin(), specs.size()));
}

/// Shapes of random trace sets used by the law tests.
enum class shape { random, deep, wide, many_roots, single, empty };

inline constexpr shape all_shapes[] = {shape::random,     shape::deep,   shape::wide,
                                       shape::many_roots, shape::single, shape::empty};

/// Seeded random specs of the given shape (at most `max_spans` spans per trace).
inline std::vector<spec> random_specs(std::uint64_t seed, shape sh, std::size_t max_spans = 120) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
  };
  static const char* names[] = {"GET /cart", "SELECT", "charge", "render", "publish", "consume"};
  static const char* services[] = {"frontend", "cart", "payments", "db"};
  std::vector<spec> out;
  if (sh == shape::empty) return out;
  const std::uint64_t traces = sh == shape::single ? 1 : uniform(1, 4);
  std::uint64_t next_id = 1;
  for (std::uint64_t t = 1; t <= traces; ++t) {
    const std::size_t m = sh == shape::single ? 1 : static_cast<std::size_t>(uniform(1, max_spans));
    const std::size_t first = out.size();
    const std::uint64_t base = uniform(1'000'000, 2'000'000);
    for (std::size_t i = 0; i < m; ++i) {
      spec s;
      s.trace = seed * 16 + t;
      s.id = next_id++;
      s.name = names[uniform(0, 5)];
      s.service = services[uniform(0, 3)];
      s.status = uniform(0, 9) == 0 ? tracefold::status_code::error : tracefold::status_code::unset;
      const spec* parent = nullptr;
      if (i > 0) {
        switch (sh) {
          case shape::deep:
            parent = &out[first + i - 1];
            break;
          case shape::wide:
            parent = &out[first];
            break;
          case shape::many_roots:
            parent = uniform(0, 2) == 0 ? nullptr : &out[first + uniform(0, i - 1)];
            break;
          default:
            parent = uniform(0, 15) == 0 ? nullptr : &out[first + uniform(0, i - 1)];
            break;
        }
      }
      if (parent) {
        s.parent = parent->id;
        const std::uint64_t span = parent->end - parent->start;
        s.start = parent->start + uniform(0, span);
        s.end = s.start + uniform(0, parent->end - s.start);
      } else {
        // A root, or now and then an orphan naming a parent that is not in the input.
        if (i > 0 && uniform(0, 4) == 0) s.parent = 1'000'000'000 + s.id;
        s.start = base + uniform(0, 1'000'000);
        s.end = s.start + uniform(0, 50'000'000);
      }
      out.push_back(std::move(s));
    }
  }
  std::shuffle(out.begin(), out.end(), rng);  // the builder takes spans in any order
  return out;
}

/// A seeded random trace_set of the given shape.
inline tracefold::trace_set random_set(std::uint64_t seed, shape sh, std::size_t max_spans = 120) {
  auto specs = random_specs(seed, sh, max_spans);
  return build(std::span<const spec>(specs));
}

}  // namespace tft
