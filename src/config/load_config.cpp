#include <nlohmann/json.hpp>

#include "command_line.h"
#include "hw_exporter/config/config.h"
#include "settings.h"

namespace hw_exporter {

using namespace config_internal;

std::string LoadedConfig::Where(const std::string& pointer, const std::string& flag) const {
  auto found = sources.find(pointer);
  return found == sources.end() ? flag : found->second;
}

LoadedConfig LoadConfig(const std::vector<std::string>& arguments) {
  const Settings settings;
  const CommandLine command_line = ParseCommandLine(arguments, settings);
  Draft draft = DefaultDraft();
  draft.loaded.action = command_line.action;
  // --help and --version work whatever the config file holds.
  if (command_line.action == Action::kRun) {
    ApplyFlags(draft, command_line, /*command_line_only=*/true);
    if (!draft.loaded.config_file.empty()) {
      ApplyJson(draft, settings, ReadJsonFile(draft.loaded.config_file), draft.loaded.config_file);
    }
    ApplyFlags(draft, command_line, /*command_line_only=*/false);
  }
  Finish(draft);
  return std::move(draft.loaded);
}

}  // namespace hw_exporter
