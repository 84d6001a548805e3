#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <support/make_traces.hpp>
#include <tracefold/fold/detail/owned_key.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/group_by.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/max.hpp>
#include <tracefold/folds/name.hpp>
#include <tracefold/folds/service_and_name.hpp>
#include <tracefold/folds/service_name.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace tf = tracefold;
namespace folds = tracefold::folds;

namespace {

using str_pair = std::pair<std::string, std::string>;

// Spans over two services; names repeat across services.
tf::trace_set sample() {
  return tft::build({{1, 1, 0, 0, 100, "GET /cart", "frontend"},
                     {1, 2, 1, 10, 40, "SELECT", "db"},
                     {1, 3, 1, 50, 60, "SELECT", "db"},
                     {1, 4, 1, 61, 62, "charge", "payments"},
                     {2, 1, 0, 0, 7, "GET /cart", "frontend"},
                     {2, 2, 1, 1, 2, "SELECT", "cart"}});
}

std::string_view name_of(tf::span_ref r) { return r->name; }

// A key function that names its key type.
struct parity_key {
  using key_type = bool;
  bool operator()(const auto& x) const { return x % 2 == 0; }
};

struct no_merge {
  int init() const { return 0; }
  int step(int s, const auto&) const { return s + 1; }
  int done(int s) const { return s; }
};

// A key that counts its copies, to check that group_by copies a key only when it is new.
struct counted {
  int v = 0;
  static inline int copies = 0;
  explicit counted(int x) : v(x) {}
  counted(const counted& o) : v(o.v) { ++copies; }
  counted(counted&&) = default;
  counted& operator=(const counted& o) {
    v = o.v;
    ++copies;
    return *this;
  }
  counted& operator=(counted&&) = default;
  ~counted() = default;
  friend bool operator==(const counted& a, const counted& b) { return a.v == b.v; }
  friend bool operator<(const counted& a, const counted& b) { return a.v < b.v; }
};

}  // namespace

template <>
struct std::hash<counted> {
  std::size_t operator()(const counted& c) const noexcept { return std::hash<int>{}(c.v); }
};

// Owning forms of keys.
static_assert(std::is_same_v<tf::detail::owned_key_t<std::string_view>, std::string>);
static_assert(std::is_same_v<tf::detail::owned_key_t<const std::string_view&>, std::string>);
static_assert(std::is_same_v<tf::detail::owned_key_t<const char*>, std::string>);
static_assert(std::is_same_v<tf::detail::owned_key_t<int>, int>);
static_assert(std::is_same_v<tf::detail::owned_key_t<std::pair<std::string_view, std::string_view>>,
                             str_pair>);
static_assert(std::is_same_v<tf::detail::owned_key_t<std::tuple<std::string_view, int>>,
                             std::tuple<std::string, int>>);

// Key types deduced from the key function.
static_assert(
    std::is_same_v<decltype(tf::group_by(folds::name, folds::count))::key_type, std::string>);
static_assert(std::is_same_v<decltype(tf::group_by(folds::service_name, folds::count))::key_type,
                             std::string>);
static_assert(std::is_same_v<
              decltype(tf::group_by(folds::service_and_name, folds::count))::key_type, str_pair>);
static_assert(
    std::is_same_v<decltype(tf::group_by(&name_of, folds::count))::key_type, std::string>);
static_assert(std::is_same_v<decltype(tf::group_by(parity_key{}, folds::count))::key_type, bool>);
static_assert(std::is_same_v<
              decltype(tf::group_by([](int x) { return x % 3; }, folds::count))::key_type, int>);
static_assert(
    std::is_same_v<
        decltype(tf::group_by([](int x) noexcept { return x % 3; }, folds::count))::key_type, int>);
static_assert(std::is_same_v<decltype(tf::group_by<std::string_view>(
                                 [](const auto& r) { return r->name; }, folds::count))::key_type,
                             std::string>);
static_assert(std::is_same_v<tf::result_t<decltype(tf::group_by(folds::name, folds::count))>,
                             std::map<std::string, std::uint64_t>>);

// Mergeable exactly when the inner fold is; takes what both key and fold take.
static_assert(tf::mergeable_fold<decltype(tf::group_by(folds::name, folds::count)), tf::span_ref>);
static_assert(tf::fold_over<decltype(tf::group_by(folds::name, no_merge{})), tf::span_ref>);
static_assert(!tf::mergeable_fold<decltype(tf::group_by(folds::name, no_merge{})), tf::span_ref>);
static_assert(!tf::fold_over<decltype(tf::group_by(folds::name, folds::count)), int>);
static_assert(!tf::fold_over<decltype(tf::group_by(folds::name, folds::sum)), tf::span_ref>);

