#pragma once

#include <prometheus/metric_family.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hw_exporter {

// A series' labels as the family holds them, so that adding a sample moves its list in whole.
using Labels = std::vector<prometheus::ClientMetric::Label>;
using Families = std::vector<prometheus::MetricFamily>;

// Builds the families a collector returns: samples are added by family name, and a family is created with its
// HELP and TYPE the first time its name is seen, so a collector never assembles MetricFamily by hand. A sample's
// labels are taken by value and moved into it: a list written at the call is the one the series keeps.
class FamilySet {
 public:
  void Gauge(std::string_view name, std::string_view help, double value, Labels labels = {});
  void Counter(std::string_view name, std::string_view help, double value, Labels labels = {});
  void Untyped(std::string_view name, std::string_view help, double value, Labels labels = {});

  // Declares a family with no samples yet (it is dropped by Take() if it stays empty).
  prometheus::MetricFamily& Family(std::string_view name, std::string_view help, prometheus::MetricType type);

  bool empty() const { return families_.empty(); }

  // The families in the order they were first named; empty families are left out.
  Families Take();

 private:
  void Add(std::string_view name, std::string_view help, prometheus::MetricType type, double value, Labels labels);

  Families families_;
  std::map<std::string, size_t, std::less<>> index_;
};

}  // namespace hw_exporter
