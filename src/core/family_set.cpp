#include "hw_exporter/core/family_set.h"

#include <algorithm>
#include <utility>

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
                    Labels labels) {
  prometheus::ClientMetric& metric = Family(name, help, type).metric.emplace_back();
  metric.label = std::move(labels);
  switch (type) {
    case prometheus::MetricType::Counter: metric.counter.value = value; break;
    case prometheus::MetricType::Gauge: metric.gauge.value = value; break;
    default: metric.untyped.value = value; break;
  }
}

void FamilySet::Gauge(std::string_view name, std::string_view help, double value, Labels labels) {
  Add(name, help, prometheus::MetricType::Gauge, value, std::move(labels));
}

void FamilySet::Counter(std::string_view name, std::string_view help, double value, Labels labels) {
  Add(name, help, prometheus::MetricType::Counter, value, std::move(labels));
}

void FamilySet::Untyped(std::string_view name, std::string_view help, double value, Labels labels) {
  Add(name, help, prometheus::MetricType::Untyped, value, std::move(labels));
}

Families FamilySet::Take() {
  Families taken = std::move(families_);
  families_.clear();
  index_.clear();
  std::erase_if(taken, [](const prometheus::MetricFamily& family) { return family.metric.empty(); });
  return taken;
}

}  // namespace hw_exporter
