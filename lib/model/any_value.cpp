#include <cmath>
#include <tracefold/model/any_value.hpp>
#include <tracefold/model/key_value.hpp>
#include <utility>
#include <vector>

namespace tracefold {

namespace {

bool same_double(double a, double b) noexcept {
  return a == b || (std::isnan(a) && std::isnan(b));
}

// Compares one level; pushes nested pairs still to compare onto `work`.
bool shallow_equal(const any_value& a, const any_value& b,
                   std::vector<std::pair<const any_value*, const any_value*>>& work) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case value_kind::empty: return true;
    case value_kind::string: return a.as_string() == b.as_string();
    case value_kind::bytes: return a.as_bytes() == b.as_bytes();
    case value_kind::boolean: return a.as_bool() == b.as_bool();
    case value_kind::int64: return a.as_int() == b.as_int();
    case value_kind::double_: return same_double(a.as_double(), b.as_double());
    case value_kind::array: {
      auto x = a.as_array();
      auto y = b.as_array();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) work.emplace_back(&x[i], &y[i]);
      return true;
    }
    case value_kind::kvlist: {
      auto x = a.as_kvlist();
      auto y = b.as_kvlist();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i].key != y[i].key) return false;
        work.emplace_back(&x[i].value, &y[i].value);
      }
      return true;
    }
  }
  return false;
}

bool is_scalar(value_kind k) noexcept { return k != value_kind::array && k != value_kind::kvlist; }

}  // namespace

bool operator==(const any_value& a, const any_value& b) noexcept {
  // Scalars, the common case, never touch the heap.
  if (is_scalar(a.kind()) || a.kind() != b.kind()) {
    std::vector<std::pair<const any_value*, const any_value*>> none;
    return shallow_equal(a, b, none);
  }
  std::vector<std::pair<const any_value*, const any_value*>> work;
  if (!shallow_equal(a, b, work)) return false;
  while (!work.empty()) {
    auto [x, y] = work.back();
    work.pop_back();
    if (!shallow_equal(*x, *y, work)) return false;
  }
  return true;
}

bool attributes_equal(std::span<const key_value> a, std::span<const key_value> b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i])) return false;
  return true;
}

}  // namespace tracefold
