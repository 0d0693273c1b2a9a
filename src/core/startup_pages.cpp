#include "hw_exporter/core/startup_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hw_exporter {

namespace {

// One mapping of /proc/self/smaps, as far as ReleaseStartupPages looks at it.
struct Mapping {
  std::uintptr_t start = 0;
  std::uintptr_t end = 0;
  std::string permissions;
  std::string path;
  std::size_t resident_kb = 0;
  std::size_t anonymous_kb = 0;  // pages copied on write: what the process wrote to

  // A file's read-only pages, none written by the process: their content is the file's.
  bool FilesOwnPages() const {
    return !path.empty() && path.front() == '/' && permissions.size() == 4 && permissions[1] == '-' &&
           permissions[3] == 'p' && anonymous_kb == 0 && resident_kb > 0;
  }
};

std::vector<Mapping> ReadMappings() {
  std::vector<Mapping> mappings;
  std::ifstream smaps("/proc/self/smaps");
  for (std::string line; std::getline(smaps, line);) {
    std::istringstream fields(line);
    std::string first;
    fields >> first;
    const std::size_t dash = first.find('-');
    if (dash != std::string::npos && first.back() != ':') {
      Mapping mapping;
      mapping.start = std::stoull(first.substr(0, dash), nullptr, 16);
      mapping.end = std::stoull(first.substr(dash + 1), nullptr, 16);
      std::string offset, device, inode;
      fields >> mapping.permissions >> offset >> device >> inode;
      std::getline(fields >> std::ws, mapping.path);
      mappings.push_back(std::move(mapping));
    } else if (!mappings.empty() && (first == "Rss:" || first == "Anonymous:")) {
      std::size_t kb = 0;
      fields >> kb;
      (first == "Rss:" ? mappings.back().resident_kb : mappings.back().anonymous_kb) = kb;
    }
  }
  return mappings;
}

}  // namespace

std::size_t ReleaseStartupPages() {
  std::size_t released = 0;
  for (const Mapping& mapping : ReadMappings()) {
    if (!mapping.FilesOwnPages()) continue;
    if (madvise(reinterpret_cast<void*>(mapping.start), mapping.end - mapping.start, MADV_DONTNEED) == 0)
      released += mapping.resident_kb * 1024;
  }
  return released;
}

}  // namespace hw_exporter
