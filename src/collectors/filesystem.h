#pragma once

// The filesystem collector's seam: how it asks the kernel for a filesystem's usage, so that a test can make the
// call fail or hang the way statfs(2) on a dead NFS server does.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "hw_exporter/collectors/collector.h"

namespace hw_exporter {

struct FilesystemUsage {
  uint64_t block_size = 0;
  uint64_t blocks = 0;
  uint64_t blocks_free = 0;
  uint64_t blocks_available = 0;  // to unprivileged users
  uint64_t files = 0;
  uint64_t files_free = 0;
};

// The usage of the filesystem a path is on, or nullopt when the call failed. May block indefinitely.
using StatFsFunction = std::function<std::optional<FilesystemUsage>(const std::string& path)>;

// statfs(2).
std::optional<FilesystemUsage> StatFs(const std::string& path);

// MakeFilesystemCollector with another statfs.
std::unique_ptr<Collector> MakeFilesystemCollector(const CollectorContext& context, StatFsFunction statfs);

}  // namespace hw_exporter
