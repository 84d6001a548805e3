#include <doctest/doctest.h>

#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/service_name.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tracefold/model/resource.hpp>
#include <tracefold/model/span.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(std::is_same_v<folds::service_name_fn::key_type, std::string_view>);
static_assert(std::is_same_v<std::invoke_result_t<folds::service_name_fn, const tf::span&>,
                             std::string_view>);
static_assert(
    std::is_same_v<std::invoke_result_t<folds::service_name_fn, tf::span_ref>, std::string_view>);

TEST_CASE("service_name of a span: the resource's service.name, else unknown_service") {
  tf::span s;
  CHECK(folds::service_name(s) == "unknown_service");  // no resource at all
  const tf::resource bare{};
  s.resource = &bare;
  CHECK(folds::service_name(s) == "unknown_service");  // a resource without service.name
  const tf::key_value not_a_string{"service.name", tf::any_value::of_int(7)};
  const tf::resource wrong{.attributes = {&not_a_string, 1}};
  s.resource = &wrong;
  CHECK(folds::service_name(s) == "unknown_service");  // service.name that is not a string
  const tf::key_value attrs[] = {{"host.name", tf::any_value::of_string("h1")},
                                 {"service.name", tf::any_value::of_string("checkout")}};
  const tf::resource named{.attributes = attrs};
  s.resource = &named;
  CHECK(folds::service_name(s) == "checkout");
  const tf::key_value empty_name{"service.name", tf::any_value::of_string("")};
  const tf::resource empty{.attributes = {&empty_name, 1}};
  s.resource = &empty;
  CHECK(folds::service_name(s).empty());  // present but empty is kept as it is
}

TEST_CASE("service_name of span_refs in a trace_set") {
  tf::trace_set_builder b;
  const tf::key_value attr{"service.name", tf::any_value::of_string("cart")};
  auto named = b.add_scope(b.add_resource({.attributes = {&attr, 1}}), {.name = "s"});
  auto anonymous = b.add_scope(b.add_resource({}), {.name = "s"});
  tf::span sp;
  sp.trace_id = tft::tid(1);
  sp.span_id = tft::sid(1);
  b.add_span(named, sp);
  sp.span_id = tft::sid(2);
  sp.parent_span_id = tft::sid(1);
  sp.start_time_unix_nano = 1;
  b.add_span(anonymous, sp);
  auto ts = std::move(b).build();
  REQUIRE(ts.span_count() == 2);
  CHECK(tf::run(tf::premap(folds::service_name, folds::to_vector<std::string_view>), ts.spans()) ==
        std::vector<std::string_view>{"cart", "unknown_service"});
  for (tf::span_ref r : ts.spans()) CHECK(folds::service_name(r) == folds::service_name(r.span()));

  auto ts2 = tft::build({{1, 1, 0, 0, 1, "op", "frontend"}, {2, 1, 0, 0, 1, "op", "db"}});
  CHECK(tf::run(tf::premap(folds::service_name, folds::to_vector<std::string_view>), ts2.spans()) ==
        std::vector<std::string_view>{"frontend", "db"});
}
