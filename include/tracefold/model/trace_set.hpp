#pragma once
/// @file
/// `trace_set`: owns the storage of many traces and hands out views of them.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <range/v3/range_fwd.hpp>
#include <ranges>
#include <span>
#include <tracefold/model/detail/arena.hpp>
#include <tracefold/model/detail/huge_pages.hpp>
#include <tracefold/model/detail/trace_header.hpp>
#include <tracefold/model/diagnostic.hpp>
#include <tracefold/model/resource.hpp>
#include <tracefold/model/scope.hpp>
#include <tracefold/model/span.hpp>
#include <tracefold/model/span_ref.hpp>
#include <tracefold/model/trace.hpp>
#include <vector>

namespace tracefold {

/// An immutable collection of traces and the storage behind every view into them.
///
/// Made by `trace_set_builder::build()`. Move-only; moving keeps every `trace`,
/// `span_ref` and string view valid (storage is on the heap and never reallocated).
/// Traces are in order of their first span in the input. Memory is a few contiguous
/// arrays plus an arena for strings and attributes: no allocation per span.
class trace_set {
 public:
  /// Random-access iterator over the traces.
  class trace_iterator {
   public:
    using iterator_concept = std::random_access_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = trace;
    using difference_type = std::ptrdiff_t;
    using reference = trace;

    trace_iterator() = default;
    explicit trace_iterator(const detail::trace_header* p) noexcept : p_(p) {}
    trace operator*() const noexcept { return trace(p_); }
    trace operator[](difference_type n) const noexcept { return trace(p_ + n); }
    trace_iterator& operator++() noexcept {
      ++p_;
      return *this;
    }
    trace_iterator operator++(int) noexcept {
      auto t = *this;
      ++p_;
      return t;
    }
    trace_iterator& operator--() noexcept {
      --p_;
      return *this;
    }
    trace_iterator operator--(int) noexcept {
      auto t = *this;
      --p_;
      return t;
    }
    trace_iterator& operator+=(difference_type n) noexcept {
      p_ += n;
      return *this;
    }
    trace_iterator& operator-=(difference_type n) noexcept {
      p_ -= n;
      return *this;
    }
    friend trace_iterator operator+(trace_iterator it, difference_type n) noexcept {
      return it += n;
    }
    friend trace_iterator operator+(difference_type n, trace_iterator it) noexcept {
      return it += n;
    }
    friend trace_iterator operator-(trace_iterator it, difference_type n) noexcept {
      return it -= n;
    }
    friend difference_type operator-(const trace_iterator& a, const trace_iterator& b) noexcept {
      return a.p_ - b.p_;
    }
    friend bool operator==(const trace_iterator&, const trace_iterator&) = default;
    friend auto operator<=>(const trace_iterator&, const trace_iterator&) = default;

   private:
    const detail::trace_header* p_ = nullptr;
  };

  /// The traces as a random-access, sized view of `trace` (pipes into range adaptors).
  class trace_range : public std::ranges::view_base, public ::ranges::view_base {
   public:
    trace_range() = default;
    trace_range(const detail::trace_header* first, const detail::trace_header* last) noexcept
        : first_(first), last_(last) {}
    [[nodiscard]] trace_iterator begin() const noexcept { return trace_iterator(first_); }
    [[nodiscard]] trace_iterator end() const noexcept { return trace_iterator(last_); }
    [[nodiscard]] std::size_t size() const noexcept {
      return static_cast<std::size_t>(last_ - first_);
    }
    [[nodiscard]] bool empty() const noexcept { return first_ == last_; }
    [[nodiscard]] trace operator[](std::size_t i) const noexcept { return trace(first_ + i); }

   private:
    const detail::trace_header* first_ = nullptr;
    const detail::trace_header* last_ = nullptr;
  };

  /// Forward iterator over every span of every trace, trace by trace, each in pre-order.
  class span_iterator {
   public:
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = span_ref;
    using difference_type = std::ptrdiff_t;
    using reference = span_ref;

    span_iterator() = default;
    explicit span_iterator(const detail::trace_header* h) noexcept : h_(h) {}
    span_ref operator*() const noexcept { return span_ref(h_, pos_); }
    span_iterator& operator++() noexcept {
      if (++pos_ == h_->size) {
        pos_ = 0;
        ++h_;
      }
      return *this;
    }
    span_iterator operator++(int) noexcept {
      auto t = *this;
      ++*this;
      return t;
    }
    friend bool operator==(const span_iterator& a, const span_iterator& b) noexcept {
      return a.h_ == b.h_ && a.pos_ == b.pos_;
    }

   private:
    const detail::trace_header* h_ = nullptr;
    std::uint32_t pos_ = 0;
  };

  /// Every span of the set as a forward view of `span_ref` (pipes into range adaptors).
  class span_range : public std::ranges::view_base, public ::ranges::view_base {
   public:
    span_range() = default;
    span_range(const detail::trace_header* first, const detail::trace_header* last) noexcept
        : first_(first), last_(last) {}
    [[nodiscard]] span_iterator begin() const noexcept { return span_iterator(first_); }
    [[nodiscard]] span_iterator end() const noexcept { return span_iterator(last_); }

   private:
    const detail::trace_header* first_ = nullptr;
    const detail::trace_header* last_ = nullptr;
  };

  /// An empty set.
  trace_set() = default;
  trace_set(trace_set&&) noexcept = default;
  trace_set& operator=(trace_set&&) noexcept = default;
  trace_set(const trace_set&) = delete;
  trace_set& operator=(const trace_set&) = delete;

  /// The traces, in order of first appearance in the input.
  [[nodiscard]] trace_range traces() const noexcept {
    return {headers_.data(), headers_.data() + headers_.size()};
  }
  /// Every span, trace by trace in pre-order.
  [[nodiscard]] span_range spans() const noexcept {
    return {headers_.data(), headers_.data() + headers_.size()};
  }
  /// Number of traces.
  [[nodiscard]] std::size_t trace_count() const noexcept { return headers_.size(); }
  /// Number of spans over all traces.
  [[nodiscard]] std::size_t span_count() const noexcept { return spans_.size(); }
  /// The resources, in input order (each span points at one of them).
  [[nodiscard]] std::span<const resource* const> resources() const noexcept { return resources_; }
  /// The scopes, in input order (each span points at one of them).
  [[nodiscard]] std::span<const scope* const> scopes() const noexcept { return scopes_; }
  /// Problems found while building trees (orphans, duplicate ids, cycles), and any a reader added.
  [[nodiscard]] std::span<const diagnostic> diagnostics() const noexcept { return diagnostics_; }
  /// Heap bytes held by the set: arrays and arena capacity (for memory accounting).
  [[nodiscard]] std::size_t bytes_held() const noexcept;

 private:
  friend class trace_set_builder;

  detail::arena arena_;
  std::vector<detail::arena> adopted_;  // storage of builders appended to the one that built this
  std::vector<span, detail::huge_allocator<span>> spans_;
  std::vector<detail::tree_node, detail::huge_allocator<detail::tree_node>> nodes_;
  std::vector<detail::trace_header> headers_;
  std::vector<const resource*> resources_;
  std::vector<const scope*> scopes_;
  std::vector<diagnostic> diagnostics_;
};

}  // namespace tracefold
