#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hw_exporter/config/config.h"
#include "settings.h"

namespace hw_exporter::config_internal {

// The arguments, checked against the settings but not yet applied.
struct CommandLine {
  Action action = Action::kRun;
  // Each flag given with its values (one, or several for a repeatable flag), in the order first given.
  std::vector<std::pair<const Setting*, std::vector<std::string>>> flags;
};

// Kingpin's conventions: --flag=value, --flag value, --flag / --no-flag for booleans, -h. Throws ConfigError
// naming the flag.
CommandLine ParseCommandLine(const std::vector<std::string>& arguments, const Settings& settings);

// Applies the flags that only the command line has (pointer empty: --config.file), or the others.
void ApplyFlags(Draft& draft, const CommandLine& command_line, bool command_line_only);

}  // namespace hw_exporter::config_internal
