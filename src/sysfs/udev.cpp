#include "hw_exporter/sysfs/udev.h"

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::sysfs {

UdevProperties ParseUdevProperties(std::string_view text) {
  constexpr std::string_view kPropertyPrefix = "E:";
  UdevProperties properties;
  for (std::string_view line : SplitLines(text)) {
    if (!StartsWith(line, kPropertyPrefix)) continue;
    line.remove_prefix(kPropertyPrefix.size());
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    properties.insert_or_assign(std::string(line.substr(0, equals)), std::string(line.substr(equals + 1)));
  }
  return properties;
}

UdevProperties ReadBlockDeviceUdevProperties(const Paths& paths, unsigned major, unsigned minor) {
  auto text = TryReadFile(paths.Udev("b" + std::to_string(major) + ":" + std::to_string(minor)));
  if (!text) return {};
  return ParseUdevProperties(*text);
}

const std::string& UdevProperty(const UdevProperties& properties, std::string_view key) {
  static const std::string kEmpty;
  auto found = properties.find(key);
  return found == properties.end() ? kEmpty : found->second;
}

}  // namespace hw_exporter::sysfs
