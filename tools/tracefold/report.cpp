#include "report.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace tracefold::cli {

std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back((c < 0x20 && c != '\t') || c == 0x7F ? '?' : static_cast<char>(c));
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence; anything malformed becomes U+FFFD.
    std::size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    char32_t cp = len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
    bool good = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; good && k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      good = (d & 0xC0) == 0x80;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if (good) {
      const char32_t lowest = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
      good = cp >= lowest && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (!good) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    const bool c1 = cp >= 0x80 && cp <= 0x9F;
    const bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
                      cp == 0x200E || cp == 0x200F || cp == 0x061C;
    if (c1 || bidi)
      out.push_back('?');
    else
      out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

void reporter::line(std::string_view text) {
  // One fwrite per line, under the lock, so lines from threads never interleave.
  std::string l = terminal_safe(text);
  l.push_back('\n');
  std::fwrite(l.data(), 1, l.size(), stderr);
}

reporter::printed reporter::print(std::span<const diagnostic> diagnostics) {
  printed p;
  std::size_t shown = 0;
  for (const diagnostic& d : diagnostics) {
    const bool is_error = d.severity == severity::error;
    if (is_error) {
      ++p.errors;
      if (p.first_error == nullptr) p.first_error = &d;
    }
    if (!is_error && quiet_) continue;
    if (max_ != 0 && shown >= max_) {
      ++p.hidden;
      continue;
    }
    ++shown;
    line(to_string(d));
  }
  return p;
}

bool reporter::input_done(std::string_view name, std::span<const diagnostic> diagnostics,
                          const ingest::read_stats& stats, bool complete) {
  const std::lock_guard lock(m_);
  const auto [errors, hidden, first_error] = print(diagnostics);
  if (hidden != 0)
    line(fmt::format("tracefold: {}: {} more diagnostics not shown (--max-diagnostics 0 shows all)",
                     name, grouped(hidden)));
  if (stats.spans_rejected != 0 || errors != 0 || !complete) {
    std::string s = fmt::format("tracefold: {}: {} spans read, {} kept, {} rejected", name,
                                grouped(stats.spans_read), grouped(stats.spans_kept),
                                grouped(stats.spans_rejected));
    if (stats.documents_failed != 0)
      s += fmt::format("; {} lines or documents not JSON", grouped(stats.documents_failed));
    if (errors != 0) {
      s += fmt::format("; {} error{}", grouped(errors), errors == 1 ? "" : "s");
      if (first_error != nullptr && first_error->line != 0)
        s += fmt::format(", the first at {}:{}:{}", first_error->file, first_error->line,
                         first_error->column);
    }
    if (!complete) s += "; the read stopped early";
    line(s);
  }
  if (errors != 0 || !complete) ++errors_;
  return errors == 0 && complete;
}

void reporter::diagnostics(std::span<const diagnostic> diagnostics) {
  const std::lock_guard lock(m_);
  if (print(diagnostics).errors != 0) ++errors_;
}

void reporter::error(std::string_view message) {
  const std::lock_guard lock(m_);
  ++errors_;
  line(fmt::format("tracefold: error: {}", message));
}

void reporter::warning(std::string_view message) {
  if (quiet_) return;
  const std::lock_guard lock(m_);
  line(fmt::format("tracefold: warning: {}", message));
}

void reporter::note(std::string_view message) {
  if (quiet_) return;
  const std::lock_guard lock(m_);
  line(fmt::format("tracefold: {}", message));
}

std::size_t reporter::errors() const {
  const std::lock_guard lock(m_);
  return errors_;
}

}  // namespace tracefold::cli
