#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <list>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/iota.hpp>
#include <range/v3/view/reverse.hpp>
#include <range/v3/view/take.hpp>
#include <range/v3/view/transform.hpp>
#include <string>
#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/name.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

// Records the order of the inputs: the runner must step left to right.
struct digits {
  std::int64_t init() const { return 0; }
  std::int64_t step(std::int64_t s, int x) const { return s * 10 + x; }
  std::int64_t done(std::int64_t s) const { return s; }
};

// A fold whose state is move-only: the runner must move it, never copy.
struct move_only_state {
  struct state {
    std::unique_ptr<int> n = std::make_unique<int>(0);
  };
  state init() const { return {}; }
  state step(state s, int x) const {
    *s.n += x;
    return s;
  }
  int done(state s) const { return *s.n; }
};

// A fold that counts how often its state is copied.
struct copy_counter {
  struct state {
    int copies = 0;
    state() = default;
    state(const state& o) : copies(o.copies + 1) {}
    state(state&&) = default;
    state& operator=(const state& o) {
      copies = o.copies + 1;
      return *this;
    }
    state& operator=(state&&) = default;
  };
  state init() const { return {}; }
  state step(state s, int) const { return s; }
  int done(state s) const { return s.copies; }
};

constexpr int constexpr_sum() {
  std::array<int, 4> xs{1, 2, 3, 4};
  return static_cast<int>(tf::run(folds::sum, xs));
}

}  // namespace

TEST_CASE("run over vectors and other containers") {
  const std::vector<int> xs{1, 2, 3, 4};
  CHECK(tf::run(folds::count, xs) == 4);
  CHECK(tf::run(folds::sum, xs) == 10);
  CHECK(tf::run(digits{}, xs) == 1234);
  CHECK(tf::run(digits{}, std::list<int>{3, 2, 1}) == 321);
  CHECK(tf::run(folds::to_vector<int>, std::vector<int>{5, 6}) ==
        std::vector<int>{5, 6});  // an rvalue range
  int arr[] = {7, 8};
  CHECK(tf::run(digits{}, arr) == 78);
  CHECK(tf::run(move_only_state{}, xs) == 10);
  CHECK(tf::run(copy_counter{}, xs) == 0);
  static_assert(constexpr_sum() == 10);
}

TEST_CASE("run over empty ranges gives done(init())") {
  const std::vector<int> none;
  CHECK(tf::run(folds::count, none) == 0);
  CHECK(tf::run(folds::sum, none) == 0);
  CHECK(tf::run(digits{}, none) == 0);
  CHECK(tf::run(folds::to_vector<int>, none).empty());
  auto empty = tft::build({});
  CHECK(tf::run(folds::count, empty.traces()) == 0);
  CHECK(tf::run(folds::count, empty.spans()) == 0);
  CHECK(tf::run(tf::each_span(folds::count), empty.traces()) == 0);
}

TEST_CASE("run over a trace's spans, the traces of a set, and all spans of a set") {
  // Trace 1: a [0,100] -> {b [10,30]}; trace 2: c [5,6].
  auto ts = tft::build({{1, 1, 0, 0, 100, "a"}, {1, 2, 1, 10, 30, "b"}, {2, 1, 0, 5, 6, "c"}});
  const tf::trace t1 = ts.traces()[0];
  CHECK(tf::run(folds::count, t1.spans()) == 2);
  CHECK(tf::run(folds::count, t1) == 2);  // a trace is itself a range of span_ref
  CHECK(tf::run(tf::premap(folds::duration, folds::sum), t1.spans()) == 120);
  CHECK(tf::run(tf::premap(folds::name, folds::to_vector<std::string_view>), t1.spans()) ==
        std::vector<std::string_view>{"a", "b"});
  CHECK(tf::run(folds::count, ts.traces()) == 2);
  CHECK(tf::run(tf::each_span(folds::count), ts.traces()) == 3);
  CHECK(tf::run(folds::count, ts.spans()) == 3);
  CHECK(tf::run(tf::premap(folds::name, folds::to_vector<std::string_view>), ts.spans()) ==
        std::vector<std::string_view>{"a", "b", "c"});
  CHECK(tf::run(tf::premap(folds::duration, folds::sum), ts.spans()) == 121);
  // A subtree is a range too.
  CHECK(tf::run(folds::count, t1[1].subtree()) == 1);
}

TEST_CASE("run over range-v3 views") {
  const std::vector<int> xs{1, 2, 3, 4, 5, 6};
  auto even = [](int x) { return x % 2 == 0; };
  CHECK(tf::run(digits{}, xs | ranges::views::filter(even)) == 246);
  CHECK(tf::run(digits{}, xs | ranges::views::reverse | ranges::views::take(3)) == 654);
  CHECK(tf::run(folds::sum, xs | ranges::views::transform([](int x) { return x * x; })) == 91);
  CHECK(tf::run(folds::sum, ranges::views::iota(1, 101)) == 5050);
  CHECK(tf::run(folds::count, xs | ranges::views::filter([](int) { return false; })) == 0);

  auto ts = tft::build({{1, 1, 0, 0, 100, "a"},
                        {1, 2, 1, 10, 30, "b"},
                        {1, 3, 1, 40, 41, "c"},
                        {2, 1, 0, 5, 6, "d"}});
  // span_range and trace_range are not range-v3 views, so they are piped as lvalues.
  const auto spans = ts.spans();
  auto long_spans =
      spans | ranges::views::filter([](tf::span_ref r) { return r->duration_ns() > 5; });
  CHECK(tf::run(tf::premap(folds::name, folds::to_vector<std::string_view>), long_spans) ==
        std::vector<std::string_view>{"a", "b"});
  const auto traces = ts.traces();
  auto sizes = traces | ranges::views::transform([](tf::trace t) { return t.size(); });
  CHECK(tf::run(folds::sum, sizes) == 4);
}
