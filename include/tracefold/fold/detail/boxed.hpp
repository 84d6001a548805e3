#pragma once
/// @file
/// `detail::boxed<T>`: a value on the heap that moves as a pointer.

#include <memory>

namespace tracefold::detail {

/// A value-semantic box around a `T` on the heap: copies are deep, a move passes the pointer
/// on, and nothing is allocated until the first `get()`. `group_by` keeps its map in one
/// because the runner moves the state in and out of `step` for every input, and moving a
/// libstdc++ `unordered_map` is not cheap: it re-hashes its first key to fix up a bucket.
template <class T>
class boxed {
 public:
  boxed() = default;
  boxed(const boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  boxed(boxed&&) noexcept = default;
  boxed& operator=(const boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  boxed& operator=(boxed&&) noexcept = default;
  ~boxed() = default;

  /// The value, created empty on first use.
  T& get() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  /// The value, or nullptr if none was ever created (an empty `T`).
  [[nodiscard]] T* get_if() const noexcept { return p_.get(); }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace tracefold::detail
