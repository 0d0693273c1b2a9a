#pragma once

// The settings the config file and the flags share: each one has a flag, a JSON pointer, a help line and one
// way to parse and store its value, so that both sources (and --help) are driven by the same list.

#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/config/config.h"

namespace hw_exporter::config_internal {

// The loader's working state: the configuration being built and what the last step still needs.
struct Draft {
  LoadedConfig loaded;
  bool disable_defaults = false;
};

// A value that a setting does not accept; the caller adds where it came from.
class InvalidValue : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Setting {
  std::string flag;     // without the leading "--"
  std::string pointer;  // in the config file; empty for a flag that only the command line has
  std::string group;    // heading in --help
  std::string help;
  bool is_bool = false;     // --flag / --no-flag, or --flag=true|false
  bool repeatable = false;  // every use adds a value; the first replaces the default
  // Throw InvalidValue. from_flags gets one value, or every value of a repeatable flag.
  std::function<void(Draft&, const std::vector<std::string>& values)> from_flags;
  std::function<void(Draft&, const nlohmann::json& value)> from_json;
  // The value as --help shows it.
  std::function<std::string(const Draft&)> show;
};

// Every setting: the global ones, then each collector's, in the order of CollectorTable().
class Settings {
 public:
  Settings();

  const std::vector<Setting>& all() const { return all_; }
  const Setting* FindFlag(const std::string& flag) const;
  const Setting* FindPointer(const std::string& pointer) const;
  // True when pointer names an object of the config file ("/web", "/collectors/cpu").
  bool IsSection(const std::string& pointer) const;

 private:
  std::vector<Setting> all_;
  std::map<std::string, const Setting*> by_flag_;
  std::map<std::string, const Setting*> by_pointer_;
  std::map<std::string, bool> sections_;
};

// Config{} plus the defaults of each collector of CollectorTable().
Draft DefaultDraft();

// Fills what depends on the other settings: enabled (disable_defaults) and max_staleness (4 × ttl) wherever
// neither the file nor a flag set them.
void Finish(Draft& draft);

// The pointer of a collector's setting and its flag ("/collectors/cpu/ttl", "collector.cpu.ttl").
std::string CollectorPointer(const std::string& collector, const std::string& key);
std::string CollectorFlag(const std::string& collector, const std::string& key);

// Why a flag under "collector." matched nothing: an unknown collector or an unknown option of one.
std::string ExplainUnknownCollectorFlag(const std::string& flag);

// Applies the config file's object to the draft. Throws ConfigError naming the field.
void ApplyJson(Draft& draft, const Settings& settings, const nlohmann::json& document, const std::string& path);

// Parses the file at path as JSON. Throws ConfigError naming the file (and line:column).
nlohmann::json ReadJsonFile(const std::string& path);

}  // namespace hw_exporter::config_internal
