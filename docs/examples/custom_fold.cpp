// A custom fold, fused with a standard fold and a tree algebra, run in one pass.
// Built and run as a test (docs/examples/meson.build); the README's tour quotes it.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <tracefold/tracefold.hpp>

namespace tf = tracefold;
namespace folds = tracefold::folds;

// [tour]
// Your own fold: the longest span of each service. State in, state out; no views kept.
struct longest_per_service {
  using state = std::map<std::string, std::int64_t, std::less<>>;
  state init() const { return {}; }
  state step(state s, tf::span_ref r) const {
    auto it = s.find(r->service_name());
    if (it == s.end()) it = s.emplace(r->service_name(), r->duration_ns()).first;
    it->second = std::max(it->second, r->duration_ns());
    return s;
  }
  state done(state s) const { return s; }
};

// A tree algebra: the size of every subtree, computed bottom-up without recursion.
struct subtree_size {
  std::size_t begin(tf::span_ref) const { return 1; }
  std::size_t child(std::size_t n, tf::span_ref, std::size_t c) const { return n + c; }
  std::size_t finish(std::size_t n, tf::span_ref) const { return n; }
};

auto report = tf::product(tf::each_span(tf::product(folds::count, longest_per_service{})),
                          tf::each_node(subtree_size{}, tf::premap([](auto& n) { return n.value; },
                                                                   folds::to_vector<std::size_t>)));
// [tour]

namespace {

// Three services, one trace: frontend -> cart -> db, plus a second db call.
tf::trace_set make_sample() {
  tf::trace_set_builder b;
  auto scope_for = [&b](const char* service) {
    tf::key_value attr{"service.name", tf::any_value::of_string(service)};
    return b.add_scope(b.add_resource({.attributes = {&attr, 1}}), {.name = "example"});
  };
  auto frontend = scope_for("frontend"), cart = scope_for("cart"), db = scope_for("db");
  auto id = [](const char* hex) { return *tf::span_id::from_hex(hex); };
  const auto trace = *tf::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  auto add = [&](tf::scope_handle s, const char* span, const char* parent, const char* name,
                 std::uint64_t start, std::uint64_t end) {
    b.add_span(s, {.trace_id = trace,
                   .span_id = id(span),
                   .parent_span_id = id(parent),
                   .start_time_unix_nano = start,
                   .end_time_unix_nano = end,
                   .name = name});
  };
  add(db, "00f067aa0ba902b9", "00f067aa0ba902b8", "SELECT cart", 1'300'000, 1'900'000);
  add(frontend, "00f067aa0ba902b7", "0000000000000000", "GET /cart", 1'000'000, 9'000'000);
  add(cart, "00f067aa0ba902b8", "00f067aa0ba902b7", "cart.get", 1'200'000, 8'000'000);
  add(db, "00f067aa0ba902ba", "00f067aa0ba902b8", "SELECT price", 2'000'000, 4'500'000);
  return std::move(b).build();
}

}  // namespace

int main() {
  const tf::trace_set ts = make_sample();
  auto [per_span, sizes] = tf::run(report, ts.traces());
  auto [spans, longest] = per_span;

  std::printf("%llu spans\n", static_cast<unsigned long long>(spans));
  for (const auto& [service, ns] : longest)
    std::printf("longest %-8s %8.3f ms\n", service.c_str(), static_cast<double>(ns) / 1e6);
  for (std::size_t i = 0; i < sizes.size(); ++i)
    std::printf("subtree of %-12s %zu spans\n", std::string(ts.traces()[0][i]->name).c_str(),
                sizes[i]);

  // The example checks its own answer, so the test that runs it can fail.
  const bool ok = spans == 4 && longest.at("frontend") == 8'000'000 &&
                  longest.at("cart") == 6'800'000 && longest.at("db") == 2'500'000 &&
                  sizes == std::vector<std::size_t>{4, 3, 1, 1};
  std::puts(ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}
