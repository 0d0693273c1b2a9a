#include "hw_exporter/core/paths.h"

namespace hw_exporter {

std::string Paths::Join(std::string_view root, std::string_view relative) {
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  std::string joined(root);
  if (relative.empty()) return joined;
  if (joined.empty() || joined.back() != '/') joined += '/';
  joined += relative;
  return joined;
}

}  // namespace hw_exporter
