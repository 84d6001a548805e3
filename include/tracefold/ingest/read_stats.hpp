#pragma once
/// @file
/// `ingest::read_stats`: what a read saw, in numbers that reconcile.

#include <cstdint>

namespace tracefold::ingest {

/// Counts of one read. Always `spans_read == spans_kept + spans_rejected`.
struct read_stats {
  std::uint64_t bytes = 0;             ///< input bytes
  std::uint64_t documents = 0;         ///< requests parsed (JSON Lines lines, array elements)
  std::uint64_t documents_failed = 0;  ///< documents (or lines) abandoned at a syntax error
  std::uint64_t spans_read = 0;        ///< span objects met in the input
  std::uint64_t spans_kept = 0;        ///< spans in the resulting trace_set
  std::uint64_t spans_rejected = 0;    ///< spans skipped, each with a diagnostic

  /// Adds another read's counts (for reads split across threads or files).
  constexpr read_stats& operator+=(const read_stats& o) noexcept {
    bytes += o.bytes;
    documents += o.documents;
    documents_failed += o.documents_failed;
    spans_read += o.spans_read;
    spans_kept += o.spans_kept;
    spans_rejected += o.spans_rejected;
    return *this;
  }
  /// Field-by-field equality.
  friend constexpr bool operator==(const read_stats&, const read_stats&) = default;
};

}  // namespace tracefold::ingest
