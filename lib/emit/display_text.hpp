#pragma once
// Text taken from traces, made safe to show to a person: decoding UTF-8 and telling which
// code points must not reach a terminal or a picture. Lib-internal.

#include <cstddef>
#include <string_view>

#include "../ingest/text_util.hpp"

namespace tracefold::emit::detail {

/// The code point of the valid UTF-8 sequence of `len` bytes at `s[i]` (`len` from
/// `ingest::detail::utf8_sequence`).
inline char32_t decode_utf8(std::string_view s, std::size_t i, std::size_t len) noexcept {
  const auto b = [&](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]));
  };
  switch (len) {
    case 1:
      return b(0);
    case 2:
      return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3:
      return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default:
      return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

/// Code points that must not be shown as they are: C0 and C1 controls and DEL (ESC, CSI, CR,
/// LF, BEL, NUL...), and the bidirectional formatting characters that reorder what is shown
/// (ALM, LRM, RLM, LRE..RLO, LRI..PDI).
inline bool unsafe_to_show(char32_t c) noexcept {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/// Code points XML 1.0 does not allow in a document at all (beyond the controls above):
/// U+FFFE and U+FFFF. (Surrogates cannot come out of valid UTF-8.)
inline bool not_xml_char(char32_t c) noexcept { return c == 0xFFFE || c == 0xFFFF; }

}  // namespace tracefold::emit::detail
