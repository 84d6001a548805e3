#pragma once
/// @file
/// The generated OTLP-JSON dumps the ingest and export benchmarks share, made once per
/// process (deterministic: seed 1) and kept padded for simdjson.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <tracefold/emit/generate.hpp>

namespace tracefold::bench {

/// Size of the benchmark dumps: 100 MB, or TRACEFOLD_BENCH_MB megabytes.
inline std::uint64_t dump_bytes() {
  if (const char* mb = std::getenv("TRACEFOLD_BENCH_MB"))
    return std::strtoull(mb, nullptr, 10) * 1'000'000;
  return 100'000'000;
}

/// A generated dump with 64 spare bytes of capacity after it (simdjson's padding).
struct dump {
  std::string text;
  emit::generate_result info;
};

inline dump make_dump(emit::otlp_layout layout) {
  dump d;
  emit::generate_options o;
  o.target_bytes = dump_bytes();
  o.seed = 1;
  o.format.layout = layout;
  d.text.reserve(o.target_bytes + (1 << 22));
  d.info = emit::generate_otlp(o, [&](std::string_view c) { d.text += c; });
  d.text.reserve(d.text.size() + 64);
  return d;
}

/// The one-document dump.
inline const dump& document_dump() {
  static const dump d = make_dump(emit::otlp_layout::document);
  return d;
}

/// The JSON Lines dump (one request per trace).
inline const dump& lines_dump() {
  static const dump d = make_dump(emit::otlp_layout::lines);
  return d;
}

}  // namespace tracefold::bench
