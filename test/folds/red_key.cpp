#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <tracefold/folds/red_key.hpp>

namespace folds = tracefold::folds;
using tracefold::span_kind;
using tracefold::status_code;

TEST_CASE("red_key compares field by field, absent attributes first") {
  const folds::red_key a{"svc", "op", span_kind::server, status_code::unset, {"/a"}};
  folds::red_key b = a;
  CHECK(a == b);
  CHECK((a <=> b) == 0);
  b.service = "svd";
  CHECK(a < b);
  b = a;
  b.name = "oq";
  CHECK(a < b);
  b = a;
  b.kind = span_kind::client;
  CHECK(a < b);
  b = a;
  b.status = status_code::error;
  CHECK(a < b);
  b = a;
  b.attributes[0] = std::nullopt;  // absent sorts before any value, even ""
  CHECK(b < a);
  CHECK(b != a);
  b.attributes[0] = "";
  CHECK(b < a);
  CHECK(b != a);
  b = a;
  b.attributes.push_back("x");
  CHECK(a < b);
}
