// bench_two_threads: does a second thread double the reading speed on this machine?
//
//   bench_two_threads [ROUNDS]        (default 15; TRACEFOLD_BENCH_MB sets the dump size)
//
// The generated JSON Lines dump is cut in two at a line start. Each round reads the two
// halves one after the other on one thread, then side by side on two threads, for full
// ingest (`read_otlp_json_padded`, one trace_set per half) and for the ceiling pass (which
// allocates nothing), and prints both times and their ratio. The rounds alternate, so a
// change in the machine's speed shows up as a change between rounds, not as a bias between
// the one-thread and two-thread columns. docs/performance.md ("bench/ingest") reads a run.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <tracefold/ingest/read_otlp_json.hpp>

#include "../support/dump.hpp"
#include "ceiling.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

/// `text` copied with simdjson's 64 bytes of padding after it.
std::string padded(std::string_view text) {
  std::string s;
  s.reserve(text.size() + 64);
  s.assign(text);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 15;
  const std::string& all = tracefold::bench::lines_dump().text;
  const std::size_t cut = all.find('\n', all.size() / 2) + 1;
  const std::string first = padded(std::string_view(all).substr(0, cut));
  const std::string second = padded(std::string_view(all).substr(cut));
  const auto ingest = [](const std::string& half) {
    return tracefold::ingest::read_otlp_json_padded(half, {}).stats.spans_kept;
  };
  const auto ceiling = [](const std::string& half) {
    return tracefold::bench::ceiling_pass(half, true).spans;
  };
  std::printf("round  work     one thread ms  two threads ms  ratio\n");
  for (int r = 1; r <= rounds; ++r) {
    for (int kind = 0; kind < 2; ++kind) {
      const auto work = [&](const std::string& half) {
        return kind == 0 ? ingest(half) : ceiling(half);
      };
      auto start = clock_type::now();
      const std::uint64_t one = work(first) + work(second);
      const double serial = ms_since(start);
      std::uint64_t a = 0, b = 0;
      start = clock_type::now();
      {
        std::jthread helper([&] { b = work(second); });
        a = work(first);
      }
      const double parallel = ms_since(start);
      if (one != a + b) {
        std::fprintf(stderr, "bench_two_threads: %llu spans on one thread, %llu on two\n",
                     static_cast<unsigned long long>(one), static_cast<unsigned long long>(a + b));
        return 1;
      }
      std::printf("%5d  %-7s  %13.1f  %14.1f  %5.2f\n", r, kind == 0 ? "ingest" : "ceiling", serial,
                  parallel, serial / parallel);
    }
  }
  return 0;
}
