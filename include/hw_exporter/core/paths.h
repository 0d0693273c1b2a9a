#pragma once

#include <string>
#include <string_view>

namespace hw_exporter {

// The roots every collector reads through, so that a collector can be pointed at a fixture tree
// (node_exporter's --path.* flags and defaults).
struct Paths {
  std::string procfs = "/proc";
  std::string sysfs = "/sys";
  std::string rootfs = "/";
  std::string udev_data = "/run/udev/data";

  std::string Proc(std::string_view relative) const { return Join(procfs, relative); }
  std::string Sys(std::string_view relative) const { return Join(sysfs, relative); }
  std::string Root(std::string_view relative) const { return Join(rootfs, relative); }
  std::string Udev(std::string_view relative) const { return Join(udev_data, relative); }

  // root + "/" + relative, without doubling or dropping the separator.
  static std::string Join(std::string_view root, std::string_view relative);
};

}  // namespace hw_exporter
