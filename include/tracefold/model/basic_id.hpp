#pragma once
/// @file
/// `basic_id<N>`: an N-byte identifier (trace and span ids) with hex parse and format.

#include <array>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace tracefold {

/// An identifier of `N` bytes, stored big-endian as it appears in hex.
///
/// All-zero means "absent" (OTLP: an empty parent span id is a root). Values are
/// totally ordered bytewise (the same order as their lowercase hex), hashable, and
/// trivially copyable. `trace_id` is `basic_id<16>`, `span_id` is `basic_id<8>`.
///
/// Parsing accepts exactly `2N` hex digits of either case; formatting is lowercase.
template <std::size_t N>
class basic_id {
 public:
  /// Number of bytes in the id.
  static constexpr std::size_t size = N;
  /// Number of hex digits in the canonical text form.
  static constexpr std::size_t hex_size = 2 * N;

  /// The absent (all-zero) id.
  constexpr basic_id() noexcept = default;

  /// An id from its raw bytes.
  constexpr explicit basic_id(const std::array<std::uint8_t, N>& bytes) noexcept : bytes_(bytes) {}

  /// Parses exactly `2N` hex digits (`0-9a-fA-F`); anything else gives `std::nullopt`.
  /// O(N), no allocation.
  [[nodiscard]] static constexpr std::optional<basic_id> from_hex(std::string_view hex) noexcept {
    if (hex.size() != hex_size) return std::nullopt;
    std::array<std::uint8_t, N> out{};
    int bad = 0;  // accumulate instead of branching per digit
    for (std::size_t i = 0; i < N; ++i) {
      const int hi = digit(hex[2 * i]);
      const int lo = digit(hex[2 * i + 1]);
      bad |= hi | lo;
      out[i] = static_cast<std::uint8_t>(((hi & 15) << 4) | (lo & 15));
    }
    if (bad < 0) return std::nullopt;
    return basic_id{out};
  }

  /// An id from raw bytes; `std::nullopt` unless exactly `N` bytes are given.
  [[nodiscard]] static std::optional<basic_id> from_bytes(std::string_view raw) noexcept {
    if (raw.size() != N) return std::nullopt;
    std::array<std::uint8_t, N> out{};
    std::memcpy(out.data(), raw.data(), N);
    return basic_id{out};
  }

  /// Writes the `2N` lowercase hex digits to `out` (no terminator); returns `out + 2N`.
  constexpr char* to_hex(char* out) const noexcept {
    constexpr char digits[] = "0123456789abcdef";
    for (std::uint8_t b : bytes_) {
      *out++ = digits[b >> 4];
      *out++ = digits[b & 0xF];
    }
    return out;
  }

  /// The lowercase hex form as a string (allocates; use the `char*` overload in hot paths).
  [[nodiscard]] std::string to_hex() const {
    std::string s(hex_size, '\0');
    to_hex(s.data());
    return s;
  }

  /// True when every byte is zero, which OTLP uses for "no id".
  [[nodiscard]] constexpr bool empty() const noexcept {
    for (std::uint8_t b : bytes_)
      if (b != 0) return false;
    return true;
  }

  /// The raw bytes, most significant first.
  [[nodiscard]] constexpr const std::array<std::uint8_t, N>& bytes() const noexcept {
    return bytes_;
  }

  /// Bytewise comparison (as 64-bit words: ids are compared on every sort step of a build).
  friend constexpr bool operator==(const basic_id& a, const basic_id& b) noexcept {
    if (std::is_constant_evaluated()) return a.bytes_ == b.bytes_;
    for (std::size_t i = 0; i < N; i += 8)
      if (a.word(i) != b.word(i)) return false;
    return true;
  }
  /// Bytewise ordering (equal to the ordering of the hex strings).
  friend constexpr std::strong_ordering operator<=>(const basic_id& a, const basic_id& b) noexcept {
    if (std::is_constant_evaluated()) return a.bytes_ <=> b.bytes_;
    for (std::size_t i = 0; i < N; i += 8) {
      const std::uint64_t x = a.word(i), y = b.word(i);
      if (x != y) return x < y ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    return std::strong_ordering::equal;
  }

 private:
  static_assert(N % 8 == 0, "ids are whole 64-bit words");

  /// The 8 bytes at `i` as a number whose order is the bytes' order (big-endian load).
  std::uint64_t word(std::size_t i) const noexcept {
    std::uint64_t w;
    std::memcpy(&w, bytes_.data() + i, 8);
    if constexpr (std::endian::native == std::endian::little) w = __builtin_bswap64(w);
    return w;
  }

  /// Value of a hex digit, or -1: one table load, no branches (ids are parsed per span).
  static constexpr int digit(char c) noexcept { return hex_table.v[static_cast<unsigned char>(c)]; }

  struct hex_digits {
    signed char v[256];
    constexpr hex_digits() : v{} {
      for (int i = 0; i < 256; ++i) v[i] = -1;
      for (int i = 0; i < 10; ++i) v['0' + i] = static_cast<signed char>(i);
      for (int i = 0; i < 6; ++i) {
        v['a' + i] = static_cast<signed char>(10 + i);
        v['A' + i] = static_cast<signed char>(10 + i);
      }
    }
  };
  static constexpr hex_digits hex_table{};

  std::array<std::uint8_t, N> bytes_{};
};

}  // namespace tracefold

/// Hash of an id: the id bytes are already random, so this folds them with a multiply-xor.
template <std::size_t N>
struct std::hash<tracefold::basic_id<N>> {
  [[nodiscard]] std::size_t operator()(const tracefold::basic_id<N>& id) const noexcept {
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    const auto& b = id.bytes();
    for (std::size_t i = 0; i < N; i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, b.data() + i, (N - i) < 8 ? (N - i) : 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    return static_cast<std::size_t>(h);
  }
};
