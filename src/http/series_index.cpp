#include "series_index.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "hw_exporter/exposition/text_format.h"

namespace hw_exporter {

std::string_view SeriesRef::Label(std::string_view name) const {
  for (const auto& label : series->label)
    if (label.name == name) return label.value;
  return {};
}

double SeriesRef::Value() const {
  switch (family->type) {
    case prometheus::MetricType::Counter: return series->counter.value;
    case prometheus::MetricType::Gauge: return series->gauge.value;
    case prometheus::MetricType::Untyped: return series->untyped.value;
    default: return std::nan("");  // summaries and histograms: the page shows none
  }
}

SeriesIndex::SeriesIndex(const MergedFamilies& merged) {
  for (const MergedFamily& family : merged) families_.emplace(family.family->name, &family);
}

std::vector<SeriesRef> SeriesIndex::All(std::string_view name) const {
  std::vector<SeriesRef> refs;
  auto found = families_.find(name);
  if (found == families_.end()) return refs;
  for (const prometheus::ClientMetric* series : found->second->series) refs.push_back({found->second->family, series});
  return refs;
}

std::optional<SeriesRef> SeriesIndex::Find(std::string_view name,
                                           const std::vector<std::pair<std::string_view, std::string_view>>& labels)
    const {
  for (const SeriesRef& ref : All(name)) {
    bool matches = true;
    for (const auto& [label, value] : labels) matches = matches && ref.Label(label) == value;
    if (matches) return ref;
  }
  return std::nullopt;
}

Reading MakeReading(const SeriesRef& ref, const std::string& text) {
  SampleText sample = TextSample(*ref.family, *ref.series);
  return {std::move(sample.series), std::move(sample.value), ref.Value(), text};
}

std::string Fixed(double value, int decimals, std::string_view unit) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return std::string(buffer) + std::string(unit);
}

std::string UtcTime(double unix_seconds) {
  const auto seconds = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return buffer;
}

}  // namespace hw_exporter
