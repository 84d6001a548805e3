#include <doctest/doctest.h>

#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/service_and_name.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tracefold/model/resource.hpp>
#include <tracefold/model/span.hpp>
#include <type_traits>
#include <utility>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

using key = std::pair<std::string_view, std::string_view>;

static_assert(std::is_same_v<folds::service_and_name_fn::key_type, key>);
static_assert(
    std::is_same_v<std::invoke_result_t<folds::service_and_name_fn, const tf::span&>, key>);
static_assert(std::is_same_v<std::invoke_result_t<folds::service_and_name_fn, tf::span_ref>, key>);

TEST_CASE("service_and_name of a span") {
  tf::span s;
  s.name = "GET /";
  CHECK(folds::service_and_name(s) == key{"unknown_service", "GET /"});
  const tf::key_value attr{"service.name", tf::any_value::of_string("frontend")};
  const tf::resource r{.attributes = {&attr, 1}};
  s.resource = &r;
  CHECK(folds::service_and_name(s) == key{"frontend", "GET /"});
}

TEST_CASE("service_and_name of span_refs") {
  auto ts = tft::build({{1, 1, 0, 0, 10, "GET /cart", "frontend"},
                        {1, 2, 1, 1, 2, "SELECT", "db"},
                        {2, 1, 0, 0, 1, "SELECT", "cart"}});
  CHECK(tf::run(tf::premap(folds::service_and_name, folds::to_vector<key>), ts.spans()) ==
        std::vector<key>{{"frontend", "GET /cart"}, {"db", "SELECT"}, {"cart", "SELECT"}});
  for (tf::span_ref r : ts.spans()) {
    CHECK(folds::service_and_name(r) == folds::service_and_name(r.span()));
    CHECK(folds::service_and_name(r).second.data() == r->name.data());  // views into the set
  }
}
