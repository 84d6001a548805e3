#include <doctest/doctest.h>

#include <tracefold/model/span_id.hpp>
#include <tracefold/model/trace_id.hpp>
#include <unordered_set>

using tracefold::span_id;
using tracefold::trace_id;

TEST_CASE("trace_id parses either hex case and formats lowercase") {
  auto id = trace_id::from_hex("5B8EFFF798038103D269B633813FC60C");
  REQUIRE(id.has_value());
  CHECK(id->to_hex() == "5b8efff798038103d269b633813fc60c");
  CHECK(id->bytes()[0] == 0x5B);
  CHECK(id->bytes()[15] == 0x0C);
  CHECK(trace_id::from_hex("5b8efff798038103d269b633813fc60c") == id);
}

TEST_CASE("ids reject wrong length and non-hex digits") {
  CHECK_FALSE(trace_id::from_hex("").has_value());
  CHECK_FALSE(trace_id::from_hex("5b8efff798038103d269b633813fc60").has_value());
  CHECK_FALSE(trace_id::from_hex("5b8efff798038103d269b633813fc60cc").has_value());
  CHECK_FALSE(span_id::from_hex("eee19b7ec3c1b17g").has_value());
  CHECK_FALSE(span_id::from_hex("eee19b7ec3c1b1 4").has_value());
  CHECK(span_id::from_hex("EEE19B7EC3C1B174").has_value());
}

TEST_CASE("all-zero ids are absent") {
  CHECK(span_id{}.empty());
  CHECK(span_id::from_hex("0000000000000000")->empty());
  CHECK_FALSE(span_id::from_hex("0000000000000001")->empty());
  CHECK(trace_id{}.to_hex() == std::string(32, '0'));
}

TEST_CASE("ids order like their hex and hash consistently") {
  auto a = *span_id::from_hex("00000000000000ff");
  auto b = *span_id::from_hex("0000000000000100");
  CHECK(a < b);
  CHECK((a.to_hex() < b.to_hex()));
  std::unordered_set<span_id> set{a, b, a};
  CHECK(set.size() == 2);
  CHECK(std::hash<span_id>{}(a) == std::hash<span_id>{}(*span_id::from_hex("00000000000000FF")));
}

TEST_CASE("from_bytes takes exactly N raw bytes") {
  auto id = span_id::from_bytes(std::string_view("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  REQUIRE(id);
  CHECK(id->to_hex() == "0102030405060708");
  CHECK_FALSE(span_id::from_bytes("short"));
}

static_assert(trace_id::from_hex("0123456789abcdef0123456789ABCDEF").has_value(),
              "hex parsing is constexpr");
