#include "collector_options.h"

namespace hw_exporter {

bool BoolOption(const CollectorContext& context, const std::string& name) {
  const std::string& value = context.Option(name);
  if (value == "true") return true;
  if (value == "false") return false;
  throw CollectorOptionError(name, "expected true or false, got \"" + value + "\"");
}

std::optional<std::regex> RegexOption(const CollectorContext& context, const std::string& name) {
  const std::string& value = context.Option(name);
  if (value.empty()) return std::nullopt;
  try {
    return std::regex(value, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    throw CollectorOptionError(name, "not a valid regular expression \"" + value + "\": " + error.what());
  }
}

Duration PositiveDurationOption(const CollectorContext& context, const std::string& name) {
  const std::string& value = context.Option(name);
  auto duration = ParseDuration(value);
  if (!duration || duration->count() <= 0) {
    throw CollectorOptionError(name, "expected a positive duration such as 30s or 1h, got \"" + value + "\"");
  }
  return *duration;
}

}  // namespace hw_exporter
