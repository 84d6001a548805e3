#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <support/make_traces.hpp>
#include <support/text.hpp>
#include <tracefold/emit/html_index.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/folds/trace_summary.hpp>
#include <vector>

namespace tf = tracefold;
namespace emit = tracefold::emit;
namespace folds = tracefold::folds;

namespace {

using tft::occurrences;

tf::trace_set two_traces() {
  return tft::build({
      {.trace = 1,
       .id = 1,
       .start = 1'700'000'000'000'000'000,
       .end = 1'700'000'000'250'000'000,
       .name = "GET /checkout",
       .service = "frontend"},
      {.trace = 1,
       .id = 2,
       .parent = 1,
       .start = 1'700'000'000'010'000'000,
       .end = 1'700'000'000'020'000'000,
       .name = "Charge",
       .service = "payments",
       .status = tf::status_code::error},
      {.trace = 2,
       .id = 3,
       .start = 1'700'000'001'000'000'000,
       .end = 1'700'000'001'001'500'000,
       .name = "<b>GET</b> /health & \"x\"",
       .service = "frontend"},
  });
}

}  // namespace

TEST_CASE("html_index: one row per trace, linking its SVG, with the numbers") {
  auto ts = two_traces();
  const std::string html = tf::run(emit::html_index{}, ts.traces());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(occurrences(html, "<tr><td class=\"id\">") == 2);
  CHECK(html.find("<a href=\"00000000000000000000000000000001.svg\">") != std::string::npos);
  CHECK(html.find("<a href=\"00000000000000000000000000000002.svg\">") != std::string::npos);
  CHECK(html.find("2 traces · 3 spans · 1 error span in 1 trace") != std::string::npos);
  CHECK(html.find("<span class=\"svc\">frontend</span> GET /checkout") != std::string::npos);
  CHECK(html.find("frontend, payments") != std::string::npos);
  CHECK(html.find("data-v=\"250000000\">250ms</td>") != std::string::npos);
  CHECK(html.find("<td class=\"num err\" data-v=\"1\">1</td>") != std::string::npos);
  CHECK(html.find("2023-11-14 22:13:20.000") != std::string::npos);  // 1.7e9 s after the epoch, UTC
  // Untrusted names are escaped.
  CHECK(html.find("<b>GET") == std::string::npos);
  CHECK(html.find("&lt;b&gt;GET&lt;/b&gt; /health &amp; &quot;x&quot;") != std::string::npos);
  // Nothing outside the page: no external script, style sheet or image.
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("http") == std::string::npos);
}

TEST_CASE("html_index: options, merge and summaries collected elsewhere") {
  auto ts = two_traces();
  emit::html_index plain{{.title = "Batch <1>", .link_prefix = "svg/", .link_suffix = ".svg"}};
  const std::string html = tf::run(plain, ts.traces());
  CHECK(html.find("<title>Batch &lt;1&gt;</title>") != std::string::npos);
  CHECK(html.find("href=\"svg/00000000000000000000000000000001.svg\"") != std::string::npos);
  emit::html_index unlinked{{.links = false}};
  CHECK(tf::run(unlinked, ts.traces()).find("<a ") == std::string::npos);
  std::vector<folds::trace_summary> sums;
  for (const tf::trace& t : ts.traces()) sums.push_back(folds::summarize(t));
  CHECK(emit::to_html_index(sums, plain.options) == html);
  CHECK(tf::run_parallel(plain, ts.traces(), 2) == html);
  CHECK(emit::to_html_index({}).find("0 traces · 0 spans") != std::string::npos);
}
