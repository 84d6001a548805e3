#include <doctest/doctest.h>

#include <cstdint>
#include <support/make_traces.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tracefold/model/span.hpp>
#include <type_traits>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

static_assert(
    std::is_same_v<std::invoke_result_t<folds::duration_fn, const tf::span&>, std::int64_t>);
static_assert(std::is_same_v<std::invoke_result_t<folds::duration_fn, tf::span_ref>, std::int64_t>);
static_assert(!std::is_invocable_v<folds::duration_fn, int>);

namespace {

tf::span make_span(std::uint64_t start, std::uint64_t end) {
  tf::span s;
  s.start_time_unix_nano = start;
  s.end_time_unix_nano = end;
  return s;
}

}  // namespace

TEST_CASE("duration of a span: end - start, negative when reversed") {
  CHECK(folds::duration(make_span(100, 250)) == 150);
  CHECK(folds::duration(make_span(7, 7)) == 0);
  CHECK(folds::duration(make_span(250, 100)) == -150);
  // Real unix-nano timestamps do not lose precision.
  CHECK(folds::duration(make_span(1'700'000'000'000'000'001, 1'700'000'000'000'000'123)) == 122);
  static_assert(folds::duration(tf::span{.start_time_unix_nano = 1, .end_time_unix_nano = 4}) == 3);
}

TEST_CASE_TEMPLATE("duration of a span_ref equals the duration of its span", Ref, tf::span_ref,
                   const tf::span_ref&) {
  auto ts = tft::build({{1, 1, 0, 10, 110}, {1, 2, 1, 20, 25}, {1, 3, 1, 90, 80}});
  std::vector<std::int64_t> got;
  for (tf::span_ref r : ts.spans()) {
    Ref ref = r;
    CHECK(folds::duration(ref) == folds::duration(r.span()));
    got.push_back(folds::duration(ref));
  }
  CHECK(got == std::vector<std::int64_t>{100, 5, -10});
  CHECK(tf::run(tf::premap(folds::duration, folds::sum), ts.spans()) == 95);
  auto empty = tft::build({});
  CHECK(
      tf::run(tf::premap(folds::duration, folds::to_vector<std::int64_t>), empty.spans()).empty());
}
