// Unit tests of ingest::line_windows and ingest::read_window: windows are whole lines that
// put the input back together byte for byte, carry their offsets and line numbers, and read
// with diagnostics at whole-file positions.
#include <doctest/doctest.h>

#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <support/text.hpp>
#include <tracefold/ingest/line_windows.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>
#include <vector>

#include "ingest/render.hpp"
#include "support/temp_file.hpp"

namespace fs = std::filesystem;
using namespace tracefold;

namespace {

using tft::temp_file;

std::vector<ingest::line_window> all_windows(ingest::line_windows& in) {
  std::vector<ingest::line_window> out;
  while (auto w = in.next()) out.push_back(std::move(*w));
  return out;
}

/// Checks the windows of `text` read `window` bytes at a time, from the file or
/// through a `FILE*` (a stream): they are whole lines, put the text back together, say where
/// they start, and are followed by readable padding (the input's next bytes, or zeros).
void check_windows(const std::string& text, std::size_t window, bool stream = false) {
  CAPTURE(window);
  CAPTURE(stream);
  std::size_t longest = 0;
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t nl = std::min(text.find('\n', at), text.size());
    longest = std::max(longest, nl - at + 1);
    at = nl + 1;
  }
  const temp_file f(text);
  std::FILE* file = stream ? std::fopen(f.path().c_str(), "rb") : nullptr;
  if (stream) REQUIRE(file != nullptr);
  std::optional<ingest::line_windows> source;
  if (stream)
    source.emplace(file, "s", window);
  else
    source.emplace(f.path(), window);
  ingest::line_windows& in = *source;
  const auto ws = all_windows(in);
  CHECK(!in.error());
  CHECK(in.bytes_read() == text.size());
  CHECK(!in.next());  // stays at the end
  std::string joined;
  std::uint64_t line = 1;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    const ingest::line_window& w = ws[i];
    CAPTURE(i);
    CHECK(w.offset == joined.size());
    CHECK(w.line == line);
    if (i + 1 < ws.size()) {
      REQUIRE(w.size > 0);
      CHECK(w.text().back() == '\n');
    }
    // A window is at most a window's bytes plus the rest of a line longer than that (a
    // stream: the carried partial line plus a window, doubling to finish a long line).
    CHECK(w.size < 2 * window + 2 * longest);
    for (std::size_t k = 0; k < ingest::window_padding; ++k) CHECK(w.data[w.size + k] == '\0');
    joined += w.text();
    line += static_cast<std::uint64_t>(std::count(w.text().begin(), w.text().end(), '\n'));
  }
  CHECK(joined == text);
  source.reset();
  if (file != nullptr) CHECK(std::fclose(file) == 0);
  // The windows keep what they point into alive: they outlive their source.
  std::string again;
  for (const auto& w : ws) again += w.text();
  CHECK(again == text);
}

}  // namespace

TEST_CASE("line_windows cut an input into whole lines that put it back together") {
  std::string long_line(10'000, 'x');
  const std::vector<std::string> texts = {
      "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n",
      "{\"a\":1}\n{\"b\":2}\n{\"c\":3}",  // no newline at the end
      "short\n" + long_line + "\nshort again\n" + long_line,
      "\n\n  \n{}\n\n",
      "a\r\nb\r\n",
      std::string(5000, '\n'),
  };
  for (const std::string& text : texts)
    for (std::size_t window :
         {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{4096}, std::size_t{1} << 20})
      for (bool stream : {false, true}) check_windows(text, window, stream);
}

TEST_CASE("windows of 2 MiB and more are read into reused huge-page blocks, whole and zero-padded") {
  // Lines of many lengths, one longer than two windows (the buffer grows), read with 2 MiB
  // windows: each window is checked and dropped before the next is read, so later windows
  // are read into blocks an earlier window left its bytes in.
  constexpr std::size_t window = std::size_t{2} << 20;
  std::string text;
  std::uint64_t x = 12345;
  while (text.size() < 9 * window) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    const std::size_t n = text.size() > 3 * window && text.size() < 4 * window
                              ? 5 * window  // one very long line
                              : static_cast<std::size_t>(x >> 50);  // up to 16 KiB
    text.append(n, static_cast<char>('a' + (x >> 40) % 26));
    text.push_back('\n');
  }
  for (bool stream : {false, true}) {
    CAPTURE(stream);
    const temp_file f(text);
    std::FILE* file = stream ? std::fopen(f.path().c_str(), "rb") : nullptr;
    std::optional<ingest::line_windows> source;
    if (stream)
      source.emplace(file, "-", window);
    else
      source.emplace(f.path(), window);
    std::uint64_t offset = 0;
    std::uint64_t line = 1;
    std::size_t windows = 0;
    while (auto w = source->next()) {
      CAPTURE(windows);
      REQUIRE(w->offset == offset);
      REQUIRE(w->offset + w->size <= text.size());
      CHECK(w->line == line);
      CHECK(w->text() == std::string_view(text).substr(offset, w->size));
      CHECK(w->text().back() == '\n');
      CHECK(w->size <= 6 * window);
      bool zeros = true;
      for (std::size_t k = 0; k < ingest::window_padding; ++k) zeros = zeros && w->data[w->size + k] == 0;
      CHECK(zeros);
      offset += w->size;
      line += static_cast<std::uint64_t>(std::count(w->text().begin(), w->text().end(), '\n'));
      ++windows;
    }
    CHECK(offset == text.size());
    CHECK(windows >= 5);
    CHECK_FALSE(source->error());
    source.reset();
    if (file != nullptr) CHECK(std::fclose(file) == 0);
  }
}

