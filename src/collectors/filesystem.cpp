// Filesystem usage of every mount point, as node_exporter 1.5's filesystem collector exposes it: mounts from the
// mountinfo of pid 1 (the host's mount namespace when the exporter runs in a container), statfs(2) through the
// rootfs path, and a statfs that hangs costs a bounded wait (see StuckMounts).
#include "filesystem.h"

#include <sys/statfs.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <tuple>

#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/procfs/mountinfo.h"
#include "name_filter.h"
#include "stuck_mounts.h"

namespace hw_exporter {

namespace {

struct Filesystem {
  std::string device;
  std::string mount_point;  // as the host sees it
  std::string fs_type;
  bool read_only = false;

  Labels labels() const { return {{"device", device}, {"mountpoint", mount_point}, {"fstype", fs_type}}; }
  auto key() const { return std::tie(device, mount_point, fs_type); }
};

bool Contains(const std::vector<std::string>& options, std::string_view option) {
  return std::find(options.begin(), options.end(), option) != options.end();
}

// A mount point as the host sees it: when the exporter runs with the host's root under --path.rootfs, its own
// mount table shows that prefix, which node_exporter strips.
std::string StripRootfs(const std::string& mount_point, std::string_view rootfs) {
  while (rootfs.size() > 1 && rootfs.back() == '/') rootfs.remove_suffix(1);
  if (rootfs == "/" || !StartsWith(mount_point, rootfs)) return mount_point;
  std::string_view rest = std::string_view(mount_point).substr(rootfs.size());
  if (rest.empty()) return "/";
  return rest.front() == '/' ? std::string(rest) : mount_point;
}

class FilesystemCollector : public Collector {
 public:
  FilesystemCollector(const CollectorContext& context, StatFsFunction statfs)
      : paths_(context.paths),
        mount_point_filter_(RegexOption(context, "mount-points-exclude"), {}),
        fs_type_filter_(RegexOption(context, "fs-types-exclude"), {}),
        stuck_mounts_(std::move(statfs), PositiveDurationOption(context, "statfs-timeout"), context.clock,
                      context.log) {}

  Families Collect() override {
    std::vector<Filesystem> filesystems = Filesystems();
    std::vector<std::string> statfs_paths;
    statfs_paths.reserve(filesystems.size());
    for (const Filesystem& filesystem : filesystems) statfs_paths.push_back(paths_.Root(filesystem.mount_point));
    std::vector<std::optional<FilesystemUsage>> usages = stuck_mounts_.StatAll(statfs_paths);

    FamilySet families;
    for (size_t i = 0; i < filesystems.size(); ++i) Add(families, filesystems[i], usages[i]);
    return families.Take();
  }

 private:
  // The mounts of /proc/1/mountinfo; of its own when the exporter may not see pid 1's (hidepid, a process namespace
  // of its own).
  std::vector<procfs::MountInfo> ReadMountInfo() const {
    const std::string init_path = paths_.Proc("1/mountinfo");
    int error_number = 0;
    if (auto text = TryReadFile(init_path, &error_number)) return procfs::ParseMountInfo(*text, init_path);
    if (error_number != ENOENT && error_number != EACCES) throw FsError(init_path, error_number);
    const std::string own_path = paths_.Proc("self/mountinfo");
    return procfs::ParseMountInfo(ReadFile(own_path), own_path);
  }

  // The mounts to report, without excluded ones and without repeats of a label set (a mount point mounted over
  // twice by the same device), which would be duplicate series.
  std::vector<Filesystem> Filesystems() const {
    std::vector<Filesystem> filesystems;
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (procfs::MountInfo& mount : ReadMountInfo()) {
      Filesystem filesystem{std::move(mount.source), StripRootfs(mount.mount_point, paths_.rootfs),
                            std::move(mount.fs_type),
                            Contains(mount.mount_options, "ro") || Contains(mount.super_options, "ro")};
      if (mount_point_filter_.Ignored(filesystem.mount_point) || fs_type_filter_.Ignored(filesystem.fs_type)) continue;
      if (!seen.insert(filesystem.key()).second) continue;
      filesystems.push_back(std::move(filesystem));
    }
    return filesystems;
  }

  static void Add(FamilySet& families, const Filesystem& filesystem, const std::optional<FilesystemUsage>& usage) {
    const Labels labels = filesystem.labels();
    families.Gauge("node_filesystem_device_error",
                   "Whether an error occurred while getting statistics for the given device.", usage ? 0 : 1, labels);
    if (!usage) return;
    const double block_size = static_cast<double>(usage->block_size);
    families.Gauge("node_filesystem_size_bytes", "Filesystem size in bytes.",
                   static_cast<double>(usage->blocks) * block_size, labels);
    families.Gauge("node_filesystem_free_bytes", "Filesystem free space in bytes.",
                   static_cast<double>(usage->blocks_free) * block_size, labels);
    families.Gauge("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.",
                   static_cast<double>(usage->blocks_available) * block_size, labels);
    families.Gauge("node_filesystem_files", "Filesystem total file nodes.", static_cast<double>(usage->files), labels);
    families.Gauge("node_filesystem_files_free", "Filesystem total free file nodes.",
                   static_cast<double>(usage->files_free), labels);
    families.Gauge("node_filesystem_readonly", "Filesystem read-only status.", filesystem.read_only ? 1 : 0, labels);
  }

  Paths paths_;
  NameFilter mount_point_filter_;
  NameFilter fs_type_filter_;
  StuckMounts stuck_mounts_;
};

}  // namespace

std::optional<FilesystemUsage> StatFs(const std::string& path) {
  struct statfs buffer {};
  if (::statfs(path.c_str(), &buffer) != 0) return std::nullopt;
  return FilesystemUsage{static_cast<uint64_t>(buffer.f_bsize),
                         buffer.f_blocks,
                         buffer.f_bfree,
                         buffer.f_bavail,
                         buffer.f_files,
                         buffer.f_ffree};
}

std::unique_ptr<Collector> MakeFilesystemCollector(const CollectorContext& context, StatFsFunction statfs) {
  return std::make_unique<FilesystemCollector>(context, std::move(statfs));
}

std::unique_ptr<Collector> MakeFilesystemCollector(const CollectorContext& context) {
  return MakeFilesystemCollector(context, StatFs);
}

}  // namespace hw_exporter
