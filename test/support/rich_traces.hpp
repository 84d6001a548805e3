#pragma once
// Seeded random trace_sets that exercise every field of the model: every AnyValue kind
// (nested arrays and kvlists, bytes, NaN and infinities), events, links, statuses, dropped
// counts, trace state, flags, unicode, control characters and empty strings. Used by the
// round-trip tests of the writers.

#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <tracefold/model/trace_set.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <type_traits>
#include <vector>

namespace tft {

class rich_generator {
 public:
  explicit rich_generator(std::uint64_t seed) : rng_(seed) {}

  tracefold::trace_set make(std::size_t max_spans = 40) {
    tracefold::trace_set_builder b;
    const int resources = pick(1, 3);
    std::vector<tracefold::scope_handle> scopes;
    for (int r = 0; r < resources; ++r) {
      tracefold::resource res;
      res.attributes = keep(attrs(pick(0, 3), 0));
      res.dropped_attributes_count = static_cast<std::uint32_t>(pick(0, 1) ? 0 : pick(1, 5));
      res.schema_url = keep(text());
      auto rh = b.add_resource(res);
      for (int s = pick(1, 2); s > 0; --s) {
        tracefold::scope sc;
        sc.name = keep(text());
        sc.version = keep(text());
        sc.attributes = keep(attrs(pick(0, 2), 0));
        sc.dropped_attributes_count = static_cast<std::uint32_t>(pick(0, 3));
        sc.schema_url = keep(text());
        scopes.push_back(b.add_scope(rh, sc));
      }
    }
    const int traces = pick(1, 3);
    for (int t = 0; t < traces; ++t) {
      const tracefold::trace_id tid = random_id<16>();
      const int n = pick(1, static_cast<int>(max_spans));
      std::vector<tracefold::span_id> ids;
      for (int i = 0; i < n; ++i) {
        tracefold::span sp;
        sp.trace_id = tid;
        sp.span_id = random_id<8>();
        if (!ids.empty() && pick(0, 5))
          sp.parent_span_id =
              ids[static_cast<std::size_t>(pick(0, static_cast<int>(ids.size()) - 1))];
        ids.push_back(sp.span_id);
        sp.start_time_unix_nano = rng_() >> pick(0, 40);
        sp.end_time_unix_nano = sp.start_time_unix_nano + (rng_() >> pick(20, 63));
        sp.name = keep(text());
        sp.trace_state = pick(0, 3) ? std::string_view{} : keep(std::string("vendor=") + text());
        sp.flags = pick(0, 2) ? 0 : static_cast<std::uint32_t>(rng_());
        sp.kind = static_cast<tracefold::span_kind>(pick(0, 5));
        sp.attributes = keep(attrs(pick(0, 5), 0));
        sp.dropped_attributes_count = static_cast<std::uint32_t>(pick(0, 2));
        std::vector<tracefold::event>& evs = events_.emplace_back();
        for (int e = pick(0, 2); e > 0; --e)
          evs.push_back({rng_(), keep(text()), keep(attrs(pick(0, 2), 0)),
                         static_cast<std::uint32_t>(pick(0, 1))});
        sp.events = evs;
        sp.dropped_events_count = static_cast<std::uint32_t>(pick(0, 1));
        std::vector<tracefold::link>& lks = links_.emplace_back();
        for (int l = pick(0, 2); l > 0; --l)
          lks.push_back({random_id<16>(), random_id<8>(),
                         pick(0, 1) ? std::string_view{} : keep(text()), keep(attrs(pick(0, 2), 0)),
                         static_cast<std::uint32_t>(pick(0, 1)),
                         static_cast<std::uint32_t>(pick(0, 1) ? 0 : rng_())});
        sp.links = lks;
        sp.dropped_links_count = static_cast<std::uint32_t>(pick(0, 1));
        sp.status.code = static_cast<tracefold::status_code>(pick(0, 2));
        sp.status.message = pick(0, 2) ? std::string_view{} : keep(text());
        b.add_span(scopes[static_cast<std::size_t>(pick(0, static_cast<int>(scopes.size()) - 1))],
                   sp);
      }
    }
    return std::move(b).build();
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  template <std::size_t N>
  tracefold::basic_id<N> random_id() {
    std::array<std::uint8_t, N> b{};
    for (auto& x : b) x = static_cast<std::uint8_t>(rng_());
    b[0] |= 1;  // never all zero
    return tracefold::basic_id<N>(b);
  }

  std::string text() {
    static const char* pieces[] = {"GET /cart", "",          "ünïcødé",
                                   "日本語",    "emoji 🚀",   "quote \" and \\ backslash",
                                   "tab\there", "new\nline", "ctl\x01\x1f",
                                   "</script>", "a",         "long-name-with-dashes"};
    std::string s = pieces[pick(0, 11)];
    if (pick(0, 3) == 0) s += pieces[pick(0, 11)];
    return s;
  }

  std::string_view keep(std::string s) { return strings_.emplace_back(std::move(s)); }
  template <class T>
  std::span<const T> keep(std::vector<T> v) {
    auto& stored = store<T>().emplace_back(std::move(v));
    return stored;
  }

  template <class T>
  std::deque<std::vector<T>>& store() {
    if constexpr (std::is_same_v<T, tracefold::key_value>)
      return kv_store_;
    else
      return val_store_;
  }

  tracefold::any_value value(int depth) {
    switch (pick(0, depth > 2 ? 5 : 7)) {
      case 0:
        return tracefold::any_value::of_string(keep(text()));
      case 1:
        return tracefold::any_value::of_bool(pick(0, 1) == 1);
      case 2: {
        const std::int64_t extremes[] = {0, -1, std::numeric_limits<std::int64_t>::min(),
                                         std::numeric_limits<std::int64_t>::max(),
                                         static_cast<std::int64_t>(rng_())};
        return tracefold::any_value::of_int(extremes[pick(0, 4)]);
      }
      case 3: {
        const double ds[] = {0.0,
                             -0.0,
                             1.5,
                             1e-300,
                             1e300,
                             0.1,
                             std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             static_cast<double>(rng_()) / 7.0};
        return tracefold::any_value::of_double(ds[pick(0, 9)]);
      }
      case 4: {
        std::string raw;
        for (int i = pick(0, 9); i > 0; --i) raw.push_back(static_cast<char>(rng_()));
        return tracefold::any_value::of_bytes(keep(raw));
      }
      case 5:
        return tracefold::any_value{};
      case 6: {
        std::vector<tracefold::any_value> items;
        for (int i = pick(0, 3); i > 0; --i) items.push_back(value(depth + 1));
        return tracefold::any_value::of_array(keep(std::move(items)));
      }
      default:
        return tracefold::any_value::of_kvlist(keep(attrs(pick(0, 3), depth + 1)));
    }
  }

  std::vector<tracefold::key_value> attrs(int n, int depth) {
    std::vector<tracefold::key_value> out;
    for (int i = 0; i < n; ++i) out.push_back({keep(text()), value(depth)});
    return out;
  }

  std::mt19937_64 rng_;
  std::deque<std::string> strings_;
  std::deque<std::vector<tracefold::key_value>> kv_store_;
  std::deque<std::vector<tracefold::any_value>> val_store_;
  std::deque<std::vector<tracefold::event>> events_;
  std::deque<std::vector<tracefold::link>> links_;
};

/// Empty when `a` and `b` hold the same traces, field for field, in the same order;
/// otherwise where they first differ.
inline std::string compare_sets(const tracefold::trace_set& a, const tracefold::trace_set& b) {
  if (a.trace_count() != b.trace_count())
    return "trace counts differ: " + std::to_string(a.trace_count()) + " vs " +
           std::to_string(b.trace_count());
  for (std::size_t t = 0; t < a.trace_count(); ++t) {
    const auto x = a.traces()[t];
    const auto y = b.traces()[t];
    if (x.id() != y.id()) return "trace " + std::to_string(t) + " ids differ";
    if (x.size() != y.size()) return "trace " + x.id().to_hex() + " sizes differ";
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!(x[i].span() == y[i].span()))
        return "trace " + x.id().to_hex() + " span " + x[i]->span_id.to_hex() + " (position " +
               std::to_string(i) + ") differs";
      if (x[i].depth() != y[i].depth() || x[i].subtree_size() != y[i].subtree_size())
        return "trace " + x.id().to_hex() + " tree shape differs at " + std::to_string(i);
    }
  }
  return {};
}

}  // namespace tft
