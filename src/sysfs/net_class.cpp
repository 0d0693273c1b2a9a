#include "hw_exporter/sysfs/net_class.h"

#include <array>
#include <filesystem>
#include <limits>
#include <optional>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/paths.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

namespace {

// A list of names, filled as text.
// clang-format off
constexpr std::array<const char*, 17> kNumericAttributes = {
    "addr_assign_type", "carrier", "carrier_changes", "carrier_down_count", "carrier_up_count", "dev_id",
    "dormant", "flags", "ifindex", "iflink", "link_mode", "mtu", "name_assign_type", "netdev_group", "speed",
    "tx_queue_len", "type"};
// clang-format on

// Attributes are decimal except dev_id and flags, which the kernel prints in hex with a 0x prefix.
std::optional<long long> ParseAttributeNumber(std::string_view text) {
  if (StartsWith(text, "0x")) {
    auto value = ParseUnsigned(text, 16);
    if (!value || *value > static_cast<unsigned long long>(std::numeric_limits<long long>::max())) return std::nullopt;
    return static_cast<long long>(*value);
  }
  return ParseSigned(text);
}

}  // namespace

std::vector<std::string> ListNetClassInterfaces(const std::string& class_net_directory) {
  std::vector<std::string> interfaces;
  for (std::string& name : ListDirectoryIfExists(class_net_directory)) {
    std::error_code ignored;
    if (std::filesystem::is_directory(Paths::Join(class_net_directory, name), ignored)) {
      interfaces.push_back(std::move(name));
    }
  }
  return interfaces;
}

NetClassInterface ReadNetClassInterface(const std::string& class_net_directory, const std::string& name) {
  const std::string directory = Paths::Join(class_net_directory, name);
  auto attribute = [&](const char* file) { return TryReadAttributeLine(Paths::Join(directory, file)).value_or(""); };
  NetClassInterface interface;
  interface.name = name;
  interface.address = attribute("address");
  interface.broadcast = attribute("broadcast");
  interface.duplex = attribute("duplex");
  interface.ifalias = attribute("ifalias");
  interface.operstate = attribute("operstate");
  for (const char* file : kNumericAttributes) {
    if (auto value = ParseAttributeNumber(attribute(file))) interface.numbers.emplace(file, *value);
  }
  return interface;
}

}  // namespace hw_exporter::sysfs
