#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <tracefold/emit/html_index.hpp>
#include <tracefold/emit/red_text.hpp>

#include "xml_out.hpp"

namespace tracefold::emit {

namespace {

/// Appends a time since the epoch as "2026-11-21 12:34:56.789" (UTC, milliseconds).
void append_utc(std::string& out, std::uint64_t unix_nano) {
  const auto secs = static_cast<std::time_t>(unix_nano / 1'000'000'000);
  std::tm tm{};
  if (gmtime_r(&secs, &tm) == nullptr) {
    out += "?";
    return;
  }
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  out.append(buf, n);
  const std::uint64_t ms = unix_nano / 1'000'000 % 1000;
  out.push_back('.');
  out.push_back(static_cast<char>('0' + ms / 100));
  out.push_back(static_cast<char>('0' + ms / 10 % 10));
  out.push_back(static_cast<char>('0' + ms % 10));
}

/// Appends a `<td data-v="n">text</td>` cell that sorts by number.
void number_cell(std::string& out, std::uint64_t v, std::string_view text, bool alarm = false) {
  out += alarm ? "<td class=\"num err\" data-v=\"" : "<td class=\"num\" data-v=\"";
  detail::append_uint(out, v);
  out += "\">";
  out += text;
  out += "</td>";
}

constexpr std::string_view style =
    "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;margin:24px;color:#222}"
    "h1{font-size:20px;margin:0 0 4px}p.sum{color:#555;margin:0 0 16px}"
    "table{border-collapse:collapse;font-size:13px}"
    "th,td{padding:4px 10px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}"
    "th{background:#f3f5f8;cursor:pointer;user-select:none;white-space:nowrap}"
    "th[aria-sort=ascending]::after{content:' \\25B2'}"
    "th[aria-sort=descending]::after{content:' \\25BC'}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}td.err{color:#c00;font-weight:bold}"
    "td.id{font-family:'DejaVu Sans Mono',monospace}tr:hover td{background:#f7f9fb}"
    ".svc{font-weight:bold}.orph{color:#a60}";

// Sorts the table by a clicked column: numbers by data-v, text by content; a second click
// reverses. Written for this page.
constexpr std::string_view script =
    "document.querySelectorAll('th').forEach(function(th,col){"
    "th.addEventListener('click',function(){"
    "var body=document.querySelector('tbody');var rows=Array.from(body.rows);"
    "var up=th.getAttribute('aria-sort')!=='ascending';"
    "document.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',up?'ascending':'descending');"
    "function key(r){var c=r.cells[col];var v=c.getAttribute('data-v');"
    "return v===null?c.textContent:Number(v);}"
    "rows.sort(function(a,b){var x=key(a),y=key(b);var d=x<y?-1:x>y?1:0;return up?d:-d;});"
    "rows.forEach(function(r){body.appendChild(r);});});});";

}  // namespace

std::string to_html_index(std::span<const folds::trace_summary> traces,
                          const html_index_options& o) {
  std::uint64_t spans = 0;
  std::uint64_t errors = 0;
  std::uint64_t with_errors = 0;
  for (const auto& t : traces) {
    spans += t.spans;
    errors += t.errors;
    with_errors += t.errors != 0 ? 1 : 0;
  }
  std::string out;
  out.reserve(2048 + traces.size() * 400);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
  detail::append_xml(out, o.title, 200);
  out += "</title>\n<style>";
  out += style;
  out += "</style>\n</head>\n<body>\n<h1>";
  detail::append_xml(out, o.title, 200);
  out += "</h1>\n<p class=\"sum\">";
  detail::append_uint(out, traces.size());
  out += traces.size() == 1 ? " trace · " : " traces · ";
  detail::append_uint(out, spans);
  out += spans == 1 ? " span · " : " spans · ";
  detail::append_uint(out, errors);
  out += errors == 1 ? " error span in " : " error spans in ";
  detail::append_uint(out, with_errors);
  out += with_errors == 1 ? " trace" : " traces";
  if (o.links && !traces.empty()) out += " · click a trace id to open its waterfall";
  out +=
      "</p>\n<table>\n<thead><tr><th>Trace</th><th>Root</th><th>Services</th>"
      "<th>Spans</th><th>Duration</th><th>Errors</th><th>Start (UTC)</th></tr></thead>\n"
      "<tbody>\n";
  char hex[32];
  for (const auto& t : traces) {
    t.trace_id.to_hex(hex);
    out += "<tr><td class=\"id\">";
    if (o.links) {
      out += "<a href=\"";
      detail::append_xml(out, o.link_prefix);
      out.append(hex, sizeof hex);
      detail::append_xml(out, o.link_suffix);
      out += "\">";
    }
    out.append(hex, sizeof hex);
    if (o.links) out += "</a>";
    out += "</td><td><span class=\"svc\">";
    detail::append_xml(out, t.root_service, 60);
    out += "</span> ";
    detail::append_xml(out, t.root_name, 120);
    if (t.orphans != 0) {
      out += " <span class=\"orph\">(";
      detail::append_uint(out, t.orphans);
      out += t.orphans == 1 ? " orphan root)</span>" : " orphan roots)</span>";
    }
    out += "</td><td>";
    for (std::size_t k = 0; k < t.services.size(); ++k) {
      if (k == 12) {
        out += ", +";
        detail::append_uint(out, t.services.size() - k);
        out += " more";
        break;
      }
      if (k != 0) out += ", ";
      detail::append_xml(out, t.services[k], 60);
    }
    out += "</td>";
    std::string n;
    detail::append_uint(n, t.spans);
    number_cell(out, t.spans, n);
    number_cell(out, t.duration_ns(), to_red_text_fn::format_duration(t.duration_ns()));
    n.clear();
    detail::append_uint(n, t.errors);
    number_cell(out, t.errors, n, t.errors != 0);
    out += "<td data-v=\"";
    detail::append_uint(out, t.start_unix_nano);
    out += "\">";
    append_utc(out, t.start_unix_nano);
    out += "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n<script>";
  out += script;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

std::string html_index::done(const state_type& s) const { return to_html_index(s, options); }

}  // namespace tracefold::emit