TEST_CASE("group_by a key deduced from folds::name, ordered by key") {
  auto ts = sample();
  const auto by_name = tf::run(tf::group_by(folds::name, folds::count), ts.spans());
  CHECK(by_name ==
        std::map<std::string, std::uint64_t>{{"GET /cart", 2}, {"SELECT", 3}, {"charge", 1}});
  std::vector<std::string> keys;
  for (const auto& [k, v] : by_name) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"GET /cart", "SELECT", "charge"});  // byte order
  // With a product per group.
  const auto stats = tf::run(
      tf::group_by(folds::name,
                   tf::product(folds::count,
                               tf::premap(folds::duration, tf::product(folds::sum, folds::max)))),
      ts.spans());
  REQUIRE(stats.count("SELECT") == 1);
  const auto& [n, d] = stats.at("SELECT");
  CHECK(n == 3);
  CHECK(std::get<0>(d) == 30 + 10 + 1);
  CHECK(std::get<1>(d) == 30);
}

TEST_CASE("group_by service_and_name and service_name") {
  auto ts = sample();
  const auto ops = tf::run(tf::group_by(folds::service_and_name, folds::count), ts.spans());
  CHECK(ops == std::map<str_pair, std::uint64_t>{{{"cart", "SELECT"}, 1},
                                                 {{"db", "SELECT"}, 2},
                                                 {{"frontend", "GET /cart"}, 2},
                                                 {{"payments", "charge"}, 1}});
  CHECK(ops.begin()->first == str_pair{"cart", "SELECT"});
  const auto services = tf::run(tf::group_by(folds::service_name, folds::count), ts.spans());
  CHECK(services == std::map<std::string, std::uint64_t>{
                        {"cart", 1}, {"db", 2}, {"frontend", 2}, {"payments", 1}});
}

TEST_CASE("group_by with typed lambdas, function pointers and an explicit key type") {
  const std::vector<int> xs{1, 2, 3, 4, 5, 6, 7};
  CHECK(tf::run(tf::group_by([](int x) { return x % 3; }, folds::to_vector<int>), xs) ==
        std::map<int, std::vector<int>>{{0, {3, 6}}, {1, {1, 4, 7}}, {2, {2, 5}}});
  CHECK(tf::run(tf::group_by(parity_key{}, folds::sum), xs) ==
        std::map<bool, std::int64_t>{{false, 16}, {true, 12}});
  // Generic lambda: the key type is named.
  CHECK(tf::run(tf::group_by<long>([](auto x) { return x / 4; }, folds::count), xs) ==
        std::map<long, std::uint64_t>{{0, 3}, {1, 4}});

  auto ts = sample();
  const auto expected = tf::run(tf::group_by(folds::name, folds::count), ts.spans());
  CHECK(tf::run(tf::group_by([](tf::span_ref r) { return r->name; }, folds::count), ts.spans()) ==
        expected);
  CHECK(tf::run(tf::group_by(&name_of, folds::count), ts.spans()) == expected);
  CHECK(tf::run(tf::group_by(name_of, folds::count), ts.spans()) ==
        expected);  // decays to a pointer
  CHECK(tf::run(tf::group_by<std::string_view>([](const auto& r) { return r->name; }, folds::count),
                ts.spans()) == expected);
  // A tuple key with a view inside is owned element-wise.
  auto by_name_depth = tf::group_by(
      [](tf::span_ref r) {
        return std::tuple<std::string_view, std::uint32_t>{r->name, r.depth()};
      },
      folds::count);
  CHECK(tf::run(by_name_depth, ts.spans()) ==
        std::map<std::tuple<std::string, std::uint32_t>, std::uint64_t>{
            {{"GET /cart", 0}, 2}, {{"SELECT", 1}, 3}, {{"charge", 1}, 1}});
  // Over traces: key by trace size.
  CHECK(tf::run(tf::group_by([](tf::trace t) { return t.size(); }, tf::each_span(folds::count)),
                ts.traces()) == std::map<std::size_t, std::uint64_t>{{2, 2}, {4, 4}});
}

TEST_CASE("group_by on no input gives no groups") {
  auto empty = tft::build({});
  CHECK(tf::run(tf::group_by(folds::name, folds::count), empty.spans()).empty());
  CHECK(tf::run(tf::group_by([](int x) { return x; }, folds::count), std::vector<int>{}).empty());
}

