#pragma once

// Builds a collector the way the daemon does (from its table row, with the row's option defaults) over a chosen
// fixture tree, and looks samples up in what it returns.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/core/family_set.h"
#include "hw_exporter/probe/process_runner.h"
#include "table_run.h"

namespace hw_exporter::testing {

class CollectorHarness {
 public:
  // Proc, sys, udev data and root all under one tree: <root>/proc, <root>/sys, <root>/udev/data. Collectors get
  // the given clock (a FakeClock the test moves) in their context, and a process runner with that many places.
  explicit CollectorHarness(const std::string& root, Clock& clock = Clock::Real(), int max_processes = 1)
      : paths_(TreePaths(root)), runner_(max_processes), clock_(clock) {}

  ProcessRunner& runner() { return runner_; }

  // Builds the named collector; overrides replace the table's option defaults.
  std::unique_ptr<Collector> Make(const std::string& name, const std::map<std::string, std::string>& overrides = {}) {
    CollectorContext context = Context(name, overrides);
    return FindCollector(name)->factory(context);
  }

  // The context Make gives the named collector's factory, for a factory that takes a seam besides it. Valid until
  // the next call of Make or Context.
  CollectorContext Context(const std::string& name, const std::map<std::string, std::string>& overrides = {}) {
    const CollectorInfo* info = FindCollector(name);
    if (!info) throw std::logic_error("no collector named " + name);
    options_.clear();
    for (const auto& option : info->options) options_[option.name] = option.default_value;
    for (const auto& [option, value] : overrides) options_[option] = value;
    // The timings of the table's defaults, as the configuration gives them when nothing overrides them.
    return CollectorContext{paths_,
                            options_,
                            runner_,
                            clock_,
                            log::Logger({{"collector", name}}),
                            info->default_ttl,
                            info->default_timeout,
                            4 * info->default_ttl};
  }

 private:
  Paths paths_;
  std::map<std::string, std::string> options_;
  ProcessRunner runner_;
  Clock& clock_;
};

// The message Collect() throws, or "" when it succeeds.
inline std::string CollectError(Collector& collector) {
  try {
    collector.Collect();
  } catch (const std::exception& error) {
    return error.what();
  }
  return {};
}

inline const prometheus::MetricFamily* FindFamily(const Families& families, const std::string& name) {
  for (const auto& family : families)
    if (family.name == name) return &family;
  return nullptr;
}

// The value of the one sample of a family whose labels are exactly these, whatever the family's type.
inline std::optional<double> SampleValue(const Families& families, const std::string& name, const Labels& labels = {}) {
  const prometheus::MetricFamily* family = FindFamily(families, name);
  if (!family) return std::nullopt;
  for (const auto& metric : family->metric) {
    if (metric.label != labels) continue;
    switch (family->type) {
      case prometheus::MetricType::Counter: return metric.counter.value;
      case prometheus::MetricType::Gauge: return metric.gauge.value;
      default: return metric.untyped.value;
    }
  }
  return std::nullopt;
}

inline size_t SeriesCount(const Families& families, const std::string& name) {
  const prometheus::MetricFamily* family = FindFamily(families, name);
  return family ? family->metric.size() : 0;
}

}  // namespace hw_exporter::testing
