#pragma once
/// @file
/// `emit::generate_otlp`: a deterministic generator of realistic OTLP-JSON trace dumps.

#include <cstdint>
#include <tracefold/emit/otlp_json.hpp>
#include <tracefold/emit/sink.hpp>

namespace tracefold::emit {

/// What to generate.
struct generate_options {
  std::uint64_t target_bytes = 1 << 20;  ///< stop after the first trace that reaches this size
  std::uint64_t seed = 1;                ///< same seed and options, same bytes
  otlp_json_options format{};            ///< one document or JSON Lines
  /// Add a few traces that are very deep (a chain of 300) and very wide (400 children),
  /// as the demo sample wants; off for benchmark inputs.
  bool extreme_shapes = false;
};

/// What was generated.
struct generate_result {
  std::uint64_t bytes = 0;   ///< bytes written to the sink
  std::uint64_t traces = 0;  ///< traces written
  std::uint64_t spans = 0;   ///< spans written
};

/// Writes realistic OTLP-JSON to `out` until about `target_bytes`: an online shop of eight
/// services (several resources and scopes), 15 to 25 spans per trace (server, client,
/// internal, producer, consumer spans), about 750 bytes per span, every AnyValue kind
/// (strings, ints, doubles, bools, arrays, kvlists, bytes), events (exceptions with stack
/// traces, logs), links, and about 4% error spans. Deterministic for a seed.
///
/// Built in batches of traces with `trace_set_builder` and written with `otlp_json`, so
/// memory stays bounded whatever the size.
generate_result generate_otlp(const generate_options& options, const sink& out);

}  // namespace tracefold::emit
