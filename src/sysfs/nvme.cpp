#include "hw_exporter/sysfs/nvme.h"

#include <optional>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/paths.h"
#include "hw_exporter/sysfs/file_reader.h"

namespace hw_exporter::sysfs {

namespace {

std::optional<NvmeController> ReadController(const std::string& class_directory, const std::string& name) {
  std::string directory = Paths::Join(class_directory, name);
  NvmeController controller;
  controller.device = name;
  for (auto [attribute, field] :
       {std::pair{"firmware_rev", &controller.firmware_revision}, std::pair{"model", &controller.model},
        std::pair{"serial", &controller.serial}, std::pair{"state", &controller.state}}) {
    auto value = ReadOptionalAttribute(Paths::Join(directory, attribute));
    if (!value) return std::nullopt;
    *field = *std::move(value);
  }
  return controller;
}

}  // namespace

std::vector<NvmeController> ReadNvmeControllers(const std::string& class_directory) {
  std::vector<NvmeController> controllers;
  for (const std::string& name : ListDirectoryIfExists(class_directory)) {
    if (auto controller = ReadController(class_directory, name)) controllers.push_back(*std::move(controller));
  }
  return controllers;
}

}  // namespace hw_exporter::sysfs
