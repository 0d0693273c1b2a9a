#include "name_filter.h"

#include <algorithm>

#include "collector_options.h"
#include "hw_exporter/collectors/collector_table.h"

namespace hw_exporter {

namespace {

const std::string& TableDefault(std::string_view collector_name, std::string_view option) {
  const CollectorInfo* info = FindCollector(collector_name);
  if (info) {
    auto found = std::find_if(info->options.begin(), info->options.end(),
                              [&](const CollectorOption& declared) { return declared.name == option; });
    if (found != info->options.end()) return found->default_value;
  }
  throw std::logic_error("option " + std::string(option) + " not declared for collector " +
                         std::string(collector_name));
}

}  // namespace

bool NameFilter::Ignored(std::string_view name) const {
  if (exclude_ && exclude_->Matches(name)) return true;
  return include_ && !include_->Matches(name);
}

NameFilter DeviceFilterFromOptions(const CollectorContext& context, std::string_view collector_name) {
  std::optional<std::regex> exclude = RegexOption(context, "device-exclude");
  std::optional<std::regex> include = RegexOption(context, "device-include");
  if (include && exclude) {
    if (context.Option("device-exclude") != TableDefault(collector_name, "device-exclude")) {
      throw CollectorOptionError("device-include", "device-include and device-exclude are mutually exclusive");
    }
    exclude.reset();
  }
  return NameFilter(std::move(exclude), std::move(include));
}

}  // namespace hw_exporter
