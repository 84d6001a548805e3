// bench/compare ceiling: the least work that answers the question with simdjson On-Demand.
// Reads only name, startTimeUnixNano and endTimeUnixNano of each span (one OTLP-JSON
// document, or JSON Lines with one document per line), keeps the durations per name, then
// sorts and ranks. The file is mapped (no copy), with a zero page after it as simdjson's
// padding; JSON Lines are parsed with iterate_many in batches of 4 MiB.
// Usage: compare_ceiling FILE
#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "answer.hpp"

namespace od = simdjson::ondemand;

namespace {

/// A timestamp: a decimal string (protobuf's JSON mapping of fixed64) or a number.
std::uint64_t timestamp(od::value v) {
  std::string_view s;
  if (v.get_string().get(s) == simdjson::SUCCESS) {
    std::uint64_t x = 0;
    std::from_chars(s.data(), s.data() + s.size(), x);
    return x;
  }
  return v.get_uint64().value();
}

void fold_document(od::value root, compare::durations& by_name) {
  for (od::value rs : root.find_field_unordered("resourceSpans").get_array()) {
    for (od::value ss : rs.find_field_unordered("scopeSpans").get_array()) {
      for (od::value sp : ss.find_field_unordered("spans").get_array()) {
        std::string_view name;
        std::uint64_t start = 0, end = 0;
        for (od::field f : sp.get_object()) {
          const std::string_view key = f.unescaped_key().value();
          if (key == "name") {
            name = f.value().get_string().value();
          } else if (key == "startTimeUnixNano") {
            start = timestamp(f.value());
          } else if (key == "endTimeUnixNano") {
            end = timestamp(f.value());
          }
        }
        compare::add(by_name, name, start, end);
      }
    }
  }
}

/// A file mapped read-only where the kernel caches it (no copy), followed by a zero page:
/// simdjson's padding. The file is mapped over the start of an anonymous area one page larger.
struct mapped {
  const char* data = nullptr;
  std::size_t size = 0;
  std::size_t total = 0;
  explicit mapped(const char* path) {
    const int fd = ::open(path, O_RDONLY);
    if (fd < 0) throw std::runtime_error(std::string("cannot open ") + path);
    struct stat st {};
    ::fstat(fd, &st);
    size = static_cast<std::size_t>(st.st_size);
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    total = (size + page - 1) / page * page + page;
    void* area = ::mmap(nullptr, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) throw std::runtime_error("mmap failed");
    if (size > 0 &&
        ::mmap(area, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) == MAP_FAILED)
      throw std::runtime_error("mmap failed");
    ::close(fd);
    data = static_cast<const char*>(area);
  }
  mapped(const mapped&) = delete;
  mapped& operator=(const mapped&) = delete;
  ~mapped() { ::munmap(const_cast<char*>(data), total); }
};

/// Folds every line of a JSON Lines file, mapped, in batches of at least 4 MiB.
void fold_lines(const char* path, od::parser& parser, compare::durations& by_name) {
  const mapped m(path);
  if (m.size == 0) return;
  od::document_stream docs = parser.iterate_many(m.data, m.size, std::size_t{4} << 20).value();
  for (auto doc : docs) fold_document(doc.get_value().value(), by_name);
}

/// Folds one document, mapped.
void fold_whole(const char* path, od::parser& parser, compare::durations& by_name) {
  const mapped m(path);
  od::document doc = parser.iterate(simdjson::padded_string_view(m.data, m.size, m.total)).value();
  fold_document(doc.get_value().value(), by_name);
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::fputs("usage: compare_ceiling FILE\n", stderr);
    return 2;
  }
  compare::durations by_name;
  od::parser parser;
  if (compare::is_json_lines(argv[1])) {
    fold_lines(argv[1], parser, by_name);
  } else {
    fold_whole(argv[1], parser, by_name);
  }
  compare::print(by_name);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "compare_ceiling: %s\n", e.what());
  return 1;
}
