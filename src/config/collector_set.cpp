#include "hw_exporter/config/collector_set.h"

#include "settings.h"

namespace hw_exporter {

BuiltCollectors BuildCollectors(const LoadedConfig& loaded, ProcessRunner& process_runner,
                                const std::vector<CollectorInfo>& table) {
  BuiltCollectors collectors;
  for (const CollectorInfo& info : table) {
    const CollectorConfig& settings = loaded.config.collectors.at(info.name);
    if (!settings.enabled) continue;
    const CollectorContext context{loaded.config.paths,
                                   settings.options,
                                   process_runner,
                                   Clock::Real(),
                                   log::Logger({{"collector", info.name}}),
                                   settings.ttl,
                                   settings.timeout,
                                   settings.max_staleness};
    try {
      collectors.emplace_back(info.name, info.factory(context));
    } catch (const CollectorOptionError& error) {
      const std::string where = loaded.Where(config_internal::CollectorPointer(info.name, error.option()),
                                             "--" + config_internal::CollectorFlag(info.name, error.option()));
      throw ConfigError(where, error.what());
    }
  }
  return collectors;
}

}  // namespace hw_exporter
