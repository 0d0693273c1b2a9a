#include "hw_exporter/sysfs/udev.h"

#include <utility>

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

const UdevProperties& UdevBlockDevices::Properties(unsigned major, unsigned minor) {
  static const UdevProperties kNone;
  const std::string path = paths_.Udev("b" + std::to_string(major) + ":" + std::to_string(minor));
  const FileVersion version = FileVersionOf(path);
  if (!version.exists) return kNone;
  auto [entry, added] = entries_.try_emplace(path);
  entry->second.used = true;
  if (added || entry->second.version != version) {
    // Read after the stat: an entry replaced in between is read again at the next call, its version having moved.
    std::optional<std::string> text = TryReadFile(path);
    entry->second.version = version;
    entry->second.properties = text ? ParseUdevProperties(*text) : UdevProperties{};
  }
  return entry->second.properties;
}

void UdevBlockDevices::ForgetUnused() {
  for (auto entry = entries_.begin(); entry != entries_.end();) {
    entry = std::exchange(entry->second.used, false) ? std::next(entry) : entries_.erase(entry);
  }
}

const std::string& UdevProperty(const UdevProperties& properties, std::string_view key) {
  static const std::string kEmpty;
  auto found = properties.find(key);
  return found == properties.end() ? kEmpty : found->second;
}

}  // namespace hw_exporter::sysfs
