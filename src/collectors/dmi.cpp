// node_dmi_info: the machine's DMI identification as labels of a constant 1 (node_exporter's dmi collector).
#include <array>
#include <string_view>
#include <utility>

#include "collectors.h"
#include "hw_exporter/sysfs/dmi.h"

namespace hw_exporter {

namespace {

// node_exporter's label for each attribute file; chassis_type is not one of them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kLabels = {{
    {"bios_date", "bios_date"},
    {"bios_release", "bios_release"},
    {"bios_vendor", "bios_vendor"},
    {"bios_version", "bios_version"},
    {"board_asset_tag", "board_asset_tag"},
    {"board_name", "board_name"},
    {"board_serial", "board_serial"},
    {"board_vendor", "board_vendor"},
    {"board_version", "board_version"},
    {"chassis_asset_tag", "chassis_asset_tag"},
    {"chassis_serial", "chassis_serial"},
    {"chassis_vendor", "chassis_vendor"},
    {"chassis_version", "chassis_version"},
    {"product_family", "product_family"},
    {"product_name", "product_name"},
    {"product_serial", "product_serial"},
    {"product_sku", "product_sku"},
    {"product_uuid", "product_uuid"},
    {"product_version", "product_version"},
    {"system_vendor", "sys_vendor"},
}};

// Length of the well-formed UTF-8 sequence at the start of text, or 0 when it does not start with one
// (overlong forms, surrogates and code points above U+10FFFF are ill-formed, as the Unicode standard says).
size_t ValidSequenceLength(std::string_view text) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || lead < 0xC2 || lead > 0xF4 || text.size() < length) return 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte depends on the lead
  if (lead == 0xE0) low = 0xA0;
  if (lead == 0xED) high = 0x9F;
  if (lead == 0xF0) low = 0x90;
  if (lead == 0xF4) high = 0x8F;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

// Firmware strings are not always UTF-8, label values must be: each run of bad bytes becomes one U+FFFD.
std::string ValidUtf8(std::string_view text) {
  std::string valid;
  bool in_bad_run = false;
  while (!text.empty()) {
    size_t length = ValidSequenceLength(text);
    if (length == 0) {
      if (!in_bad_run) valid += "\xEF\xBF\xBD";
      in_bad_run = true;
      text.remove_prefix(1);
      continue;
    }
    in_bad_run = false;
    valid += text.substr(0, length);
    text.remove_prefix(length);
  }
  return valid;
}

class DmiCollector : public Collector {
 public:
  explicit DmiCollector(std::string directory) : directory_(std::move(directory)) {}

  Families Collect() override {
    sysfs::DmiId id = sysfs::ReadDmiId(directory_);
    Labels labels;
    for (const auto& [label, attribute] : kLabels) {
      auto found = id.find(std::string(attribute));
      if (found != id.end()) labels.push_back({std::string(label), ValidUtf8(found->second)});
    }
    FamilySet families;
    // A machine without DMI (most ARM boards, some VMs) has no series rather than an empty-labelled one.
    if (!labels.empty()) {
      families.Gauge("node_dmi_info",
                     "A metric with a constant '1' value labeled by bios_date, bios_release, bios_vendor, "
                     "bios_version, board_asset_tag, board_name, board_serial, board_vendor, board_version, "
                     "chassis_asset_tag, chassis_serial, chassis_vendor, chassis_version, product_family, "
                     "product_name, product_serial, product_sku, product_uuid, product_version, system_vendor if "
                     "provided by DMI.",
                     1, labels);
    }
    return families.Take();
  }

 private:
  std::string directory_;
};

}  // namespace

std::unique_ptr<Collector> MakeDmiCollector(const CollectorContext& context) {
  return std::make_unique<DmiCollector>(context.paths.Sys("class/dmi/id"));
}

}  // namespace hw_exporter
