#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/config/config.h"

namespace hw_exporter {

using BuiltCollectors = std::vector<std::pair<std::string, std::unique_ptr<Collector>>>;

// Constructs every enabled collector of the table, in table order, from its options in config. A factory's
// CollectorOptionError becomes a ConfigError naming where the operator set that option (its flag
// "--collector.<name>.<option>", or "/collectors/<name>/<option>" in the config file).
BuiltCollectors BuildCollectors(const LoadedConfig& loaded, ProcessRunner& process_runner,
                                const std::vector<CollectorInfo>& table = CollectorTable());

}  // namespace hw_exporter
