#pragma once
/// @file
/// Iterators and ranges over positions of one trace, yielding node handles (`span_ref`).

#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <range/v3/range_fwd.hpp>
#include <ranges>
#include <tracefold/model/detail/trace_header.hpp>

namespace tracefold::detail {

/// Random-access iterator over consecutive positions of a trace; `*it` is `Ref{h, pos}`.
template <class Ref>
class position_iterator {
 public:
  using iterator_concept = std::random_access_iterator_tag;
  using iterator_category = std::input_iterator_tag;
  using value_type = Ref;
  using difference_type = std::ptrdiff_t;
  using reference = Ref;

  position_iterator() = default;
  position_iterator(const trace_header* h, std::uint32_t pos) noexcept : h_(h), pos_(pos) {}

  Ref operator*() const noexcept { return Ref(h_, pos_); }
  Ref operator[](difference_type n) const noexcept {
    return Ref(h_, static_cast<std::uint32_t>(pos_ + n));
  }
  position_iterator& operator++() noexcept {
    ++pos_;
    return *this;
  }
  position_iterator operator++(int) noexcept {
    auto t = *this;
    ++pos_;
    return t;
  }
  position_iterator& operator--() noexcept {
    --pos_;
    return *this;
  }
  position_iterator operator--(int) noexcept {
    auto t = *this;
    --pos_;
    return t;
  }
  position_iterator& operator+=(difference_type n) noexcept {
    pos_ = static_cast<std::uint32_t>(pos_ + n);
    return *this;
  }
  position_iterator& operator-=(difference_type n) noexcept {
    pos_ = static_cast<std::uint32_t>(pos_ - n);
    return *this;
  }
  friend position_iterator operator+(position_iterator it, difference_type n) noexcept {
    return it += n;
  }
  friend position_iterator operator+(difference_type n, position_iterator it) noexcept {
    return it += n;
  }
  friend position_iterator operator-(position_iterator it, difference_type n) noexcept {
    return it -= n;
  }
  friend difference_type operator-(const position_iterator& a,
                                   const position_iterator& b) noexcept {
    return static_cast<difference_type>(a.pos_) - static_cast<difference_type>(b.pos_);
  }
  friend bool operator==(const position_iterator& a, const position_iterator& b) noexcept {
    return a.pos_ == b.pos_;
  }
  friend std::strong_ordering operator<=>(const position_iterator& a,
                                          const position_iterator& b) noexcept {
    return a.pos_ <=> b.pos_;
  }

 private:
  const trace_header* h_ = nullptr;
  std::uint32_t pos_ = 0;
};

/// The positions `[first, last)` of a trace as a random-access, sized range of `Ref`.
/// A view (cheap to copy, refers to the trace_set), so temporaries pipe into range adaptors.
template <class Ref>
class position_range : public std::ranges::view_base, public ::ranges::view_base {
 public:
  using iterator = position_iterator<Ref>;
  position_range() = default;
  position_range(const trace_header* h, std::uint32_t first, std::uint32_t last) noexcept
      : h_(h), first_(first), last_(last) {}
  [[nodiscard]] iterator begin() const noexcept { return {h_, first_}; }
  [[nodiscard]] iterator end() const noexcept { return {h_, last_}; }
  [[nodiscard]] std::size_t size() const noexcept { return last_ - first_; }
  [[nodiscard]] bool empty() const noexcept { return first_ == last_; }
  [[nodiscard]] Ref operator[](std::size_t i) const noexcept {
    return Ref(h_, static_cast<std::uint32_t>(first_ + i));
  }

 private:
  const trace_header* h_ = nullptr;
  std::uint32_t first_ = 0;
  std::uint32_t last_ = 0;
};

/// Forward iterator over siblings: from a position to the next sibling by `subtree_end`.
template <class Ref>
class sibling_iterator {
 public:
  using iterator_concept = std::forward_iterator_tag;
  using iterator_category = std::input_iterator_tag;
  using value_type = Ref;
  using difference_type = std::ptrdiff_t;
  using reference = Ref;

  sibling_iterator() = default;
  sibling_iterator(const trace_header* h, std::uint32_t pos) noexcept : h_(h), pos_(pos) {}

  Ref operator*() const noexcept { return Ref(h_, pos_); }
  sibling_iterator& operator++() noexcept {
    pos_ = h_->nodes[pos_].subtree_end;
    return *this;
  }
  sibling_iterator operator++(int) noexcept {
    auto t = *this;
    ++*this;
    return t;
  }
  friend bool operator==(const sibling_iterator& a, const sibling_iterator& b) noexcept {
    return a.pos_ == b.pos_;
  }

 private:
  const trace_header* h_ = nullptr;
  std::uint32_t pos_ = 0;
};

/// The top-level subtrees inside positions `[first, last)`: the children of a node, or
/// the roots of a trace. Forward range; iterating costs O(number of siblings).
template <class Ref>
class sibling_range : public std::ranges::view_base, public ::ranges::view_base {
 public:
  using iterator = sibling_iterator<Ref>;
  sibling_range() = default;
  sibling_range(const trace_header* h, std::uint32_t first, std::uint32_t last) noexcept
      : h_(h), first_(first), last_(last) {}
  [[nodiscard]] iterator begin() const noexcept { return {h_, first_}; }
  [[nodiscard]] iterator end() const noexcept { return {h_, last_}; }
  [[nodiscard]] bool empty() const noexcept { return first_ == last_; }

 private:
  const trace_header* h_ = nullptr;
  std::uint32_t first_ = 0;
  std::uint32_t last_ = 0;
};

}  // namespace tracefold::detail
