#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <tracefold/folds/red_table.hpp>

namespace folds = tracefold::folds;

namespace {
folds::red_group group(std::string name, std::uint64_t total) {
  folds::red_group g;
  g.key.service = "svc";
  g.key.name = std::move(name);
  g.count = 1;
  g.duration.record(total);
  g.self_time.record(total);
  return g;
}
}  // namespace

TEST_CASE("red_table sorts by total duration, largest first, then by key") {
  folds::red_table t;
  t.groups = {group("a", 10), group("b", 30), group("c", 20), group("d", 30)};
  t.sort();
  REQUIRE(t.groups.size() == 4);
  CHECK(t.groups[0].key.name == "b");
  CHECK(t.groups[1].key.name == "d");
  CHECK(t.groups[2].key.name == "c");
  CHECK(t.groups[3].key.name == "a");
}

TEST_CASE("red_table::merge joins equal keys, keeps the others and re-sorts") {
  folds::red_table a, b;
  a.spans = 2;
  a.traces = 1;
  a.groups = {group("x", 5), group("y", 50)};
  b.spans = 3;
  b.traces = 2;
  b.groups = {group("x", 100), group("z", 1)};
  a.merge(b);
  CHECK(a.spans == 5);
  CHECK(a.traces == 3);
  REQUIRE(a.groups.size() == 3);
  CHECK(a.groups[0].key.name == "x");
  CHECK(a.groups[0].count == 2);
  CHECK(a.groups[0].duration.min() == 5);
  CHECK(a.groups[0].duration.max() == 100);
  CHECK(a.groups[1].key.name == "y");
  CHECK(a.groups[2].key.name == "z");
  // Merging an empty table changes nothing.
  const folds::red_table before = a;
  a.merge(folds::red_table{});
  CHECK(a == before);
}

TEST_CASE("red_table::merge refuses tables of other dimensions or another exactness") {
  folds::red_table all, by_name, exact;
  by_name.dimensions.service = false;
  exact.exact = true;
  CHECK_THROWS_AS(all.merge(by_name), std::invalid_argument);
  CHECK_THROWS_AS(all.merge(exact), std::invalid_argument);
  folds::red_table also_by_name;
  also_by_name.dimensions.service = false;
  CHECK_NOTHROW(by_name.merge(also_by_name));
}
