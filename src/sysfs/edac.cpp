#include "hw_exporter/sysfs/edac.h"

#include <cctype>
#include <optional>
#include <string_view>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/paths.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

namespace {

// The number of an entry named <prefix><digits>[anything], as the kernel's mc0 and csrow3 are; nullopt for entries
// that are not numbered that way (power/, uevent ...).
std::optional<std::string> EntryNumber(std::string_view name, std::string_view prefix) {
  if (!StartsWith(name, prefix)) return std::nullopt;
  name.remove_prefix(prefix.size());
  size_t digits = 0;
  while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
  if (digits == 0) return std::nullopt;
  return std::string(name.substr(0, digits));
}

std::uint64_t ReadCount(const std::string& directory, std::string_view attribute) {
  std::string path = Paths::Join(directory, attribute);
  return RequireUnsigned(Trim(ReadAttribute(path)), "an error count", path, 0);
}

std::vector<EdacCsrow> ReadCsrows(const std::string& controller_directory) {
  std::vector<EdacCsrow> csrows;
  for (const std::string& name : ListDirectory(controller_directory)) {
    auto number = EntryNumber(name, "csrow");
    if (!number) continue;
    std::string directory = Paths::Join(controller_directory, name);
    csrows.push_back({*number, ReadCount(directory, "ce_count"), ReadCount(directory, "ue_count")});
  }
  return csrows;
}

EdacController ReadController(const std::string& directory, std::string number) {
  EdacController controller;
  controller.number = std::move(number);
  controller.correctable = ReadCount(directory, "ce_count");
  controller.uncorrectable = ReadCount(directory, "ue_count");
  controller.correctable_without_row = ReadCount(directory, "ce_noinfo_count");
  controller.uncorrectable_without_row = ReadCount(directory, "ue_noinfo_count");
  controller.csrows = ReadCsrows(directory);
  return controller;
}

}  // namespace

std::vector<EdacController> ReadEdacControllers(const std::string& mc_directory) {
  std::vector<EdacController> controllers;
  for (const std::string& name : ListDirectoryIfExists(mc_directory)) {
    auto number = EntryNumber(name, "mc");
    if (!number) continue;
    controllers.push_back(ReadController(Paths::Join(mc_directory, name), *std::move(number)));
  }
  return controllers;
}

}  // namespace hw_exporter::sysfs
