// Golden tests for the OTLP-JSON reader: every test/golden/ingest/<case>.json[l] is read in
// lenient and in strict mode, rendered canonically (render.hpp), and compared with
// <case>.expected. TRACEFOLD_UPDATE_GOLDEN=1 rewrites the expected files instead; read every
// file it writes before committing it.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <tracefold/ingest/read_otlp_json.hpp>

#include "ingest/render.hpp"
#include "support/text.hpp"

namespace fs = std::filesystem;
using namespace tracefold;

namespace {

using tft::slurp;

/// The expected text of one case: both modes, each read through `read_file` under the
/// file's base name, so the text does not depend on where the tree is checked out.
std::string run_case(const fs::path& input) {
  std::string out;
  for (ingest::read_mode mode : {ingest::read_mode::lenient, ingest::read_mode::strict}) {
    ingest::read_options opt;
    opt.mode = mode;
    opt.source_name = input.filename().string();
    out += mode == ingest::read_mode::lenient ? "== lenient\n" : "== strict\n";
    out += tft::render(ingest::read_file(input, opt));
  }
  return out;
}

/// First line where `a` and `b` differ, for a readable failure.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string la, lb;
  for (int n = 1;; ++n) {
    const bool ga = static_cast<bool>(std::getline(x, la));
    const bool gb = static_cast<bool>(std::getline(y, lb));
    if (!ga && !gb) return "no difference";
    if (!ga || !gb || la != lb)
      return "line " + std::to_string(n) + ":\n  got:      " + (ga ? la : "<end>") +
             "\n  expected: " + (gb ? lb : "<end>");
  }
}

}  // namespace

TEST_CASE("golden: every ingest case matches its .expected file") {
  const bool update = [] {
    const char* e = std::getenv("TRACEFOLD_UPDATE_GOLDEN");
    return e != nullptr && std::string_view(e) == "1";
  }();
  const auto inputs = tft::golden_inputs();
  REQUIRE(inputs.size() >= 40);
  for (const fs::path& input : inputs) {
    fs::path expected_path = input;
    expected_path.replace_extension(".expected");
    const std::string actual = run_case(input);
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    CAPTURE(input.filename().string());
    REQUIRE_MESSAGE(fs::exists(expected_path),
                    "no " << expected_path.filename().string()
                          << ": run with TRACEFOLD_UPDATE_GOLDEN=1 and review it");
    const std::string expected = slurp(expected_path);
    CHECK_MESSAGE(actual == expected, first_difference(actual, expected));
  }
}

TEST_CASE("golden: every .expected file has an input") {
  for (const auto& e : fs::directory_iterator(tft::golden_dir())) {
    if (e.path().extension() != ".expected") continue;
    fs::path json = e.path(), jsonl = e.path();
    json.replace_extension(".json");
    jsonl.replace_extension(".jsonl");
    CAPTURE(e.path().filename().string());
    CHECK((fs::exists(json) || fs::exists(jsonl)));
  }
}