TEST_CASE("group_by owns its keys: state and result outlive the trace_set") {
  auto f = tf::group_by(folds::service_and_name, tf::premap(folds::duration, folds::sum));
  std::optional<tf::state_t<decltype(f)>> state;
  std::map<str_pair, std::int64_t> result;
  {
    auto ts = sample();
    state = f.init();
    for (tf::span_ref r : ts.spans()) *state = f.step(std::move(*state), r);
    result = tf::run(f, ts.spans());
  }
  // Reuse the freed memory with other strings of the same lengths.
  auto other =
      tft::build({{1, 1, 0, 0, 1, "XXX /xxxx", "XXXXXXXX"}, {1, 2, 1, 0, 1, "XXXXXX", "XX"}});
  const std::map<str_pair, std::int64_t> expected{{{"cart", "SELECT"}, 1},
                                                  {{"db", "SELECT"}, 40},
                                                  {{"frontend", "GET /cart"}, 107},
                                                  {{"payments", "charge"}, 1}};
  CHECK(result == expected);
  CHECK(f.done(std::move(*state)) == expected);
  CHECK(other.span_count() == 2);
}

TEST_CASE("group_by merges group-wise") {
  auto f = tf::group_by([](int x) { return x % 3; }, folds::to_vector<int>);
  const std::vector<int> xs{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const auto whole = tf::run(f, xs);
  for (std::size_t cut = 0; cut <= xs.size(); ++cut) {
    CAPTURE(cut);
    auto a = f.init();
    auto b = f.init();
    for (std::size_t i = 0; i < xs.size(); ++i)
      (i < cut ? a : b) = f.step(std::move(i < cut ? a : b), xs[i]);
    CHECK(f.done(f.merge(a, b)) ==
          whole);  // groups on one side only are kept, shared ones merged in order
  }
  CHECK(f.done(f.merge(f.init(), f.init())).empty());
  // Disjoint groups.
  auto a = f.step(f.init(), 3);
  auto b = f.step(f.init(), 4);
  CHECK(f.done(f.merge(a, b)) == std::map<int, std::vector<int>>{{0, {3}}, {1, {4}}});
}

TEST_CASE("group_by copies a key only the first time it is seen") {
  auto f = tf::group_by([](int x) { return counted(x % 3); }, folds::count);
  counted::copies = 0;
  auto s = f.init();
  for (int i = 0; i < 100; ++i) s = f.step(std::move(s), i);
  CHECK(counted::copies == 3);
  const auto r = f.done(std::move(s));
  REQUIRE(r.size() == 3);
  CHECK(r.begin()->first.v == 0);
  CHECK(r.begin()->second == 34);
}

TEST_CASE("group_by states are values: a copy evolves on its own") {
  auto f = tf::group_by([](int x) { return x % 2; }, folds::to_vector<int>);
  const auto s1 = f.step(f.step(f.init(), 1), 2);
  auto s2 = s1;
  s2 = f.step(std::move(s2), 3);
  s2 = f.step(std::move(s2), 4);
  CHECK(f.done(s1) == std::map<int, std::vector<int>>{{0, {2}}, {1, {1}}});
  CHECK(f.done(s2) == std::map<int, std::vector<int>>{{0, {2, 4}}, {1, {1, 3}}});
  // Merging a state with a copy of itself doubles every group.
  CHECK(f.done(f.merge(s1, s1)) == std::map<int, std::vector<int>>{{0, {2, 2}}, {1, {1, 1}}});
  // Merging with an empty state on either side keeps the other.
  CHECK(f.done(f.merge(f.init(), s1)) == f.done(s1));
  CHECK(f.done(f.merge(s1, f.init())) == f.done(s1));
}

TEST_CASE("owned_key hashing and equality treat a view and its owner alike") {
  using tf::detail::key_equal;
  using tf::detail::key_hash;
  const std::string owner = "checkout";
  const std::string_view view = owner;
  CHECK(key_hash{}(owner) == key_hash{}(view));
  CHECK(key_equal{}(owner, view));
  CHECK_FALSE(key_equal{}(owner, std::string_view("checkou")));
  const str_pair po{"svc", "op"};
  const std::pair<std::string_view, std::string_view> pv{"svc", "op"};
  CHECK(key_hash{}(po) == key_hash{}(pv));
  CHECK(key_equal{}(po, pv));
  CHECK_FALSE(key_equal{}(po, std::pair<std::string_view, std::string_view>{"svc", "po"}));
  // The order of a pair matters to the hash.
  CHECK(key_hash{}(str_pair{"a", "b"}) != key_hash{}(str_pair{"b", "a"}));
  CHECK(tf::detail::to_owned(pv) == po);
  CHECK(tf::detail::to_owned(std::tuple<std::string_view, int>{"x", 3}) ==
        std::tuple<std::string, int>{"x", 3});
  CHECK(tf::detail::to_owned(42) == 42);
}
