#include <doctest/doctest.h>

#include <tracefold/folds/red_dimensions.hpp>

namespace folds = tracefold::folds;

TEST_CASE("red_dimensions: all four by default, equality field by field") {
  constexpr folds::red_dimensions all;
  static_assert(all.all());
  CHECK(all.service);
  CHECK(all.name);
  CHECK(all.kind);
  CHECK(all.status);
  constexpr folds::red_dimensions name_only{.service = false, .kind = false, .status = false};
  static_assert(!name_only.all());
  CHECK(name_only.name);
  CHECK(name_only != all);
  CHECK(name_only == folds::red_dimensions{false, true, false, false});
}
