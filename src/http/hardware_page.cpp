#include "hw_exporter/http/hardware_page.h"

#include <algorithm>

#include "hardware_report.h"
#include "html.h"
#include "hw_exporter/core/version.h"
#include "hw_exporter/exposition/gzip.h"
#include "hw_exporter/http/http_error.h"
#include "hw_exporter/http/negotiation.h"
#include "series_index.h"

namespace hw_exporter {

namespace {

constexpr std::string_view kContentType = "text/html; charset=utf-8";

// Inline, so that the page needs nothing but itself: no script, no external stylesheet or font.
constexpr std::string_view kStyle =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1b1b;background:#fff}"
    "h1{margin:0 0 .2em}h2{margin:1.4em 0 .4em;font-size:1.15em}p.meta,p.note{color:#555}"
    "table{border-collapse:collapse;min-width:40em}th,td{padding:.25em .7em;text-align:left;"
    "border-bottom:1px solid #ddd;vertical-align:top}thead th{background:#f2f2f2}"
    "tr.critical,li.critical{background:#fde2e1}tr.warning,li.warning{background:#fff4d6}"
    ".badge{display:inline-block;min-width:5.5em;font-weight:bold;text-transform:uppercase;font-size:.8em}"
    "li.critical .badge,tr.critical td.finding{color:#a40e0b}li.warning .badge,tr.warning td.finding{color:#7a5200}"
    "#summary ol{list-style:none;padding:0}#summary li{padding:.3em .6em;margin:.2em 0}"
    "p.allclear{background:#e3f4e1;padding:.4em .6em}data{font-variant-numeric:tabular-nums}";

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kCritical: return "critical";
    case Severity::kWarning: return "warning";
    case Severity::kOk: break;
  }
  return "ok";
}

// A value: what people read, with the sample's exact value and series for a program (and a tooltip).
void AppendField(std::string& out, const Field& field) {
  if (!field.reading) {
    AppendHtmlEscaped(out, field.text);
    return;
  }
  out += "<data value=\"";
  AppendHtmlEscaped(out, field.reading->value);
  out += "\" title=\"";
  AppendHtmlEscaped(out, field.reading->series);
  out += "\">";
  AppendHtmlEscaped(out, field.reading->text);
  out += "</data>";
}

void AppendRow(std::string& out, const Row& row) {
  const std::string_view severity = SeverityName(row.severity);
  out += "<tr class=\"" + std::string(severity) + "\" data-severity=\"" + std::string(severity) + "\"><th>";
  AppendHtmlEscaped(out, row.subject);
  out += "</th>";
  for (const Field& field : row.fields) {
    out += "<td>";
    AppendField(out, field);
    out += "</td>";
  }
  out += "<td class=\"finding\">";
  AppendHtmlEscaped(out, row.finding.empty() ? "ok" : row.finding);
  out += "</td></tr>\n";
}

void AppendSection(std::string& out, const Section& section) {
  out += "<section id=\"" + section.id + "\"><h2>";
  AppendHtmlEscaped(out, section.title);
  out += "</h2>\n";
  if (section.rows.empty()) {
    out += "<p class=\"note\">No series in this snapshot (collector off, or nothing found).</p>\n";
  } else {
    out += "<table><thead><tr>";
    for (const std::string& column : section.columns) out += "<th>" + HtmlEscaped(column) + "</th>";
    out += "<th>Status</th></tr></thead><tbody>\n";
    for (const Row& row : section.rows) AppendRow(out, row);
    out += "</tbody></table>\n";
  }
  if (!section.note.empty()) out += "<p class=\"note\">" + HtmlEscaped(section.note) + "</p>\n";
  out += "</section>\n";
}

// One line per row that is not ok, over every section, worst first and in page order otherwise.
void AppendSummary(std::string& out, const HardwareReport& report) {
  std::vector<std::pair<const Section*, const Row*>> problems;
  for (const Section& section : report.sections)
    for (const Row& row : section.rows)
      if (row.severity != Severity::kOk) problems.emplace_back(&section, &row);
  std::stable_sort(problems.begin(), problems.end(),
                   [](const auto& a, const auto& b) { return a.second->severity > b.second->severity; });
  out += "<section id=\"summary\"><h2>Summary</h2>\n";
  if (problems.empty()) out += "<p class=\"allclear\">Nothing out of its limits, failed or stale.</p>\n";
  if (!problems.empty()) out += "<ol>\n";
  for (const auto& [section, row] : problems) {
    const std::string_view severity = SeverityName(row->severity);
    out += "<li class=\"" + std::string(severity) + "\" data-severity=\"" + std::string(severity) +
           "\"><span class=\"badge\">" + std::string(severity) + "</span> <a href=\"#" + section->id + "\">";
    AppendHtmlEscaped(out, section->title);
    out += "</a>: <b>";
    AppendHtmlEscaped(out, row->subject);
    out += "</b> ";
    if (!row->fields.empty() && row->fields.front().reading) AppendField(out, row->fields.front());
    out += " — ";
    AppendHtmlEscaped(out, row->finding);
    out += "</li>\n";
  }
  if (!problems.empty()) out += "</ol>\n";
  out += "</section>\n";
}

void AppendHead(std::string& out, const FamilySnapshot& snapshot) {
  // The empty icon keeps a browser from asking for /favicon.ico, a 404 in its console.
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<link rel=\"icon\" href=\"data:,\"><title>hw_exporter: hardware</title><style>";
  out += kStyle;
  out += "</style></head><body>\n<h1>Hardware</h1>\n<p class=\"meta\">hw_exporter ";
  AppendHtmlEscaped(out, Version());
  out += ", data as of " + UtcTime(std::chrono::duration<double>(snapshot.taken_wall.time_since_epoch()).count()) +
         " (family cache generation " + std::to_string(snapshot.generation) + "). <a href=\"/\">Home</a></p>\n";
}

}  // namespace

std::string HardwarePageHtml(const FamilySnapshot& snapshot) {
  const HardwareReport report = BuildHardwareReport(snapshot);
  std::string out;
  AppendHead(out, snapshot);
  AppendSummary(out, report);
  for (const Section& section : report.sections) AppendSection(out, section);
  out += "</body></html>\n";
  return out;
}

std::shared_ptr<const Response> HardwarePageResponse(const Request& request, const FamilyCache& families,
                                                     ResponseCache* response_cache) {
  try {
    const ContentEncoding encoding = NegotiateEncoding(request.Header("Accept-Encoding"));
    families.Demand([](const SlotState&) { return true; });  // as a scrape of every collector does
    auto render = [&]() -> Rendered {
      // Unlike /metrics, no wait for collectors without data yet: the page names them.
      const FamilySnapshot snapshot = families.SnapshotAll(Duration::zero());
      std::string body = HardwarePageHtml(snapshot);
      Headers headers{{"Content-Type", std::string(kContentType)}, {"Vary", "Accept-Encoding"}};
      if (encoding == ContentEncoding::kGzip) {
        body = Gzip(body);
        headers.emplace_back("Content-Encoding", "gzip");
      }
      return {MakeResponse(200, headers, std::move(body)), snapshot.generation};
    };
    if (!response_cache) return render().response;
    const std::string key = std::string(kHardwarePath) + "? " + std::string(kContentType) + " " +
                            std::string(EncodingName(encoding));
    return response_cache->Get(key, families.generation(), render).response;
  } catch (const HttpError& error) {
    return MakeTextResponse(error.status(), error.what());
  }
}

}  // namespace hw_exporter
