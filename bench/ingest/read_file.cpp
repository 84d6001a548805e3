// Whole-process measurement of ingest::read_file: wall time, peak resident memory and page
// faults for reading one file, as an operator's run would see them.
//
//   bench_read_file FILE [threads]        read FILE, print one line of measurements
//   bench_read_file --generate MB FILE    write a generated dump (JSON Lines when FILE ends
//                                         in .jsonl) of about MB megabytes to FILE
//
// Peak memory is getrusage's ru_maxrss (the process's high-water mark, input buffers
// included); the ratio divides it by the file size.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <tracefold/emit/atomic_file.hpp>
#include <tracefold/emit/generate.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>

namespace {

int generate(const char* mb, const std::filesystem::path& path) {
  tracefold::emit::generate_options o;
  o.target_bytes = std::strtoull(mb, nullptr, 10) * 1'000'000;
  o.seed = 1;
  o.format.layout = path.extension() == ".jsonl" ? tracefold::emit::otlp_layout::lines
                                                 : tracefold::emit::otlp_layout::document;
  tracefold::emit::atomic_file out(path);
  const auto info = tracefold::emit::generate_otlp(o, [&](std::string_view c) { out.write(c); });
  out.commit();
  std::printf("wrote %s: %llu bytes, %llu spans, %llu traces\n", path.c_str(),
              static_cast<unsigned long long>(info.bytes),
              static_cast<unsigned long long>(info.spans),
              static_cast<unsigned long long>(info.traces));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--generate") return generate(argv[2], argv[3]);
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s FILE [threads] | --generate MB FILE\n", argv[0]);
    return 2;
  }
  const std::filesystem::path path = argv[1];
  tracefold::ingest::read_options options;
  options.threads = argc == 3 ? static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)) : 1;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = tracefold::ingest::read_file(path, options);
  const auto t1 = std::chrono::steady_clock::now();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double bytes = static_cast<double>(std::filesystem::file_size(path));
  const double secs = std::chrono::duration<double>(t1 - t0).count();
  const double peak = static_cast<double>(ru.ru_maxrss) * 1024.0;
  std::printf(
      "%s threads=%u spans=%llu kept=%llu errors=%zu time=%.3fs MB/s=%.0f peak_rss=%.1fMB "
      "peak/input=%.3f minor_faults=%ld\n",
      path.c_str(), options.threads, static_cast<unsigned long long>(r.stats.spans_read),
      static_cast<unsigned long long>(r.stats.spans_kept), r.error_count(), secs,
      bytes / secs / 1e6, peak / 1e6, peak / bytes, ru.ru_minflt);
  return r.ok() ? 0 : 1;
}
