#pragma once
/// @file
/// The ceiling: the least a simdjson On-Demand program must do to get at every span of an
/// OTLP-JSON dump — walk resourceSpans/scopeSpans/spans and read each span's name and its
/// start and end times. Nothing is stored; the result is a checksum so no work is skipped.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tracefold::bench {

/// What the ceiling pass saw.
struct ceiling_result {
  std::uint64_t spans = 0;     ///< spans visited
  std::uint64_t checksum = 0;  ///< name lengths plus durations, to keep the work observable
  bool ok = true;              ///< false on any simdjson error
};

/// Reads `json` (one document, or JSON Lines when `lines`); `json.data()` must have 64 bytes
/// of padding readable after it.
ceiling_result ceiling_pass(std::string_view json, bool lines);

}  // namespace tracefold::bench
