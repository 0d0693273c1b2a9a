#pragma once

// What the text format 0.0.4 and OpenMetrics 1.0 write alike: escaped text, numbers, and the sample lines of a
// series. Each format writes its own family headers around them (text_format.cpp, openmetrics_format.cpp).

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hw_exporter/exposition/merge.h"

namespace hw_exporter::exposition_internal {

// Backslash and newline escaped, and the double quote too when `escape_quote` (label values; OpenMetrics' HELP).
void AppendEscaped(std::string& out, std::string_view text, bool escape_quote);

// The shortest text that parses back to the same double; NaN, +Inf and -Inf as both formats spell them.
void AppendDouble(std::string& out, double value);

// A sample's timestamp: milliseconds in the text format, seconds in OpenMetrics.
enum class TimestampUnit { kMilliseconds, kSeconds };

// The sample lines of one series of `family`; the series' labels are already sorted.
void AppendSeries(std::string& out, const prometheus::MetricFamily& family, const prometheus::ClientMetric& series,
                  TimestampUnit unit);

// The two shapes a family comes in: a MetricFamily that owns its series, or a MergedFamily that points at them.
inline const prometheus::MetricFamily& FamilyOf(const prometheus::MetricFamily& family) { return family; }
inline const prometheus::MetricFamily& FamilyOf(const MergedFamily& merged) { return *merged.family; }
inline const std::vector<prometheus::ClientMetric>& SeriesOf(const prometheus::MetricFamily& family) {
  return family.metric;
}
inline const std::vector<const prometheus::ClientMetric*>& SeriesOf(const MergedFamily& merged) {
  return merged.series;
}
inline const prometheus::ClientMetric& AsSeries(const prometheus::ClientMetric& series) { return series; }
inline const prometheus::ClientMetric& AsSeries(const prometheus::ClientMetric* series) { return *series; }

// A generous guess of the serialized size, so that the output grows at most once or twice.
template <typename FamilyList>
std::size_t EstimateSize(const FamilyList& families) {
  constexpr std::size_t kHeaderOverhead = 32;
  constexpr std::size_t kLineOverhead = 40;  // suffix, braces, value, newline
  constexpr std::size_t kLabelOverhead = 4;  // =, quotes, comma
  std::size_t size = 0;
  for (const auto& entry : families) {
    const prometheus::MetricFamily& family = FamilyOf(entry);
    size += 2 * family.name.size() + family.help.size() + kHeaderOverhead;
    const bool has_bounds = family.type == prometheus::MetricType::Summary ||
                            family.type == prometheus::MetricType::Histogram;
    for (const auto& series : SeriesOf(entry)) {
      const prometheus::ClientMetric& metric = AsSeries(series);
      std::size_t line = family.name.size() + kLineOverhead;
      for (const auto& label : metric.label) line += label.name.size() + label.value.size() + kLabelOverhead;
      std::size_t lines = 1 + metric.summary.quantile.size() + metric.histogram.bucket.size() + (has_bounds ? 3 : 0);
      size += line * lines;
    }
  }
  return size;
}

// The families in order: each one's header, written by header(out, family), then the sample lines of its series.
template <typename FamilyList, typename WriteHeader>
void AppendFamilies(std::string& out, const FamilyList& families, TimestampUnit unit, WriteHeader header) {
  out.reserve(out.size() + EstimateSize(families));
  for (const auto& entry : families) {
    const prometheus::MetricFamily& family = FamilyOf(entry);
    header(out, family);
    for (const auto& series : SeriesOf(entry)) AppendSeries(out, family, AsSeries(series), unit);
  }
}

}  // namespace hw_exporter::exposition_internal
