#include <doctest/doctest.h>

#include <string>
#include <support/make_traces.hpp>
#include <tracefold/fold/annotated.hpp>
#include <type_traits>

namespace tf = tracefold;

TEST_CASE("annotated pairs a node with a value it refers to") {
  auto ts = tft::build({{1, 1, 0, 0, 10, "root"}, {1, 2, 1, 2, 3, "leaf"}});
  const tf::trace t = ts.traces()[0];
  const std::string v = "hello";
  const tf::annotated<std::string> a{t[1], v};
  CHECK(a.node == t[1]);
  CHECK(&a.value == &v);  // a reference, not a copy
  CHECK(a->name == "leaf");
  CHECK(a->duration_ns() == 1);
  CHECK(a.operator->() == &t[1].span());
  static_assert(std::is_same_v<decltype(a.value), const std::string&>);
}
