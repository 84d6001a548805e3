#include <doctest/doctest.h>

#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/name.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tracefold/model/span.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<folds::name_fn::key_type, std::string_view>);
static_assert(
    std::is_same_v<std::invoke_result_t<folds::name_fn, const tf::span&>, std::string_view>);
static_assert(std::is_same_v<std::invoke_result_t<folds::name_fn, tf::span_ref>, std::string_view>);

TEST_CASE("name of a span and of a span_ref") {
  tf::span s;
  CHECK(folds::name(s).empty());
  s.name = "GET /cart";
  CHECK(folds::name(s) == "GET /cart");
  CHECK(folds::name(s).data() == s.name.data());  // a view, not a copy

  auto ts = tft::build({{1, 1, 0, 0, 10, "parent"}, {1, 2, 1, 1, 2, ""}, {2, 1, 0, 0, 1, "other"}});
  CHECK(tf::run(tf::premap(folds::name, folds::to_vector<std::string_view>), ts.spans()) ==
        std::vector<std::string_view>{"parent", "", "other"});
  for (tf::span_ref r : ts.spans()) {
    CHECK(folds::name(r) == folds::name(r.span()));
    CHECK(folds::name(r).data() == r->name.data());
  }
}
