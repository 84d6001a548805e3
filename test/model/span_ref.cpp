#include <doctest/doctest.h>

#include <support/make_traces.hpp>
#include <tracefold/model/span_ref.hpp>
#include <vector>

using tracefold::span_ref;

TEST_CASE("span_ref navigates its tree") {
  // 1 -> {2 -> {4}, 3}
  auto ts = tft::build({{1, 1, 0, 0, 100, "root"}, {1, 2, 1, 10, 50}, {1, 3, 1, 60, 70}, {1, 4, 2, 20, 30, "leaf"}});
  const auto t = ts.traces()[0];
  const span_ref root = t[0];
  CHECK(root->name == "root");
  CHECK(root.span().name == "root");
  CHECK(root.is_root());
  CHECK(root.has_children());
  CHECK(root.subtree_size() == 4);
  const span_ref leaf = t[2];
  CHECK(leaf->name == "leaf");
  CHECK(leaf.depth() == 2);
  CHECK_FALSE(leaf.has_children());
  CHECK(leaf.children().empty());
  CHECK(leaf.parent()->parent() == root);
  CHECK(leaf.trace() == t);
  std::vector<std::uint32_t> sub;
  for (span_ref r : t[1].subtree()) sub.push_back(r.index());
  CHECK(sub == std::vector<std::uint32_t>{1, 2});
  CHECK_FALSE(root.is_orphan());
  CHECK_FALSE(root.broke_cycle());
  CHECK_FALSE(root.has_duplicate_id());
  CHECK(sizeof(span_ref) <= 16);
}
