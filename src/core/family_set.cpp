#include "hw_exporter/core/family_set.h"

#include <algorithm>

namespace hw_exporter {

prometheus::MetricFamily& FamilySet::Family(std::string_view name, std::string_view help, prometheus::MetricType type) {
  auto found = index_.find(name);
  if (found != index_.end()) return families_[found->second];
  index_.emplace(std::string(name), families_.size());
  prometheus::MetricFamily& family = families_.emplace_back();
  family.name = name;
  family.help = help;
  family.type = type;
  return family;
}

void FamilySet::Add(std::string_view name, std::string_view help, prometheus::MetricType type, double value,
                    const Labels& labels) {
  prometheus::ClientMetric& metric = Family(name, help, type).metric.emplace_back();
  metric.label.reserve(labels.size());
  for (const auto& [label_name, label_value] : labels) metric.label.push_back({label_name, label_value});
  switch (type) {
    case prometheus::MetricType::Counter: metric.counter.value = value; break;
    case prometheus::MetricType::Gauge: metric.gauge.value = value; break;
    default: metric.untyped.value = value; break;
  }
}

void FamilySet::Gauge(std::string_view name, std::string_view help, double value, const Labels& labels) {
  Add(name, help, prometheus::MetricType::Gauge, value, labels);
}

void FamilySet::Counter(std::string_view name, std::string_view help, double value, const Labels& labels) {
  Add(name, help, prometheus::MetricType::Counter, value, labels);
}

void FamilySet::Untyped(std::string_view name, std::string_view help, double value, const Labels& labels) {
  Add(name, help, prometheus::MetricType::Untyped, value, labels);
}

Families FamilySet::Take() {
  Families taken = std::move(families_);
  families_.clear();
  index_.clear();
  std::erase_if(taken, [](const prometheus::MetricFamily& family) { return family.metric.empty(); });
  return taken;
}

}  // namespace hw_exporter
