#include "command_line.h"

#include <algorithm>
#include <optional>

#include "hw_exporter/core/strings.h"

namespace hw_exporter::config_internal {

namespace {

std::string Spelled(const std::string& name) { return "--" + name; }

[[noreturn]] void ThrowUnknownFlag(const std::string& name) {
  const std::string flag = StartsWith(name, "no-") ? name.substr(3) : name;
  if (StartsWith(flag, "collector.")) throw ConfigError(Spelled(name), ExplainUnknownCollectorFlag(flag));
  throw ConfigError(Spelled(name), "unknown flag");
}

// One argument "--name[=value]" resolved to its setting.
struct FlagUse {
  const Setting* setting = nullptr;
  std::string name;  // as written, without "--" and "=value"
  std::optional<std::string> value;
};

FlagUse Resolve(std::string_view argument, const Settings& settings) {
  FlagUse use;
  const size_t equals = argument.find('=');
  use.name = std::string(argument.substr(2, equals == std::string_view::npos ? std::string_view::npos : equals - 2));
  if (equals != std::string_view::npos) use.value = std::string(argument.substr(equals + 1));
  use.setting = settings.FindFlag(use.name);
  if (use.setting) return use;
  if (StartsWith(use.name, "no-")) {
    const Setting* negated = settings.FindFlag(use.name.substr(3));
    if (negated && negated->is_bool) {
      if (use.value) throw ConfigError(Spelled(use.name), "takes no value");
      use.setting = negated;
      use.value = "false";
      return use;
    }
  }
  ThrowUnknownFlag(use.name);
}

void Record(CommandLine& command_line, const Setting& setting, const std::string& name, std::string value) {
  auto given = std::find_if(command_line.flags.begin(), command_line.flags.end(),
                            [&](const auto& flag) { return flag.first == &setting; });
  if (given == command_line.flags.end()) {
    command_line.flags.emplace_back(&setting, std::vector<std::string>{std::move(value)});
    return;
  }
  if (!setting.repeatable) throw ConfigError(Spelled(name), "cannot be repeated");
  given->second.push_back(std::move(value));
}

}  // namespace

CommandLine ParseCommandLine(const std::vector<std::string>& arguments, const Settings& settings) {
  CommandLine command_line;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "-h" || argument == "--help") return {Action::kHelp, {}};
    if (argument == "--version") return {Action::kVersion, {}};
    if (!StartsWith(argument, "--") || argument == "--") {
      const bool is_flag = StartsWith(argument, "-") && argument != "--";
      throw ConfigError(argument, is_flag ? "unknown flag" : "unexpected argument");
    }
    FlagUse use = Resolve(argument, settings);
    if (use.setting->is_bool) {
      Record(command_line, *use.setting, use.name, use.value.value_or("true"));
      continue;
    }
    if (!use.value) {
      if (i + 1 == arguments.size()) throw ConfigError(Spelled(use.name), "expected a value");
      use.value = arguments[++i];
    }
    Record(command_line, *use.setting, use.name, *std::move(use.value));
  }
  return command_line;
}

void ApplyFlags(Draft& draft, const CommandLine& command_line, bool command_line_only) {
  for (const auto& [setting, values] : command_line.flags) {
    if (setting->pointer.empty() != command_line_only) continue;
    try {
      setting->from_flags(draft, values);
    } catch (const InvalidValue& error) {
      throw ConfigError(Spelled(setting->flag), error.what());
    }
    if (!setting->pointer.empty()) draft.loaded.sources[setting->pointer] = Spelled(setting->flag);
  }
}

}  // namespace hw_exporter::config_internal
