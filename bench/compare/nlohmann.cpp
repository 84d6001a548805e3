// bench/compare with nlohmann::json, the way a user writes it: parse the whole file (or each
// line of a JSON Lines file) into a json value, walk resourceSpans, scopeSpans and spans,
// and collect the durations per name. Usage: compare_nlohmann FILE
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "answer.hpp"

namespace {

std::uint64_t timestamp(const nlohmann::json& v) {
  if (v.is_string()) return std::stoull(v.get<std::string>());
  return v.get<std::uint64_t>();
}

void fold_document(const nlohmann::json& doc, compare::durations& by_name) {
  for (const auto& rs : doc.at("resourceSpans"))
    for (const auto& ss : rs.at("scopeSpans"))
      for (const auto& sp : ss.at("spans"))
        compare::add(by_name, sp.at("name").get<std::string>(),
                     timestamp(sp.at("startTimeUnixNano")), timestamp(sp.at("endTimeUnixNano")));
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::fputs("usage: compare_nlohmann FILE\n", stderr);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot open ") + argv[1]);
  compare::durations by_name;
  if (compare::is_json_lines(argv[1])) {
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) fold_document(nlohmann::json::parse(line), by_name);
  } else {
    fold_document(nlohmann::json::parse(in), by_name);
  }
  compare::print(by_name);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "compare_nlohmann: %s\n", e.what());
  return 1;
}
