#include "hw_exporter/sysfs/dmi.h"

#include <array>
#include <string_view>

#include "hw_exporter/core/paths.h"

namespace hw_exporter::sysfs {

namespace {

// The identification attributes; the directory also holds modalias, uevent and power/, which are not.
constexpr std::array<std::string_view, 21> kAttributes = {
    "bios_date",      "bios_release",    "bios_vendor",    "bios_version",      "board_asset_tag", "board_name",
    "board_serial",   "board_vendor",    "board_version",  "chassis_asset_tag", "chassis_serial",  "chassis_type",
    "chassis_vendor", "chassis_version", "product_family", "product_name",      "product_serial",  "product_sku",
    "product_uuid",   "product_version", "sys_vendor",
};

}  // namespace

DmiId ReadDmiId(const std::string& directory, const FileReader& read_file) {
  DmiId id;
  for (std::string_view attribute : kAttributes) {
    auto value = ReadOptionalAttribute(Paths::Join(directory, attribute), read_file);
    if (value) id.emplace(attribute, *std::move(value));
  }
  return id;
}

}  // namespace hw_exporter::sysfs