TEST_CASE("without line counting windows carry line 0 and read_window counts their newlines") {
  const std::string ok = R"({"resourceSpans":[]})";
  // Line 4 is broken: read_window reports it at its line within the window.
  const std::string text = ok + "\n" + ok + "\n\n{\"resourceSpans\":[nope\n" + ok + "\n";
  const temp_file f(text);
  ingest::line_windows in(f.path(), 1);
  CHECK(in.counts_lines());
  CHECK(in.next_line() == 1);
  auto first = in.next();
  REQUIRE(first);
  CHECK(first->line == 1);
  CHECK(in.next_line() == 2);
  in.set_count_lines(false);
  CHECK_FALSE(in.counts_lines());
  std::uint64_t before = 1;  // newlines before the window
  bool found = false;
  while (auto w = in.next()) {
    CHECK(w->line == 0);
    CHECK(in.next_line() == 2);  // frozen
    std::uint64_t newlines = 99;
    const auto r = ingest::read_window(*w, {.source_name = "t.jsonl"}, &newlines);
    CHECK(newlines == static_cast<std::uint64_t>(std::count(w->text().begin(), w->text().end(), '\n')));
    for (const diagnostic& d : r.diagnostics()) {
      CHECK(d.line == 1);  // counted from the window's first line
      CHECK(before + d.line == 4);
      found = true;
    }
    before += newlines;
  }
  CHECK(found);
  CHECK(before == 5);
}

TEST_CASE("an empty input gives one empty window marked blank_input") {
  const temp_file f("");
  ingest::line_windows in(f.path(), 16);
  auto ws = all_windows(in);
  REQUIRE(ws.size() == 1);
  CHECK(ws[0].size == 0);
  CHECK(ws[0].blank_input);
  const auto r = ingest::read_window(ws[0], {.source_name = "e.jsonl"});
  REQUIRE(r.diagnostics().size() == 1);
  CHECK(r.diagnostics()[0].code == diagnostic_code::empty_input);
  CHECK(r.complete);
}

TEST_CASE("only the last window of an input of whitespace is marked blank_input") {
  const std::string text(100, '\n');
  const temp_file f(text);
  ingest::line_windows in(f.path(), 16);
  const auto ws = all_windows(in);
  REQUIRE(ws.size() > 1);
  for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
    CHECK_FALSE(ws[i].blank_input);
    const auto r = ingest::read_window(ws[i], {});
    CHECK(r.diagnostics().empty());  // whitespace reads as nothing
    CHECK(r.stats.bytes == ws[i].size);
  }
  CHECK(ws.back().blank_input);
  // The same diagnostics as read_file, at the same position.
  const auto whole = ingest::read_file(f.path(), {.source_name = "ws.jsonl", .stream_window = 16});
  const auto last = ingest::read_window(ws.back(), {.source_name = "ws.jsonl"});
  REQUIRE(last.diagnostics().size() == 1);
  REQUIRE(whole.diagnostics().size() == 1);
  CHECK(to_string(last.diagnostics()[0]) == to_string(whole.diagnostics()[0]));
  CHECK(last.diagnostics()[0].byte_offset == whole.diagnostics()[0].byte_offset);
}

TEST_CASE("a window after content that holds only whitespace is not blank_input") {
  const temp_file f("{}\n" + std::string(100, ' ') + "\n");
  ingest::line_windows in(f.path(), 8);
  const auto ws = all_windows(in);
  REQUIRE(ws.size() >= 2);
  for (const auto& w : ws) CHECK_FALSE(w.blank_input);
}

