#include "hw_exporter/sysfs/hwmon.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>

#include "hw_exporter/core/fs.h"

namespace hw_exporter::sysfs {

namespace {

// node_exporter 1.5's sensor types, and "freq" (GPU clocks), which it reads from 1.9 on.
constexpr std::array<std::string_view, 14> kSensorTypes = {
    "vrm",  "beep_enable", "update_interval", "in",     "cpu",      "fan",       "pwm",
    "temp", "curr",        "power",           "energy", "humidity", "intrusion", "freq",
};

bool IsSensorType(std::string_view type) {
  return std::find(kSensorTypes.begin(), kSensorTypes.end(), type) != kSensorTypes.end();
}

std::string_view TrimNewlines(std::string_view text) {
  while (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  return text;
}

std::optional<std::string> ReadName(const std::string& chip_directory, const FileReader& read_file) {
  int ignored = 0;
  auto contents = read_file(chip_directory + "/name", &ignored);
  if (!contents) return std::nullopt;
  std::string name = CleanHwmonName(*contents);
  if (name.empty()) return std::nullopt;
  return name;
}

// "<parent>_<device>" of where the chip's "device" link resolves to, or the device alone when its parent's name
// cleans to nothing.
std::optional<std::string> LabelFromDevice(const ReadsInDirectory& device) {
  std::optional<std::string> real = device.RealPath();
  if (!real) return std::nullopt;
  const std::filesystem::path device_path(*real);
  std::string device_name = CleanHwmonName(device_path.filename().string());
  if (device_name.empty()) return std::nullopt;
  std::string parent_name = CleanHwmonName(device_path.parent_path().filename().string());
  return parent_name.empty() ? device_name : parent_name + "_" + device_name;
}

std::optional<std::string> LabelFromDirectory(const ReadsInDirectory& chip) {
  std::optional<std::string> real = chip.RealPath();
  if (!real) return std::nullopt;
  std::string label = CleanHwmonName(std::filesystem::path(*real).filename().string());
  if (label.empty()) return std::nullopt;
  return label;
}

std::optional<std::string> ChipLabel(const ReadsInDirectory& chip, const ReadsInDirectory& device,
                                     const std::optional<std::string>& name) {
  if (auto label = LabelFromDevice(device)) return label;
  if (name) return name;
  return LabelFromDirectory(chip);
}

void ReadAttributesOf(const ReadsInDirectory& scope, const FileReader& read_file,
                      std::map<std::string, HwmonSensor>& sensors) {
  for (const std::string& file_name : scope.ListIfExists()) {
    auto parsed = ParseHwmonFileName(file_name);
    if (!parsed || !IsSensorType(parsed->type)) continue;
    int ignored = 0;
    auto contents = read_file(ChildPath(scope.directory(), file_name), &ignored);
    if (!contents) continue;
    std::string key = parsed->type + std::to_string(parsed->number);
    HwmonSensor& sensor = sensors[key];
    sensor.name = key;
    sensor.type = parsed->type;
    // The device directory is read last, so its files win over the chip's, as in node_exporter.
    sensor.attributes[parsed->property] = std::string(TrimNewlines(*contents));
  }
}

// The chip's directory and its device's are each opened once (a scope), for the chip's name, its label and its
// sensors.
std::optional<HwmonChip> ReadChip(const std::string& directory, const FileReader& read_file,
                                  const HwmonChipFilter& wanted) {
  const ReadsInDirectory chip(directory);
  if (!chip.Exists()) return std::nullopt;
  const ReadsInDirectory device(directory + "/device");
  std::optional<std::string> name = ReadName(directory, read_file);
  auto label = ChipLabel(chip, device, name);
  if (!label || (wanted && !wanted(*label))) return std::nullopt;
  std::map<std::string, HwmonSensor> by_name;
  ReadAttributesOf(chip, read_file, by_name);
  ReadAttributesOf(device, read_file, by_name);
  std::vector<HwmonSensor> sensors;
  sensors.reserve(by_name.size());
  for (auto& [sensor_name, sensor] : by_name) sensors.push_back(std::move(sensor));
  return HwmonChip{directory, *std::move(label), std::move(name), std::move(sensors)};
}

}  // namespace

std::optional<HwmonFileName> ParseHwmonFileName(std::string_view file_name) {
  // node_exporter's pattern ^([^0-9]+)([0-9]*)(_(.+))?$, matched as a backtracking engine matches it (Go's
  // leftmost-first choice), so that odd names ("temp_1x" -> temp, 0, "1x") split the same way: the longest type
  // with its digits after which what is left is nothing or "_<property>", else the longest shorter type followed by
  // "_<property>" (a shorter type is followed by a non-digit, so by no digits).
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  // "_" and at least one character, none of which ends a line ('.' does not match those).
  auto is_property = [](std::string_view rest) {
    return rest.size() >= 2 && rest[0] == '_' && rest.find_first_of("\n\r") == std::string_view::npos;
  };
  const auto position = [&](auto at) { return static_cast<std::size_t>(at - file_name.begin()); };
  const std::size_t longest = position(std::find_if(file_name.begin(), file_name.end(), is_digit));
  if (longest == 0) return std::nullopt;
  const std::size_t after_digits = position(std::find_if_not(file_name.begin() + static_cast<std::ptrdiff_t>(longest),
                                                             file_name.end(), is_digit));
  std::size_t type_length = 0;
  std::size_t digits_end = 0;
  if (after_digits == file_name.size() || is_property(file_name.substr(after_digits))) {
    type_length = longest;
    digits_end = after_digits;
  } else {
    for (std::size_t length = longest - 1; length > 0 && type_length == 0; --length) {
      if (is_property(file_name.substr(length))) type_length = digits_end = length;
    }
  }
  if (type_length == 0) return std::nullopt;
  HwmonFileName parsed;
  parsed.type = std::string(file_name.substr(0, type_length));
  if (digits_end < file_name.size()) parsed.property = std::string(file_name.substr(digits_end + 1));
  const std::string_view digits = file_name.substr(type_length, digits_end - type_length);
  if (!digits.empty()) {
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed.number);
    if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  }
  return parsed;
}

std::string CleanHwmonName(std::string_view name) {
  std::string cleaned;
  cleaned.reserve(name.size());
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '_';
    cleaned.push_back(valid ? c : '_');
  }
  size_t first = cleaned.find_first_not_of('_');
  if (first == std::string::npos) return {};
  size_t last = cleaned.find_last_not_of('_');
  return cleaned.substr(first, last - first + 1);
}

std::vector<HwmonChip> ReadHwmonChips(const std::string& class_directory, const FileReader& read_file,
                                      const HwmonChipFilter& wanted) {
  std::vector<HwmonChip> chips;
  for (const std::string& entry : ListDirectoryIfExists(class_directory)) {
    if (auto chip = ReadChip(ChildPath(class_directory, entry), read_file, wanted)) chips.push_back(*std::move(chip));
  }
  return chips;
}

}  // namespace hw_exporter::sysfs
