#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>
#include <tracefold/emit/generate.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <vector>

namespace tracefold::emit {

namespace {

struct service_info {
  const char* name;
  const char* version;
  const char* language;
  std::array<const char*, 4> operations;
  span_kind kind;
};

// An online shop: who calls whom is drawn from `callees`.
constexpr std::array<service_info, 8> services{{
    {"frontend",
     "2.4.1",
     "nodejs",
     {"GET /", "GET /product/{id}", "POST /cart", "POST /checkout"},
     span_kind::server},
    {"cart",
     "1.9.0",
     "go",
     {"GetCart", "AddItem", "EmptyCart", "cart.validate"},
     span_kind::server},
    {"checkout",
     "3.1.2",
     "java",
     {"PlaceOrder", "checkout.prepare", "checkout.charge", "checkout.ship"},
     span_kind::server},
    {"payment",
     "0.8.7",
     "python",
     {"Charge", "payment.authorize", "fraud.score", "payment.capture"},
     span_kind::server},
    {"inventory",
     "5.0.0",
     "rust",
     {"Reserve", "Release", "inventory.lookup", "inventory.lock"},
     span_kind::server},
    {"postgres",
     "15.4",
     "sql",
     {"SELECT orders", "INSERT orders", "UPDATE stock", "SELECT products"},
     span_kind::client},
    {"redis", "7.2", "cache", {"GET", "SET", "HGETALL", "EXPIRE"}, span_kind::client},
    {"kafka",
     "3.6",
     "queue",
     {"orders publish", "orders process", "stock publish", "stock process"},
     span_kind::producer},
}};
constexpr std::array<std::array<int, 3>, 8> callees{{{1, 2, 4},
                                                     {6, 5, 4},
                                                     {3, 4, 7},
                                                     {5, 6, 6},
                                                     {5, 6, 7},
                                                     {-1, -1, -1},
                                                     {-1, -1, -1},
                                                     {-1, -1, -1}}};

const char* const hosts[] = {"ip-10-0-1-17", "ip-10-0-2-44", "ip-10-0-3-9"};
const char* const routes[] = {"/", "/product/{id}", "/cart", "/checkout",
                              "/api/v1/orders/{order_id}"};
const char* const user_agents[] = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.4.0"};

class generator {
 public:
  explicit generator(const generate_options& o) : opt_(o), rng_(o.seed) {}

  generate_result run(const sink& out) {
    otlp_json writer{opt_.format, {}};
    auto state = writer.init();
    generate_result result;
    std::uint64_t trace_no = 0;
    // Bytes written so far = flushed bytes + what is still buffered.
    auto written = [&] { return flushed_ + state.buf.size(); };
    while (written() < opt_.target_bytes) {
      trace_set_builder b;
      make_resources(b);
      for (int i = 0; i < 64 && written() + i * 15000 < opt_.target_bytes + 15000; ++i)
        make_trace(b, trace_no++);
      const trace_set ts = std::move(b).build();
      for (trace t : ts.traces()) {
        state = writer.step(std::move(state), t);
        ++result.traces;
        result.spans += t.size();
        if (state.buf.size() >= (1u << 20)) {
          flushed_ += state.buf.size();
          out(state.buf);
          state.buf.clear();
        }
        if (written() >= opt_.target_bytes) break;
      }
    }
    const otlp_json_result tail = writer.done(std::move(state));
    out(tail.text);
    result.bytes = flushed_ + tail.text.size();
    return result;
  }

 private:
  std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng_);
  }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::string_view keep(trace_set_builder& b, std::string s) { return b.store(s); }

  // Resources: one per service and host, each with one or two scopes.
  void make_resources(trace_set_builder& b) {
    scopes_.clear();
    for (std::size_t s = 0; s < services.size(); ++s) {
      const service_info& svc = services[s];
      const char* host = hosts[uniform(0, 2)];
      std::vector<key_value> attrs{
          {"service.name", any_value::of_string(svc.name)},
          {"service.version", any_value::of_string(svc.version)},
          {"host.name", any_value::of_string(host)},
          {"process.pid", any_value::of_int(static_cast<std::int64_t>(uniform(100, 65000)))},
          {"telemetry.sdk.language", any_value::of_string(svc.language)},
          {"telemetry.sdk.version", any_value::of_string("1.28.0")},
      };
      auto r = b.add_resource({.attributes = attrs,
                               .dropped_attributes_count = 0,
                               .schema_url = "https://opentelemetry.io/schemas/1.24.0"});
      std::string lib = std::string("io.opentelemetry.") + svc.language;
      scopes_.push_back({b.add_scope(r, {.name = keep(b, lib + ".http"), .version = "1.28.0"}),
                         b.add_scope(r, {.name = keep(b, lib + ".db"), .version = "1.28.0"})});
    }
  }

