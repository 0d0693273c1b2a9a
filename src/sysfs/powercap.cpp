#include "hw_exporter/sysfs/powercap.h"

#include <filesystem>
#include <map>

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/paths.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::sysfs {

namespace {

// Splits "package-0" into ("package", 0). Names without exactly one "-<integer>" suffix keep their whole text and
// get the count of earlier zones of that name, so that two "dram" zones stay apart (node_exporter's numbering).
std::pair<std::string, int> NameAndIndex(const std::string& raw_name, std::map<std::string, int>& uses) {
  auto parts = Split(raw_name, '-');
  if (parts.size() == 2) {
    if (auto index = ParseSigned(parts[1])) return {std::string(parts[0]), static_cast<int>(*index)};
  }
  return {raw_name, uses[raw_name]};
}

std::optional<std::uint64_t> ReadEnergy(const std::string& zone_directory, const FileReader& read_file) {
  std::string path = Paths::Join(zone_directory, "energy_uj");
  int error_number = 0;
  auto contents = read_file(path, &error_number);
  if (!contents) {
    if (IsPermissionError(error_number)) return std::nullopt;
    throw FsError(path, error_number, kMaxAttributeBytes);
  }
  return RequireUnsigned(Trim(*contents), "an energy counter in microjoules", path, 0);
}

}  // namespace

std::vector<RaplZone> ReadRaplZones(const std::string& class_directory, const FileReader& read_file) {
  std::vector<RaplZone> zones;
  std::map<std::string, int> uses;
  for (const std::string& entry : ListDirectoryIfExists(class_directory)) {
    std::string directory = Paths::Join(class_directory, entry);
    // The control type directory (intel-rapl) has no name: it is not a zone.
    auto raw_name = read_file(Paths::Join(directory, "name"), nullptr);
    if (!raw_name) continue;
    auto [name, index] = NameAndIndex(std::string(Trim(*raw_name)), uses);
    uses[name] = index + 1;
    zones.push_back({.name = name,
                     .index = index,
                     .path = std::filesystem::path(directory).lexically_normal().string(),
                     .energy_microjoules = ReadEnergy(directory, read_file)});
  }
  return zones;
}

}  // namespace hw_exporter::sysfs
