#include "hw_exporter/sysfs/udev.h"

#include <sys/stat.h>

#include <chrono>
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

// Before any entry of the sweep is looked at: an entry replaced after it moves the stamp the next sweep takes.
void UdevBlockDevices::StartSweep() {
  struct stat status {};
  const bool found = ::stat(paths_.udev_data.c_str(), &status) == 0;
  directory_ = found ? SettledStamp(status, std::chrono::system_clock::now()) : std::nullopt;
}

const UdevProperties& UdevBlockDevices::Properties(unsigned major, unsigned minor) {
  const std::string path = paths_.Udev("b" + std::to_string(major) + ":" + std::to_string(minor));
  auto [found, added] = entries_.try_emplace(path);
  Entry& entry = found->second;
  entry.used = true;
  if (!added && directory_ && entry.looked_at_under == directory_) return entry.properties;
  entry.looked_at_under = directory_;
  const FileVersion version = FileVersionOf(path);
  if (added || entry.version != version) {
    // Read after the stat: an entry replaced in between is read again at the next call, its version having moved.
    std::optional<std::string> text = version.exists ? TryReadFile(path) : std::nullopt;
    entry.version = version;
    entry.properties = text ? ParseUdevProperties(*text) : UdevProperties{};
  }
  return entry.properties;
}

void UdevBlockDevices::ForgetUnused() {
  directory_.reset();  // the sweep is over: a call before the next StartSweep() looks at its entry
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
