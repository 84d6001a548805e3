#pragma once
/// @file
/// `status` and `status_code`: the outcome of a span.

#include <cstdint>
#include <string_view>

namespace tracefold {

/// OTLP Status.StatusCode with OTLP's numbers; other values read from a dump are kept.
enum class status_code : std::int32_t {
  unset = 0,  ///< STATUS_CODE_UNSET: the default, no claim either way
  ok = 1,     ///< STATUS_CODE_OK: explicitly marked successful
  error = 2,  ///< STATUS_CODE_ERROR: the operation failed
};

/// Lowercase short name ("unset", "ok", "error"), or "unknown".
[[nodiscard]] constexpr std::string_view to_string(status_code c) noexcept {
  switch (c) {
    case status_code::unset: return "unset";
    case status_code::ok: return "ok";
    case status_code::error: return "error";
  }
  return "unknown";
}

/// A span's status: code and a developer-facing message.
struct status {
  status_code code = status_code::unset;  ///< outcome
  std::string_view message{};               ///< description, usually set only for errors

  /// Equal code and message.
  friend constexpr bool operator==(const status&, const status&) noexcept = default;
};

}  // namespace tracefold
