#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter::procfs {

// One line of /proc/<pid>/mountinfo (proc(5)), with the kernel's octal escapes (\040 for a blank ...) decoded.
struct MountInfo {
  std::string mount_point;
  std::string fs_type;
  std::string source;                      // "/dev/sda1", "tmpfs", "server:/export" ...
  std::vector<std::string> mount_options;  // per mount point: rw/ro, nosuid, relatime ...
  std::vector<std::string> super_options;  // per superblock: rw/ro, errors=remount-ro ...
};

// Parses the text of a mountinfo file; source names the file in error messages. Throws ParseError for a line
// without the " - " separator or the fields around it.
std::vector<MountInfo> ParseMountInfo(std::string_view text, std::string_view source);

}  // namespace hw_exporter::procfs
