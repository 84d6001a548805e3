#pragma once
/// @file
/// Owning forms of grouping keys, and a hash/equality that treat a view and its owner alike.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace tracefold::detail {

/// The owning form of key type `T`: `string_view` becomes `std::string`; pairs and tuples
/// convert element-wise; anything else is kept.
template <class T>
struct owned_key {
  using type = T;
};
template <>
struct owned_key<std::string_view> {
  using type = std::string;
};
template <>
struct owned_key<const char*> {
  using type = std::string;
};
template <class A, class B>
struct owned_key<std::pair<A, B>> {
  using type = std::pair<typename owned_key<A>::type, typename owned_key<B>::type>;
};
template <class... Ts>
struct owned_key<std::tuple<Ts...>> {
  using type = std::tuple<typename owned_key<Ts>::type...>;
};
/// See `owned_key`.
template <class T>
using owned_key_t = typename owned_key<std::remove_cvref_t<T>>::type;

/// Converts a key (view or owner) to its owning form.
template <class T>
owned_key_t<T> to_owned(const T& x) {
  using O = owned_key_t<T>;
  if constexpr (std::is_same_v<O, T>) {
    return x;
  } else if constexpr (std::is_same_v<O, std::string>) {
    return std::string(std::string_view(x));
  } else {
    return std::apply([](const auto&... e) { return O(to_owned(e)...); }, x);
  }
}

template <class T>
concept string_like = std::is_convertible_v<const T&, std::string_view>;

template <class T>
concept tuple_like = requires { std::tuple_size<std::remove_cvref_t<T>>::value; };

/// Hash that gives a view and its owning form the same value.
struct key_hash {
  using is_transparent = void;
  template <class T>
  std::size_t operator()(const T& x) const noexcept {
    if constexpr (string_like<T>) {
      return std::hash<std::string_view>{}(std::string_view(x));
    } else if constexpr (tuple_like<T>) {
      return std::apply(
          [this](const auto&... e) {
            std::size_t h = 0x9E3779B97F4A7C15ull;
            ((h = (h ^ (*this)(e)) * 0x100000001B3ull), ...);
            return h;
          },
          x);
    } else {
      return std::hash<T>{}(x);
    }
  }
};

/// Equality across a view and its owning form, element-wise for pairs and tuples.
struct key_equal {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const noexcept {
    if constexpr (string_like<A> && string_like<B>) {
      return std::string_view(a) == std::string_view(b);
    } else if constexpr (tuple_like<A> && tuple_like<B>) {
      return eq_(a, b, std::make_index_sequence<std::tuple_size_v<A>>{});
    } else {
      return a == b;
    }
  }

 private:
  template <class A, class B, std::size_t... I>
  bool eq_(const A& a, const B& b, std::index_sequence<I...>) const noexcept {
    return ((*this)(std::get<I>(a), std::get<I>(b)) && ...);
  }
};

}  // namespace tracefold::detail
