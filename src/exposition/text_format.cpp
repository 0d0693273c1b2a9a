#include "hw_exporter/exposition/text_format.h"

#include "sample_lines.h"

namespace hw_exporter {
namespace {

using exposition_internal::AppendEscaped;
using exposition_internal::AppendFamilies;
using exposition_internal::TimestampUnit;
using prometheus::MetricFamily;
using prometheus::MetricType;

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Summary: return "summary";
    case MetricType::Histogram: return "histogram";
    case MetricType::Untyped: break;
  }
  return "untyped";
}

void AppendHeader(std::string& out, const MetricFamily& family) {
  if (!family.help.empty()) {
    out.append("# HELP ");
    out.append(family.name);
    out.push_back(' ');
    AppendEscaped(out, family.help, /*escape_quote=*/false);
    out.push_back('\n');
  }
  out.append("# TYPE ");
  out.append(family.name);
  out.push_back(' ');
  out.append(TypeName(family.type));
  out.push_back('\n');
}

template <typename FamilyList>
void AppendTextFamilies(std::string& out, const FamilyList& families) {
  AppendFamilies(out, families, TimestampUnit::kMilliseconds, AppendHeader);
}

}  // namespace

void AppendText(std::string& out, const Families& families) { AppendTextFamilies(out, families); }

void AppendText(std::string& out, const MergedFamilies& families) { AppendTextFamilies(out, families); }

std::string SerializeText(const Families& families) {
  std::string out;
  AppendText(out, families);
  return out;
}

SampleText TextSample(const MetricFamily& family, const prometheus::ClientMetric& series) {
  // The line AppendSeries writes for one series of these types: "<name>{<labels>} <value>\n", no timestamp.
  prometheus::ClientMetric plain = series;
  plain.timestamp_ms = 0;
  std::string line;
  exposition_internal::AppendSeries(line, family, plain, TimestampUnit::kMilliseconds);
  const std::size_t space = line.rfind(' ');
  if (space == std::string::npos) return {line, ""};
  return {line.substr(0, space), line.substr(space + 1, line.size() - space - 2)};
}

}  // namespace hw_exporter
