#pragma once
// What every C++ peer of bench/compare prints: one line per span name, sorted by name (bytes),
// `name<TAB>count<TAB>p50<TAB>p95<TAB>p99`, quantiles of duration in nanoseconds by nearest
// rank (rank ceil(p * n / 100), at least 1), computed in integers.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace compare {

/// Hashes std::string and std::string_view alike, so a lookup by view copies nothing.
struct name_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

/// Durations per span name, in input order.
using durations =
    std::unordered_map<std::string, std::vector<std::uint64_t>, name_hash, std::equal_to<>>;

/// Adds one span: its duration is end - start, 0 when end < start.
inline void add(durations& by_name, std::string_view name, std::uint64_t start, std::uint64_t end) {
  auto it = by_name.find(name);
  if (it == by_name.end())
    it = by_name.emplace(std::string(name), std::vector<std::uint64_t>{}).first;
  it->second.push_back(end > start ? end - start : 0);
}

/// Prints the canonical answer to standard output.
inline void print(durations& by_name) {
  std::vector<std::pair<std::string_view, std::vector<std::uint64_t>*>> rows;
  rows.reserve(by_name.size());
  for (auto& [name, v] : by_name) rows.emplace_back(name, &v);
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (const auto& row : rows) {
    std::vector<std::uint64_t>& v = *row.second;
    std::sort(v.begin(), v.end());
    const std::uint64_t n = v.size();
    auto at = [&](std::uint64_t p) {
      return v[std::max<std::uint64_t>(1, (p * n + 99) / 100) - 1];
    };
    const std::string_view name = row.first;
    out += name;
    for (const std::uint64_t x : {n, at(50), at(95), at(99)}) {
      out += '\t';
      out += std::to_string(x);
    }
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
}

/// Whether `path` names a JSON Lines file (.jsonl or .ndjson).
inline bool is_json_lines(std::string_view path) {
  return path.ends_with(".jsonl") || path.ends_with(".ndjson");
}

}  // namespace compare
