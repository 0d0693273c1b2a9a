#include "hw_exporter/collectors/collector.h"

namespace hw_exporter {

const std::string& CollectorContext::Option(const std::string& name) const {
  auto found = options.find(name);
  if (found == options.end()) throw std::logic_error("collector option not declared in the table: " + name);
  return found->second;
}

}  // namespace hw_exporter
