#include "hw_exporter/collector.h"

#include <algorithm>

namespace hw_exporter {

const std::string& CollectorContext::Option(const std::string& name) const {
  auto found = options.find(name);
  if (found == options.end()) throw std::logic_error("collector option not declared in the table: " + name);
  return found->second;
}

const CollectorInfo* FindCollector(std::string_view name) {
  const auto& table = CollectorTable();
  auto found = std::find_if(table.begin(), table.end(), [&](const CollectorInfo& info) { return info.name == name; });
  return found == table.end() ? nullptr : &*found;
}

}  // namespace hw_exporter
