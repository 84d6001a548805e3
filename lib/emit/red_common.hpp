#pragma once
// What the OTLP metrics and Prometheus writers of a red_table share: the connector's names
// for span kinds and status codes, and an output buffer handed to a sink in large chunks.
// Lib-internal.

#include <cstddef>
#include <cstdint>
#include <string>
#include <tracefold/emit/sink.hpp>
#include <tracefold/model/span_kind.hpp>
#include <tracefold/model/status.hpp>
#include <utility>

namespace tracefold::emit::detail {

/// The proto enum name of a span kind, as the spanmetrics connector writes it
/// ("SPAN_KIND_SERVER"; "SPAN_KIND_<n>" for a value outside the enum).
inline std::string kind_text(span_kind k) {
  switch (k) {
    case span_kind::unspecified:
      return "SPAN_KIND_UNSPECIFIED";
    case span_kind::internal:
      return "SPAN_KIND_INTERNAL";
    case span_kind::server:
      return "SPAN_KIND_SERVER";
    case span_kind::client:
      return "SPAN_KIND_CLIENT";
    case span_kind::producer:
      return "SPAN_KIND_PRODUCER";
    case span_kind::consumer:
      return "SPAN_KIND_CONSUMER";
  }
  return "SPAN_KIND_" + std::to_string(static_cast<std::int32_t>(k));
}

/// The proto enum name of a status code, as the connector writes it
/// ("STATUS_CODE_ERROR"; "STATUS_CODE_<n>" outside the enum).
inline std::string status_text(status_code c) {
  switch (c) {
    case status_code::unset:
      return "STATUS_CODE_UNSET";
    case status_code::ok:
      return "STATUS_CODE_OK";
    case status_code::error:
      return "STATUS_CODE_ERROR";
  }
  return "STATUS_CODE_" + std::to_string(static_cast<std::int32_t>(c));
}

/// Output kept in a string, or handed to a sink whenever about `flush_at` bytes are pending.
class chunked_output {
 public:
  /// Pending bytes that trigger `maybe_flush`.
  static constexpr std::size_t flush_at = std::size_t{1} << 20;
  /// To `*out` if it is given and not empty; else kept for `take()`.
  explicit chunked_output(const sink* out) : out_(out != nullptr && *out ? out : nullptr) {}
  std::string& buf() { return buf_; }
  void maybe_flush() {
    if (out_ != nullptr && buf_.size() >= flush_at) flush();
  }
  void flush() {
    if (out_ == nullptr || buf_.empty()) return;
    (*out_)(buf_);
    buf_.clear();
  }
  [[nodiscard]] std::string take() { return std::move(buf_); }

 private:
  const sink* out_;
  std::string buf_;
};

}  // namespace tracefold::emit::detail
