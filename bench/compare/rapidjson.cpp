// bench/compare with RapidJSON, the way a user writes it: read the file, parse it into a
// Document (each line of a JSON Lines file into its own), walk resourceSpans, scopeSpans and
// spans, and collect the durations per name. Usage: compare_rapidjson FILE
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "answer.hpp"

namespace {

std::uint64_t timestamp(const rapidjson::Value& v) {
  if (v.IsString()) return std::strtoull(v.GetString(), nullptr, 10);
  return v.GetUint64();
}

void fold_document(const char* text, std::size_t size, compare::durations& by_name) {
  rapidjson::Document d;
  d.Parse(text, size);
  if (d.HasParseError()) throw std::runtime_error(rapidjson::GetParseError_En(d.GetParseError()));
  for (const auto& rs : d["resourceSpans"].GetArray())
    for (const auto& ss : rs["scopeSpans"].GetArray())
      for (const auto& sp : ss["spans"].GetArray()) {
        const rapidjson::Value& name = sp["name"];
        compare::add(by_name, std::string_view(name.GetString(), name.GetStringLength()),
                     timestamp(sp["startTimeUnixNano"]), timestamp(sp["endTimeUnixNano"]));
      }
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::fputs("usage: compare_rapidjson FILE\n", stderr);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot open ") + argv[1]);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  compare::durations by_name;
  if (compare::is_json_lines(argv[1])) {
    std::size_t at = 0;
    while (at < text.size()) {
      std::size_t eol = text.find('\n', at);
      if (eol == std::string::npos) eol = text.size();
      if (eol > at) fold_document(text.data() + at, eol - at, by_name);
      at = eol + 1;
    }
  } else {
    fold_document(text.data(), text.size(), by_name);
  }
  compare::print(by_name);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "compare_rapidjson: %s\n", e.what());
  return 1;
}
