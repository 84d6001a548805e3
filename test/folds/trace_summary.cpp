#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <support/make_traces.hpp>
#include <tracefold/folds/trace_summary.hpp>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

TEST_CASE("a summary names the root, the services in order, and counts") {
  auto ts = tft::build({
      {.id = 1, .start = 100, .end = 900, .name = "GET /checkout", .service = "frontend"},
      {.id = 2, .parent = 1, .start = 150, .end = 400, .name = "charge", .service = "payments"},
      {.id = 3,
       .parent = 1,
       .start = 450,
       .end = 950,
       .name = "SELECT",
       .service = "db",
       .status = tf::status_code::error},
      {.id = 4, .parent = 2, .start = 200, .end = 300, .name = "SELECT", .service = "db"},
      {.id = 5, .parent = 77, .start = 50, .end = 60, .name = "late", .service = "frontend"},
  });
  const folds::trace_summary s = folds::summarize(ts.traces()[0]);
  CHECK(s.trace_id == tft::tid(1));
  CHECK(s.spans == 5);
  CHECK(s.errors == 1);
  CHECK(s.roots == 2);
  CHECK(s.orphans == 1);
  CHECK(s.start_unix_nano == 50);
  CHECK(s.end_unix_nano == 950);
  CHECK(s.duration_ns() == 900);
  // The first root in pre-order is the earliest: the orphan at 50.
  CHECK(s.root_name == "late");
  CHECK(s.root_service == "frontend");
  CHECK(s.services == std::vector<std::string>{"frontend", "payments", "db"});
}

TEST_CASE("a span ending before it starts counts as ending at its start") {
  auto ts = tft::build(
      {{.id = 1, .start = 100, .end = 200}, {.id = 2, .parent = 1, .start = 300, .end = 10}});
  const auto s = folds::summarize(ts.traces()[0]);
  CHECK(s.end_unix_nano == 300);
  CHECK(s.duration_ns() == 200);
}

TEST_CASE("a summary owns its strings") {
  folds::trace_summary s;
  {
    auto ts = tft::build({{.id = 1, .start = 1, .end = 2, .name = "op-name", .service = "svc-a"}});
    s = folds::summarize(ts.traces()[0]);
  }
  CHECK(s.root_name == "op-name");
  CHECK(s.services.at(0) == "svc-a");
}
