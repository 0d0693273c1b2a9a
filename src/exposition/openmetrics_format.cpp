#include "hw_exporter/exposition/openmetrics_format.h"

#include <algorithm>

#include "sample_lines.h"

namespace hw_exporter {
namespace {

using exposition_internal::AppendEscaped;
using exposition_internal::AppendFamilies;
using exposition_internal::FamilyOf;
using exposition_internal::TimestampUnit;
using prometheus::MetricFamily;
using prometheus::MetricType;

constexpr std::string_view kTotal = "_total";

// True when a family of that exact name is in the (sorted) list.
template <typename FamilyList>
bool HasFamily(const FamilyList& families, std::string_view name) {
  auto found = std::lower_bound(families.begin(), families.end(), name, [](const auto& entry, std::string_view wanted) {
    return FamilyOf(entry).name < wanted;
  });
  return found != families.end() && FamilyOf(*found).name == name;
}

// The name and type a family is declared with; its samples keep the family's full name whatever these are.
struct Declaration {
  std::string_view name;
  std::string_view type;
};

template <typename FamilyList>
Declaration Declare(const FamilyList& families, const MetricFamily& family) {
  const std::string_view name = family.name;
  switch (family.type) {
    case MetricType::Counter: {
      if (!name.ends_with(kTotal)) break;
      const std::string_view shorter = name.substr(0, name.size() - kTotal.size());
      if (shorter.empty() || HasFamily(families, shorter)) break;
      return {shorter, "counter"};
    }
    case MetricType::Gauge: return {name, "gauge"};
    case MetricType::Summary: return {name, "summary"};
    case MetricType::Histogram: return {name, "histogram"};
    case MetricType::Untyped: break;
  }
  return {name, "unknown"};
}

void AppendHeader(std::string& out, Declaration declaration, const MetricFamily& family) {
  out.append("# TYPE ");
  out.append(declaration.name);
  out.push_back(' ');
  out.append(declaration.type);
  out.push_back('\n');
  if (family.help.empty()) return;
  out.append("# HELP ");
  out.append(declaration.name);
  out.push_back(' ');
  AppendEscaped(out, family.help, /*escape_quote=*/true);
  out.push_back('\n');
}

template <typename FamilyList>
void AppendOpenMetricsFamilies(std::string& out, const FamilyList& families) {
  AppendFamilies(out, families, TimestampUnit::kSeconds, [&families](std::string& to, const MetricFamily& family) {
    AppendHeader(to, Declare(families, family), family);
  });
}

}  // namespace

void AppendOpenMetrics(std::string& out, const Families& families) {
  AppendOpenMetricsFamilies(out, families);
  out.append("# EOF\n");
}

void AppendOpenMetrics(std::string& out, const MergedFamilies& families) {
  AppendOpenMetricsFamilies(out, families);
  out.append("# EOF\n");
}

void AppendOpenMetricsHead(std::string& out, const MergedFamilies& families) {
  AppendOpenMetricsFamilies(out, families);
}

std::string SerializeOpenMetrics(const Families& families) {
  std::string out;
  AppendOpenMetrics(out, families);
  return out;
}

}  // namespace hw_exporter
