#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <tracefold/model/any_value.hpp>
#include <tracefold/model/key_value.hpp>
#include <vector>

using tracefold::any_value;
using tracefold::key_value;
using tracefold::value_kind;

TEST_CASE("any_value holds every OTLP kind") {
  CHECK(any_value{}.kind() == value_kind::empty);
  CHECK(any_value::of_string("GET").as_string() == "GET");
  CHECK(any_value::of_bool(true).as_bool());
  CHECK(any_value::of_int(-5).as_int() == -5);
  CHECK(any_value::of_double(0.25).as_double() == 0.25);
  CHECK(any_value::of_bytes(std::string_view("\0\1", 2)).as_bytes().size() == 2);
  std::vector<any_value> items{any_value::of_int(1), any_value::of_string("x")};
  auto arr = any_value::of_array(items);
  CHECK(arr.kind() == value_kind::array);
  CHECK(arr.as_array().size() == 2);
  std::vector<key_value> kvs{{"k", any_value::of_bool(false)}};
  auto kvl = any_value::of_kvlist(kvs);
  CHECK(kvl.as_kvlist()[0].key == "k");
  static_assert(sizeof(any_value) == 16, "any_value stays a 16-byte view");
}

TEST_CASE("equality is deep and kind-sensitive") {
  CHECK(any_value::of_int(1) != any_value::of_double(1.0));
  CHECK(any_value::of_string("a") != any_value::of_bytes("a"));
  std::vector<any_value> a{any_value::of_int(1), any_value::of_string("x")};
  std::vector<any_value> b{any_value::of_int(1), any_value::of_string("x")};
  std::vector<any_value> c{any_value::of_int(1), any_value::of_string("y")};
  CHECK(any_value::of_array(a) == any_value::of_array(b));
  CHECK(any_value::of_array(a) != any_value::of_array(c));
  std::vector<key_value> k1{{"a", any_value::of_array(a)}};
  std::vector<key_value> k2{{"a", any_value::of_array(c)}};
  std::vector<key_value> k3{{"b", any_value::of_array(a)}};
  CHECK(any_value::of_kvlist(k1) == any_value::of_kvlist(k1));
  CHECK(any_value::of_kvlist(k1) != any_value::of_kvlist(k2));
  CHECK(any_value::of_kvlist(k1) != any_value::of_kvlist(k3));
}

TEST_CASE("NaN equals NaN so values round-trip") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(any_value::of_double(nan) == any_value::of_double(nan));
  CHECK(any_value::of_double(nan) != any_value::of_double(1.0));
}

TEST_CASE("equality of deeply nested arrays does not recurse") {
  // 100,000 levels of [[[...]]]: compared with an explicit stack.
  const std::size_t depth = 100000;
  std::vector<any_value> x(depth), y(depth);
  x[depth - 1] = any_value::of_int(7);
  y[depth - 1] = any_value::of_int(7);
  for (std::size_t i = depth - 1; i-- > 0;) {
    x[i] = any_value::of_array({&x[i + 1], 1});
    y[i] = any_value::of_array({&y[i + 1], 1});
  }
  CHECK(x[0] == y[0]);
  y[depth - 1] = any_value::of_int(8);
  CHECK(x[0] != y[0]);
}

TEST_CASE("find_attribute returns the first match") {
  std::vector<key_value> attrs{{"service.name", any_value::of_string("cart")},
                               {"n", any_value::of_int(3)},
                               {"service.name", any_value::of_string("other")}};
  REQUIRE(tracefold::find_attribute(attrs, "n"));
  CHECK(tracefold::find_attribute(attrs, "n")->as_int() == 3);
  CHECK(tracefold::find_attribute(attrs, "missing") == nullptr);
  CHECK(tracefold::find_string_attribute(attrs, "service.name") == "cart");
  CHECK(tracefold::find_string_attribute(attrs, "n", "fallback") == "fallback");
}
