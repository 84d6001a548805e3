#pragma once
// Small tree and top-down algebras shared by the fold tests.

#include <algorithm>
#include <cstdint>
#include <tracefold/model/span_ref.hpp>

namespace tft {

/// Number of nodes in the subtree.
struct size_alg {
  std::uint64_t begin(tracefold::span_ref) const { return 1; }
  std::uint64_t child(std::uint64_t acc, tracefold::span_ref, const std::uint64_t& c) const {
    return acc + c;
  }
  std::uint64_t finish(std::uint64_t acc, tracefold::span_ref) const { return acc; }
};

/// Height of the subtree (a leaf is 0).
struct height_alg {
  std::uint64_t begin(tracefold::span_ref) const { return 0; }
  std::uint64_t child(std::uint64_t acc, tracefold::span_ref, const std::uint64_t& c) const {
    return std::max(acc, c + 1);
  }
  std::uint64_t finish(std::uint64_t acc, tracefold::span_ref) const { return acc; }
};

/// Depth, top-down (roots are 0).
struct depth_down {
  std::uint32_t root(tracefold::span_ref) const { return 0; }
  std::uint32_t down(const std::uint32_t& p, tracefold::span_ref) const { return p + 1; }
};

}  // namespace tft
