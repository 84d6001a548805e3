#pragma once
// Text helpers shared by the readers and writers (lib-internal): number parsing, base64,
// UTF-8 validation and repair, printable excerpts for messages.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tracefold/folds/detail/latency_value.hpp>

namespace tracefold::ingest::detail {

/// Parses all of `s` as a non-negative decimal integer (no sign, no spaces).
bool parse_decimal(std::string_view s, std::uint64_t& out) noexcept;

/// Parses all of `s` as a signed decimal integer (optional leading '-').
bool parse_signed(std::string_view s, std::int64_t& out) noexcept;

/// Parses a double written as text: a JSON number, or "NaN", "Infinity", "-Infinity".
bool parse_double_text(std::string_view s, double& out) noexcept;

/// Decodes standard or URL-safe base64, padded or not. False on any other character.
bool decode_base64(std::string_view s, std::string& out);

/// Appends the standard padded base64 encoding of `raw` to `out`.
void encode_base64(std::string_view raw, std::string& out);

/// Length (1-4) of the valid UTF-8 sequence starting at `s[i]`, or 0 if it is not valid
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept;

/// Offset of the first byte that is not part of valid UTF-8, or `s.size()` if all is valid.
std::size_t first_invalid_utf8(std::string_view s) noexcept;

/// `s` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view s);

/// Two lowercase hex digits.
std::string hex_byte(unsigned char b);

/// `s` shortened to about `max` bytes (with "..." when cut, never inside a UTF-8 sequence)
/// and with control characters, quotes and backslashes escaped, for use in messages.
std::string printable_excerpt(std::string_view s, std::size_t max);

/// `s` shortened like `printable_excerpt`, control bytes as `\xNN`, quotes and backslashes
/// left as written: raw JSON text shown as it is in the input.
std::string raw_excerpt(std::string_view s, std::size_t max);

/// The input `[data, data + size)` from byte `at` to the end of its line (at most 32 bytes
/// shown), in backquotes, or "the end of the input": where a syntax error is, for messages.
std::string text_at(const char* data, std::size_t size, std::size_t at);

/// Appends `v` in decimal (a histogram's exact 128-bit sum).
void append_decimal(std::string& out, tracefold::detail::uint128 v);

}  // namespace tracefold::ingest::detail
