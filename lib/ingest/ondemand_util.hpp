#pragma once
// What the simdjson On-Demand readers (OTLP-JSON, RED partial state) share for their
// messages. Lib-internal; included only by translation units built with the readers' flags.

#include <simdjson.h>

#include <string>
#include <string_view>

#include "text_util.hpp"

namespace tracefold::ingest::detail {

/// The value at `v` as written, shortened, for messages ("an object", "an array", or the
/// raw token).
inline std::string shown(simdjson::ondemand::value& v) {
  namespace od = simdjson::ondemand;
  od::json_type t{};
  if (!v.type().get(t)) {
    if (t == od::json_type::object) return "an object";
    if (t == od::json_type::array) return "an array";
  }
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
    raw.remove_suffix(1);
  return raw_excerpt(raw, 48);
}

/// Reads a document whose type `t` is a scalar (or that only starts like one: `this is not
/// JSON` starts like `true`): SUCCESS when it is a valid string, number, boolean or null,
/// else the error that says it is not JSON.
inline simdjson::error_code read_scalar(simdjson::ondemand::document& doc,
                                        simdjson::ondemand::json_type t) {
  namespace od = simdjson::ondemand;
  simdjson::error_code e = simdjson::SUCCESS;
  switch (t) {
    case od::json_type::string: {
      std::string_view s;
      e = doc.get_string().get(s);
      break;
    }
    case od::json_type::number: {
      double d = 0;
      e = doc.get_double().get(d);
      break;
    }
    case od::json_type::boolean: {
      bool b = false;
      e = doc.get_bool().get(b);
      break;
    }
    case od::json_type::null: {
      bool null = false;
      e = doc.is_null().get(null);
      if (!e && !null) e = simdjson::INCORRECT_TYPE;
      break;
    }
    default:
      break;
  }
  return e;
}

}  // namespace tracefold::ingest::detail
