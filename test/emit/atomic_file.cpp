#include <doctest/doctest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tracefold/emit/atomic_file.hpp>
#include "support/text.hpp"

namespace fs = std::filesystem;

namespace {
fs::path fresh_dir() {
  fs::path d = fs::temp_directory_path() / ("tracefold-atomic-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
using tft::slurp;
std::size_t entries(const fs::path& d) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(d), fs::directory_iterator()));
}
}  // namespace

TEST_CASE("nothing appears at the path until commit") {
  const fs::path d = fresh_dir();
  const fs::path out = d / "out.json";
  {
    tracefold::emit::atomic_file f(out);
    f.write("hello ");
    f.write("world");
    CHECK_FALSE(fs::exists(out));
    CHECK(fs::exists(f.temporary_path()));
    f.commit();
  }
  CHECK(slurp(out) == "hello world");
  CHECK(entries(d) == 1);
  fs::remove_all(d);
}

TEST_CASE("an uncommitted file leaves no trace and keeps an older file intact") {
  const fs::path d = fresh_dir();
  const fs::path out = d / "out.json";
  { std::ofstream(out) << "old"; }
  {
    tracefold::emit::atomic_file f(out);
    f.write("partial");
  }
  CHECK(slurp(out) == "old");
  CHECK(entries(d) == 1);
  fs::remove_all(d);
}

TEST_CASE("a file in a missing directory is an error naming the path") {
  const fs::path bad = fs::temp_directory_path() / "tracefold-no-such-dir-xyz" / "out.json";
  try {
    tracefold::emit::atomic_file f(bad);
    FAIL("expected an error");
  } catch (const fs::filesystem_error& e) {
    CHECK(std::string(e.what()).find("tracefold-no-such-dir-xyz") != std::string::npos);
  }
}

TEST_CASE("without sync, commit still puts the whole file in place and leaves no temporary") {
  const fs::path dir = fresh_dir();
  const fs::path p = dir / "pic.svg";
  {
    tracefold::emit::atomic_file f(p, false);
    f.write("<svg/>");
    CHECK(!fs::exists(p));
    f.commit();
  }
  CHECK(slurp(p) == "<svg/>");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}
