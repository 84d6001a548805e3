#pragma once
/// @file
/// `group_by(key, f)`: one state of fold `f` per key.

#include <functional>
#include <map>
#include <memory>
#include <tracefold/fold/detail/boxed.hpp>
#include <tracefold/fold/detail/owned_key.hpp>
#include <tracefold/fold/fold_over.hpp>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace tracefold {

namespace detail {

template <class>
struct return_type_of;
template <class R, class C, class A>
struct return_type_of<R (C::*)(A) const> {
  using type = R;
};
template <class R, class C, class A>
struct return_type_of<R (C::*)(A) const noexcept> {
  using type = R;
};
template <class R, class A>
struct return_type_of<R (*)(A)> {
  using type = R;
};
template <class R, class A>
struct return_type_of<R (*)(A) noexcept> {
  using type = R;
};

/// Marker: deduce the key type from the key function.
struct deduce_key {};

/// The key type of key function `K`: `K::key_type` if it declares one, else the return type
/// of its single non-template call operator (a lambda with a typed parameter, or a function).
template <class K>
constexpr auto key_type_of() {
  if constexpr (requires { typename K::key_type; }) {
    return std::type_identity<typename K::key_type>{};
  } else if constexpr (requires { &K::operator(); }) {
    return std::type_identity<typename return_type_of<decltype(&K::operator())>::type>{};
  } else if constexpr (std::is_pointer_v<K>) {
    return std::type_identity<typename return_type_of<K>::type>{};
  } else {
    static_assert(always_false<K>,
                  "tracefold::group_by(key, f) cannot deduce the key type of 'key' (is it a "
                  "generic lambda?): name it, group_by<Key>(key, f), or give the key function a "
                  "member 'using key_type = ...'");
  }
}

}  // namespace detail

/// Fold `F` run separately for each distinct `key(x)` (Control.Foldl's `groupBy` by key).
///
/// The state is an `unordered_map` (boxed on the heap, allocated at the first input) from the
/// owning form of the key (`string_view` keys are copied into `std::string`, element-wise for
/// pairs and tuples) to `F`'s state, so the state
/// never keeps views of its input and stays valid after the input's `trace_set` is gone.
/// The result is a `std::map` from key to `F`'s result, ordered by key. Lookup is
/// heterogeneous: a key is copied only the first time it is seen. Mergeable when `F` is.
/// Only `string_view` (alone, or inside `std::pair` / `std::tuple`) is converted to an owning
/// type; a key function returning other view-holding types (`std::optional<string_view>`, a
/// struct of views) must return an owning type instead, or the state would dangle.
template <class Key, class K, class F>
struct group_by_fold {
  K key;   ///< the key function
  F fold;  ///< the fold run per key

  /// The owning key type.
  using key_type = detail::owned_key_t<Key>;
  /// The groups: one `F` state per key.
  using map_type = std::unordered_map<key_type, state_t<F>, detail::key_hash, detail::key_equal>;
  /// The state: the groups, boxed so that moving the state costs a pointer (see `detail::boxed`).
  using state_type = detail::boxed<map_type>;

  /// No groups yet (allocates nothing).
  state_type init() const { return {}; }
  /// Steps the group of `key(x)`, creating it with `fold.init()` when new.
  template <class In>
    requires std::invocable<const K&, const In&> && fold_over<F, In> state_type step(state_type s,
                                                                                     const In& x)
  const {
    map_type& m = s.get();
    decltype(auto) k = std::invoke(key, x);
    auto it = m.find(k);
    if (it == m.end())
      it = m.emplace(detail::to_owned(static_cast<const Key&>(k)), fold.init()).first;
    it->second = fold.step(std::move(it->second), x);
    return s;
  }
  /// Merges group-wise; groups present on one side only are taken as they are.
  state_type merge(state_type a, state_type b) const requires detail::has_merge<F> {
    map_type* from = b.get_if();
    if (from == nullptr) return a;
    if (a.get_if() == nullptr) return b;
    map_type& into = a.get();
    for (auto& [k, v] : *from) {
      auto it = into.find(k);
      if (it == into.end()) {
        into.emplace(k, std::move(v));
      } else {
        it->second = fold.merge(std::move(it->second), std::move(v));
      }
    }
    return a;
  }
  /// Each group's result, ordered by key.
  std::map<key_type, result_t<F>> done(state_type s) const {
    std::map<key_type, result_t<F>> out;
    if (map_type* m = s.get_if())
      for (auto& [k, v] : *m) out.emplace(k, fold.done(std::move(v)));
    return out;
  }
};

/// `group_by<Key>(key, f)`: see `group_by_fold`. `Key` is deduced from `key` when omitted.
template <class Key = detail::deduce_key, class K, class F>
constexpr auto group_by(K key, F f) {
  if constexpr (std::is_same_v<Key, detail::deduce_key>) {
    using deduced = std::remove_cvref_t<typename decltype(detail::key_type_of<K>())::type>;
    return group_by_fold<deduced, K, F>{std::move(key), std::move(f)};
  } else {
    return group_by_fold<Key, K, F>{std::move(key), std::move(f)};
  }
}

}  // namespace tracefold
