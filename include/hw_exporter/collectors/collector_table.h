#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hw_exporter/collectors/collector.h"
#include "hw_exporter/core/duration.h"

namespace hw_exporter {

using CollectorFactory = std::function<std::unique_ptr<Collector>(const CollectorContext&)>;

// One row of the collector table.
struct CollectorInfo {
  std::string name;
  bool enabled_by_default;
  Duration default_ttl;
  Duration default_timeout;
  std::string help;
  std::vector<CollectorOption> options;
  CollectorFactory factory;
  // Its families give way to a family of the same name from any other collector: the textfile collector's, so that
  // a file cannot duplicate or contradict a built-in family.
  bool yields_names = false;
  // It runs a program (smartctl, ipmitool), which takes seconds: it is refreshed on its TTL whoever scrapes, so that
  // a scrape finds its data ready. Any other collector is refreshed on demand (SlotSettings::on_demand).
  bool runs_programs = false;
};

// The one place that lists every collector that exists (src/collectors/table.cpp), in name order.
const std::vector<CollectorInfo>& CollectorTable();

// The table's row for a name, or nullptr.
const CollectorInfo* FindCollector(std::string_view name);

}  // namespace hw_exporter