TEST_CASE("line_windows report a missing file, a directory and a stream") {
  SUBCASE("missing") {
    ingest::line_windows in(fs::path("/nonexistent/dir/x.jsonl"));
    CHECK(in.name() == "/nonexistent/dir/x.jsonl");
    CHECK_FALSE(in.next());
    REQUIRE(in.error());
    CHECK(in.error()->code == diagnostic_code::io_error);
    CHECK(in.error()->severity == severity::error);
    CHECK(in.error()->file == "/nonexistent/dir/x.jsonl");
    CHECK(in.error()->message.find("no such file") != std::string::npos);
  }
  SUBCASE("directory") {
    ingest::line_windows in(fs::temp_directory_path(), 64, "dir");
    CHECK(in.name() == "dir");
    CHECK_FALSE(in.next());
    REQUIRE(in.error());
    CHECK(in.error()->file == "dir");
    CHECK(in.error()->message.find("directory") != std::string::npos);
  }
  SUBCASE("a FILE* the caller owns, named as told") {
    const temp_file f("{}\n{}\n");
    std::FILE* file = std::fopen(f.path().c_str(), "rb");
    REQUIRE(file != nullptr);
    {
      ingest::line_windows in(file, "-", 3);
      const auto ws = all_windows(in);
      CHECK(in.name() == "-");
      CHECK(ws.size() == 2);
      CHECK(in.bytes_read() == 6);
    }
    CHECK(std::fclose(file) == 0);  // still open: line_windows did not close it
  }
  SUBCASE("a read error") {
    // Reading a FILE* opened for writing only fails.
    const temp_file f("{}\n");
    std::FILE* file = std::fopen(f.path().c_str(), "ab");
    REQUIRE(file != nullptr);
    {
      ingest::line_windows in(file, "w.jsonl", 16);
      while (in.next()) {
      }
      REQUIRE(in.error());
      CHECK(in.error()->code == diagnostic_code::io_error);
      CHECK(in.error()->message == "read error");
    }
    std::fclose(file);
  }
}

TEST_CASE("set_window_bytes applies to the windows read after it") {
  const temp_file f(std::string(20, 'a') + "\n" + std::string(20, 'b') + "\n" +
                    std::string(20, 'c') + "\n");
  ingest::line_windows in(f.path(), 1);
  CHECK(in.window_bytes() == 1);
  const auto first = in.next();
  REQUIRE(first);
  CHECK(first->size == 21);  // one line
  in.set_window_bytes(1000);
  CHECK(in.window_bytes() == 1000);
  const auto second = in.next();
  REQUIRE(second);
  CHECK(second->size == 42);  // the rest
  CHECK(second->line == 2);
  CHECK_FALSE(in.next());
  in.set_window_bytes(0);
  CHECK(in.window_bytes() == 1);
}

TEST_CASE("read_window gives the reader diagnostics read_file gives, at file positions") {
  // Every golden JSON Lines input, windows of one line and of a few lines: the windows'
  // reader diagnostics, in order, are read_file's; counts add up to read_file's.
  std::size_t files = 0;
  for (const auto& path : tft::golden_inputs()) {
    if (path.extension() != ".jsonl") continue;
    CAPTURE(path.string());
    const auto whole = ingest::read_file(path, {.source_name = "g.jsonl"});
    std::vector<std::string> expected;
    for (const diagnostic& d : whole.diagnostics())
      if (d.line != 0 || d.code == diagnostic_code::empty_input) expected.push_back(to_string(d));
    for (std::size_t window : {std::size_t{1}, std::size_t{200}}) {
      CAPTURE(window);
      ingest::line_windows in(path, window);
      ingest::read_stats stats;
      std::vector<std::string> got;
      std::size_t windows = 0;
      while (auto w = in.next()) {
        const auto r = ingest::read_window(*w, {.source_name = "g.jsonl"});
        CHECK(r.complete);
        stats += r.stats;
        for (const diagnostic& d : r.diagnostics())
          if (d.line != 0 || d.code == diagnostic_code::empty_input) got.push_back(to_string(d));
        ++windows;
      }
      CHECK(windows >= 1);
      CHECK(stats.bytes == whole.stats.bytes);
      CHECK(stats.spans_read == whole.stats.spans_read);
      CHECK(stats.spans_kept == whole.stats.spans_kept);
      CHECK(stats.spans_rejected == whole.stats.spans_rejected);
      CHECK(stats.documents == whole.stats.documents);
      CHECK(stats.documents_failed == whole.stats.documents_failed);
      CHECK(got == expected);
    }
    ++files;
  }
  CHECK(files >= 5);
}

TEST_CASE("read_window in strict mode stops at the first error") {
  const std::string text =
      "{\"resourceSpans\":[]}\n{\"resourceSpans\": 5}\n{\"resourceSpans\": 6}\n";
  const temp_file f(text);
  ingest::line_windows in(f.path(), 1 << 20);
  const auto w = in.next();
  REQUIRE(w);
  const auto lenient = ingest::read_window(*w, {.source_name = "s.jsonl"});
  CHECK(lenient.complete);
  CHECK(lenient.error_count() == 2);
  const auto strict =
      ingest::read_window(*w, {.mode = ingest::read_mode::strict, .source_name = "s.jsonl"});
  CHECK_FALSE(strict.complete);
  REQUIRE(strict.error_count() == 1);
  CHECK(strict.diagnostics()[0].line == 2);
  CHECK(to_string(strict.diagnostics()[0]).rfind("s.jsonl:2:", 0) == 0);
}