  span_id next_span_id() {
    std::array<std::uint8_t, 8> id{};
    std::uint64_t v = rng_() | 1;
    for (int i = 0; i < 8; ++i) id[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
    return span_id(id);
  }

  struct node {
    span_id id;
    int service;
    std::uint64_t start, end;
    int depth;
  };

  void make_trace(trace_set_builder& b, std::uint64_t trace_no) {
    std::array<std::uint8_t, 16> tb{};
    std::uint64_t hi = rng_(), lo = rng_() | 1;
    for (int i = 0; i < 8; ++i) {
      tb[i] = static_cast<std::uint8_t>(hi >> (56 - 8 * i));
      tb[8 + i] = static_cast<std::uint8_t>(lo >> (56 - 8 * i));
    }
    const trace_id tid(tb);
    const std::uint64_t t0 =
        1'700'000'000'000'000'000ull + trace_no * 3'000'000ull + uniform(0, 1'000'000);
    std::size_t n = uniform(15, 25);
    int shape = 0;  // 0 usual, 1 deep chain, 2 wide fan-out
    if (opt_.extreme_shapes && trace_no % 40 == 7) {
      shape = 1;
      n = 300;
    } else if (opt_.extreme_shapes && trace_no % 40 == 23) {
      shape = 2;
      n = 401;
    }
    const bool error_trace = chance(0.12);
    std::vector<node> nodes;
    nodes.reserve(n);
    const std::uint64_t root_len =
        static_cast<std::uint64_t>(std::exp(std::normal_distribution<double>(17.5, 1.0)(rng_)));
    nodes.push_back({next_span_id(), 0, t0, t0 + std::max<std::uint64_t>(root_len, 50'000'000), 0});
    emit_span(b, tid, nodes[0], nullptr, error_trace && chance(0.3));
    while (nodes.size() < n) {
      std::size_t p;
      if (shape == 1)
        p = nodes.size() - 1;
      else if (shape == 2)
        p = 0;
      else
        p = nodes.size() - 1 -
            std::min<std::size_t>(nodes.size() - 1, uniform(0, 3));  // recent spans
      node parent = nodes[p];
      int callee = parent.service;
      const auto& cs = callees[static_cast<std::size_t>(parent.service)];
      const int pick = cs[uniform(0, 2)];
      if (pick >= 0) callee = pick;
      if (shape != 0) callee = static_cast<int>(uniform(0, 4));
      const std::uint64_t plen = parent.end - parent.start;
      std::uint64_t start = parent.start + uniform(0, plen / 2);
      std::uint64_t len = std::max<std::uint64_t>(uniform(plen / 20, plen / 2), 20'000);
      if (shape == 1) {
        // A deep chain (recursion, a long call stack): each call takes nearly all of its
        // caller's time, so 300 levels still end in spans of a realistic length rather than
        // shrinking to nanoseconds.
        start = parent.start + uniform(0, plen / 200);
        len = plen - (start - parent.start) - uniform(0, plen / 200);
      }
      node child{next_span_id(), callee, start, std::min(start + len, parent.end),
                 parent.depth + 1};
      nodes.push_back(child);
      emit_span(b, tid, child, &parent, error_trace && chance(0.15));
    }
  }

  void emit_span(trace_set_builder& b, const trace_id& tid, const node& me, const node* parent,
                 bool error) {
    const service_info& svc = services[static_cast<std::size_t>(me.service)];
    span sp;
    sp.trace_id = tid;
    sp.span_id = me.id;
    if (parent) sp.parent_span_id = parent->id;
    sp.start_time_unix_nano = me.start;
    sp.end_time_unix_nano = me.end;
    sp.name = svc.operations[uniform(0, 3)];
    sp.kind = parent == nullptr ? span_kind::server : svc.kind;
    if (svc.kind == span_kind::producer && chance(0.5)) sp.kind = span_kind::consumer;
    if (parent && parent->service == me.service) sp.kind = span_kind::internal;
    sp.flags = 0x101;
    if (chance(0.1)) sp.trace_state = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

    std::vector<key_value>& a = attrs_;
    a.clear();
    const std::string_view route = routes[uniform(0, 4)];
    if (me.service <= 4) {
      a.push_back({"http.request.method", any_value::of_string(chance(0.7) ? "GET" : "POST")});
      a.push_back({"http.route", any_value::of_string(route)});
      if (!parent)
        a.push_back(
            {"url.full", any_value::of_string(
                             keep(b, "https://shop.example.com" + std::string(route) +
                                         "?session=" + std::to_string(uniform(100000, 999999))))});
      a.push_back({"http.response.status_code", any_value::of_int(error ? 503 : 200)});
      if (!parent)
        a.push_back({"user_agent.original", any_value::of_string(user_agents[uniform(0, 2)])});
      a.push_back({"http.response.body.size",
                   any_value::of_int(static_cast<std::int64_t>(uniform(200, 90000)))});
    } else if (me.service <= 6) {
      a.push_back({"db.system", any_value::of_string(me.service == 5 ? "postgresql" : "redis")});
      a.push_back({"db.statement",
                   any_value::of_string(me.service == 5
                                            ? "SELECT id, total FROM orders WHERE customer_id = $1"
                                            : "HGETALL cart:session:$1")});
      a.push_back(
          {"db.rows_affected", any_value::of_int(static_cast<std::int64_t>(uniform(0, 50)))});
      a.push_back({"cache.hit", any_value::of_bool(chance(0.8))});
    } else {
      a.push_back({"messaging.system", any_value::of_string("kafka")});
      a.push_back({"messaging.destination.name", any_value::of_string("orders")});
      a.push_back({"messaging.kafka.partition",
                   any_value::of_int(static_cast<std::int64_t>(uniform(0, 11)))});
      a.push_back({"messaging.message.body.size",
                   any_value::of_int(static_cast<std::int64_t>(uniform(100, 5000)))});
    }
    if (!parent) a.push_back({"sampling.ratio", any_value::of_double(0.25)});
    if (chance(0.3)) {
      vals_.assign({any_value::of_string("application/json"), any_value::of_string("text/html")});
      a.push_back({"http.request.header.accept",
                   any_value::of_array(b.store_flat(std::span<const any_value>(vals_)))});
    }
    if (chance(0.1)) {
      kvs_.assign({{"plan", any_value::of_string("premium")},
                   {"items", any_value::of_int(static_cast<std::int64_t>(uniform(1, 9)))}});
      a.push_back(
          {"app.customer", any_value::of_kvlist(b.store_flat(std::span<const key_value>(kvs_)))});
    }
    if (chance(0.05)) {
      std::string raw(8, '\0');
      for (char& c : raw) c = static_cast<char>(rng_());
      a.push_back({"app.request_digest", any_value::of_bytes(b.store(raw))});
    }
    sp.attributes = b.store_flat(std::span<const key_value>(a));

    events_.clear();
    if (error) {
      sp.status = {status_code::error, "upstream returned 503 Service Unavailable"};
      ev_attrs_.assign(
          {{"exception.type", any_value::of_string("ServiceUnavailableError")},
           {"exception.message", any_value::of_string("upstream returned 503 Service Unavailable")},
           {"exception.stacktrace",
            any_value::of_string("ServiceUnavailableError: upstream returned 503\n    at call "
                                 "(client.js:88:13)\n    at handler (server.js:41:7)")},
           {"exception.escaped", any_value::of_bool(false)}});
      events_.push_back(
          {me.end - 1000, "exception", b.store_flat(std::span<const key_value>(ev_attrs_)), 0});
    } else if (chance(0.2)) {
      ev_attrs_.assign({{"log.severity", any_value::of_string("INFO")},
                        {"log.message", any_value::of_string("cache refreshed")}});
      events_.push_back({me.start + (me.end - me.start) / 2, "log",
                         b.store_flat(std::span<const key_value>(ev_attrs_)), 0});
    }
    sp.events = b.store_flat(std::span<const event>(events_));
    if (sp.kind == span_kind::consumer && chance(0.5)) {
      links_.assign({link{sp.trace_id, next_span_id(), {}, {}, 0, 0x101}});
      sp.links = b.store_flat(std::span<const link>(links_));
    }
    const auto& sc = scopes_[static_cast<std::size_t>(me.service)];
    b.add_stored_span(me.service >= 5 ? sc[1] : sc[0], sp);
  }

  generate_options opt_;
  std::mt19937_64 rng_;
  std::uint64_t flushed_ = 0;
  std::vector<std::array<scope_handle, 2>> scopes_;
  std::vector<key_value> attrs_, kvs_, ev_attrs_;
  std::vector<any_value> vals_;
  std::vector<event> events_;
  std::vector<link> links_;
};

}  // namespace

generate_result generate_otlp(const generate_options& options, const sink& out) {
  return generator(options).run(out);
}

}  // namespace tracefold::emit
