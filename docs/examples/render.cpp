// Pictures of a batch of traces in one pass: an SVG waterfall per trace, written to files as
// it is drawn, and an index.html linking them, as the product of two folds.
//
//   example_render [DUMP [OUT_DIR]]
//
// Without arguments it draws a generated dump into a temporary directory and checks its own
// answers (it is built and run as a test, docs/examples/meson.build).
#include <cstdio>
#include <filesystem>
#include <string>
#include <tracefold/tracefold.hpp>

namespace tf = tracefold;
namespace emit = tracefold::emit;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  tf::trace_set ts;
  if (argc > 1) {
    ts = tf::ingest::read_file(argv[1]).value();
  } else {
    emit::generate_options gen;  // eight services, errors, a very deep and a very wide trace
    gen.target_bytes = 1'000'000;
    gen.extreme_shapes = true;
    std::string dump;
    emit::generate_otlp(gen, [&](std::string_view chunk) { dump += chunk; });
    ts = tf::ingest::read_otlp_json(dump).value();
  }
  const fs::path out =
      argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / "tracefold-render";
  fs::create_directories(out);

  // Each picture goes to <trace id>.svg as soon as it is drawn; files appear whole or not at all.
  const emit::svg_waterfall pictures{{.max_rows = 5000},
                                     [&](const tf::trace& t, std::string_view svg) {
                                       emit::atomic_file f(out / (t.id().to_hex() + ".svg"));
                                       f.write(svg);
                                       f.commit();
                                     }};
  const emit::html_index index{{.title = "Traces"}};
  const auto [drawn, page] = tf::run(tf::product(pictures, index), ts.traces());

  emit::atomic_file f(out / "index.html");
  f.write(page);
  f.commit();
  std::printf("%llu traces, %llu spans drawn into %s (open index.html)\n",
              static_cast<unsigned long long>(drawn.traces),
              static_cast<unsigned long long>(drawn.spans), out.c_str());

  // Its own answers: a picture per trace, each linked from the index.
  bool ok = drawn.traces == ts.trace_count() && drawn.pictures.empty();
  for (const tf::trace& t : ts.traces()) {
    const std::string name = t.id().to_hex() + ".svg";
    ok = ok && fs::exists(out / name) && page.find("href=\"" + name + "\"") != std::string::npos;
  }
  if (argc <= 2) fs::remove_all(out);
  if (!ok) std::puts("wrong: a picture is missing or not linked");
  return ok ? 0 : 1;
}
