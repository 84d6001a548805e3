// bench/compare ceiling: the least work that answers the question with simdjson On-Demand.
// Reads only name, startTimeUnixNano and endTimeUnixNano of each span (one OTLP-JSON
// document, or JSON Lines with one document per line), keeps the durations per name, then
// sorts and ranks. A document is mapped (no copy) when the page after its end leaves room
// for simdjson's padding, else loaded; JSON Lines are read in 4 MiB windows into one reused
// buffer, so no fresh memory is faulted in per megabyte of input.
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

/// Folds every complete line of a JSON Lines file, window by window.
void fold_lines(const char* path, od::parser& parser, compare::durations& by_name) {
  std::FILE* f = std::fopen(path, "rb");
  if (f == nullptr) throw std::runtime_error(std::string("cannot open ") + path);
  std::size_t window = std::size_t{4} << 20;
  std::vector<char> buf(window + simdjson::SIMDJSON_PADDING);
  std::size_t held = 0;  // bytes of an incomplete last line carried over
  for (;;) {
    const std::size_t got = std::fread(buf.data() + held, 1, window - held, f);
    const std::size_t size = held + got;
    const bool at_end = got < window - held;
    std::size_t complete = size;
    if (!at_end) {
      const void* nl = memrchr(buf.data(), '\n', size);
      if (nl == nullptr) {  // one line longer than the window: grow it
        window *= 2;
        buf.resize(window + simdjson::SIMDJSON_PADDING);
        held = size;
        continue;
      }
      complete = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) + 1;
    }
    if (complete > 0) {
      od::document_stream docs =
          parser.iterate_many(buf.data(), complete, std::max(complete, std::size_t{1} << 20))
              .value();
      for (auto doc : docs) fold_document(doc.get_value().value(), by_name);
    }
    if (at_end) break;
    held = size - complete;
    std::memmove(buf.data(), buf.data() + complete, held);
  }
  std::fclose(f);
}

/// Folds one document, mapped when the padding fits in its last page, else loaded.
void fold_whole(const char* path, od::parser& parser, compare::durations& by_name) {
  const int fd = ::open(path, O_RDONLY);
  if (fd < 0) throw std::runtime_error(std::string("cannot open ") + path);
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<std::size_t>(st.st_size);
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t slack = (page - size % page) % page;
  if (size > 0 && slack >= simdjson::SIMDJSON_PADDING) {
    void* p = ::mmap(nullptr, size + slack, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) throw std::runtime_error("mmap failed");
    od::document doc =
        parser
            .iterate(simdjson::padded_string_view(static_cast<const char*>(p), size, size + slack))
            .value();
    fold_document(doc.get_value().value(), by_name);
    ::munmap(p, size + slack);
  } else {
    const simdjson::padded_string text = simdjson::padded_string::load(path).value();
    od::document doc = parser.iterate(text).value();
    fold_document(doc.get_value().value(), by_name);
  }
  ::close(fd);
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
