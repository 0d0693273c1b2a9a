#include "collectors/filesystem.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "collectors/collector_harness.h"
#include "hw_exporter/core/strings.h"
#include "support/test_support.h"

namespace hw_exporter::testing {
namespace {

using namespace std::chrono_literals;

Labels Mount(const std::string& device, const std::string& mount_point, const std::string& fs_type) {
  return {{"device", device}, {"mountpoint", mount_point}, {"fstype", fs_type}};
}

const Labels kRoot = Mount("/dev/mapper/vg0-root", "/", "ext4");
const Labels kNfs = Mount("server:/export", "/srv/nfs", "nfs4");

// 1000 blocks of 4 KiB, 300 free, 200 of them to unprivileged users; 500 inodes, 100 free.
FilesystemUsage Usage() { return {4096, 1000, 300, 200, 500, 100}; }

// A statfs that answers every path, failing the ones under a given suffix, and records what it was asked.
struct RecordingStatFs {
  std::string failing_suffix = "/never";
  std::shared_ptr<std::vector<std::string>> asked = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();

  std::optional<FilesystemUsage> operator()(const std::string& path) const {
    std::lock_guard lock(*mutex);
    asked->push_back(path);
    if (EndsWith(path, failing_suffix)) return std::nullopt;
    return Usage();
  }
};

Families Collect(const std::string& root, StatFsFunction statfs,
                 const std::map<std::string, std::string>& options = {}) {
  CollectorHarness harness(root);
  return MakeFilesystemCollector(harness.Context("filesystem", options), std::move(statfs))->Collect();
}

TEST(FilesystemCollector, ExportsUsageOfEveryMountNotExcluded) {
  Families families = Collect(Fixture("storage_network"), RecordingStatFs{});
  EXPECT_EQ(SampleValue(families, "node_filesystem_size_bytes", kRoot), 4096.0 * 1000);
  EXPECT_EQ(SampleValue(families, "node_filesystem_free_bytes", kRoot), 4096.0 * 300);
  EXPECT_EQ(SampleValue(families, "node_filesystem_avail_bytes", kRoot), 4096.0 * 200);
  EXPECT_EQ(SampleValue(families, "node_filesystem_files", kRoot), 500);
  EXPECT_EQ(SampleValue(families, "node_filesystem_files_free", kRoot), 100);
  EXPECT_EQ(SampleValue(families, "node_filesystem_readonly", kRoot), 0);
  EXPECT_EQ(SampleValue(families, "node_filesystem_device_error", kRoot), 0);
  // /proc, cgroup2, docker's overlay and /run are excluded; "/" is listed twice but exported once.
  EXPECT_EQ(SeriesCount(families, "node_filesystem_size_bytes"), 5u);
  EXPECT_TRUE(SampleValue(families, "node_filesystem_size_bytes", Mount("", "/srv/scratch", "tmpfs")));
}

TEST(FilesystemCollector, ReadOnlyInMountOrSuperblockOptions) {
  Families families = Collect(Fixture("storage_network"), RecordingStatFs{});
  EXPECT_EQ(SampleValue(families, "node_filesystem_readonly", Mount("/dev/sda1", "/boot", "ext4")), 1);
  EXPECT_EQ(SampleValue(families, "node_filesystem_readonly", Mount("/dev/sda2", "/srv/my data", "xfs")), 1);
}

TEST(FilesystemCollector, StatsMountPointsUnderTheRootfsPath) {
  RecordingStatFs statfs;
  Collect(Fixture("storage_network"), statfs);
  std::sort(statfs.asked->begin(), statfs.asked->end());
  const std::string root = Fixture("storage_network");
  EXPECT_EQ(*statfs.asked, (std::vector<std::string>{root, root + "/boot", root + "/srv/my data", root + "/srv/nfs",
                                                     root + "/srv/scratch"}));
}

TEST(FilesystemCollector, AFailedStatfsIsADeviceErrorWithoutOtherSeries) {
  RecordingStatFs statfs;
  statfs.failing_suffix = "/srv/nfs";
  Families families = Collect(Fixture("storage_network"), statfs);
  EXPECT_EQ(SampleValue(families, "node_filesystem_device_error", kNfs), 1);
  EXPECT_FALSE(SampleValue(families, "node_filesystem_size_bytes", kNfs));
  EXPECT_FALSE(SampleValue(families, "node_filesystem_readonly", kNfs));
  EXPECT_EQ(SampleValue(families, "node_filesystem_device_error", kRoot), 0);
}

TEST(FilesystemCollector, StripsTheRootfsPrefixFromMountPoints) {
  TempDir root;
  root.Write("proc/1/mountinfo", "1 0 8:1 / " + root.path() + " rw - ext4 /dev/sda1 rw\n" +
                                     "2 1 8:2 / " + root.path() + "/home rw - ext4 /dev/sda2 rw\n" +
                                     "3 0 8:3 / " + root.path() + "-other rw - ext4 /dev/sda3 rw\n");
  RecordingStatFs statfs;
  Families families = Collect(root.path(), statfs);
  EXPECT_TRUE(SampleValue(families, "node_filesystem_size_bytes", Mount("/dev/sda1", "/", "ext4")));
  EXPECT_TRUE(SampleValue(families, "node_filesystem_size_bytes", Mount("/dev/sda2", "/home", "ext4")));
  // Only a whole leading path is the rootfs.
  EXPECT_TRUE(SampleValue(families, "node_filesystem_size_bytes", Mount("/dev/sda3", root.path() + "-other", "ext4")));
  EXPECT_NE(std::find(statfs.asked->begin(), statfs.asked->end(), root.path() + "/home"), statfs.asked->end());
}

TEST(FilesystemCollector, FallsBackToItsOwnMountInfoWithoutPidOnes) {
  TempDir root;
  root.Write("proc/self/mountinfo", "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n");
  Families families = Collect(root.path(), RecordingStatFs{});
  EXPECT_TRUE(SampleValue(families, "node_filesystem_size_bytes", Mount("/dev/sda1", "/", "ext4")));
}

TEST(FilesystemCollector, FailsWithoutAnyMountInfo) {
  TempDir root;
  EXPECT_THROW(Collect(root.path(), RecordingStatFs{}), std::exception);
}

TEST(FilesystemCollector, ExcludeOptionsReplaceTheDefaults) {
  Families families = Collect(Fixture("storage_network"), RecordingStatFs{},
                              {{"mount-points-exclude", "^/srv/"}, {"fs-types-exclude", "^ext4$"}});
  EXPECT_EQ(SeriesCount(families, "node_filesystem_size_bytes"), 4u);
  EXPECT_TRUE(SampleValue(families, "node_filesystem_size_bytes", Mount("proc", "/proc", "proc")));
  EXPECT_FALSE(SampleValue(families, "node_filesystem_size_bytes", kRoot));
}

TEST(FilesystemCollector, RejectsABadStatfsTimeout) {
  CollectorHarness harness(Fixture("storage_network"));
  for (const char* value : {"0s", "soon", ""}) {
    try {
      harness.Make("filesystem", {{"statfs-timeout", value}});
      ADD_FAILURE() << "accepted " << value;
    } catch (const CollectorOptionError& error) {
      EXPECT_EQ(error.option(), "statfs-timeout");
    }
  }
}

// A statfs on /srv/nfs that blocks, like one on a dead NFS server, until the test opens the gate.
struct Gate {
  std::mutex mutex;
  std::condition_variable opened;
  bool open = false;
  int hung_calls = 0;
};

TEST(FilesystemCollector, AHungStatfsCostsABoundedWaitAndIsNotRepeatedUntilItReturns) {
  auto gate = std::make_shared<Gate>();
  StatFsFunction statfs = [gate](const std::string& path) -> std::optional<FilesystemUsage> {
    if (EndsWith(path, "/srv/nfs") || EndsWith(path, "/srv/my data")) {
      std::unique_lock lock(gate->mutex);
      ++gate->hung_calls;
      gate->opened.wait(lock, [&] { return gate->open; });
    }
    return Usage();
  };
  auto release = [gate] {
    std::lock_guard lock(gate->mutex);
    gate->open = true;
    gate->opened.notify_all();
  };
  CollectorHarness harness(Fixture("storage_network"));
  auto collector = MakeFilesystemCollector(harness.Context("filesystem", {{"statfs-timeout", "300ms"}}), statfs);

  auto started = std::chrono::steady_clock::now();
  Families first = collector->Collect();
  auto elapsed = std::chrono::steady_clock::now() - started;
  // Both hung calls were waited for together, not one after the other.
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 590ms);
  EXPECT_EQ(SampleValue(first, "node_filesystem_device_error", kNfs), 1);
  EXPECT_FALSE(SampleValue(first, "node_filesystem_size_bytes", kNfs));
  EXPECT_EQ(SampleValue(first, "node_filesystem_device_error", kRoot), 0);
  EXPECT_EQ(SampleValue(first, "node_filesystem_size_bytes", kRoot), 4096.0 * 1000);

  // Stuck: reported at once, and no second call is started on it.
  started = std::chrono::steady_clock::now();
  Families second = collector->Collect();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 300ms);
  EXPECT_EQ(SampleValue(second, "node_filesystem_device_error", kNfs), 1);
  {
    std::lock_guard lock(gate->mutex);
    EXPECT_EQ(gate->hung_calls, 2);
  }

  // Once the hung calls return, the mount points are watched again.
  release();
  std::optional<double> error;
  for (int attempt = 0; attempt < 200 && error != 0.0; ++attempt) {
    std::this_thread::sleep_for(10ms);
    error = SampleValue(collector->Collect(), "node_filesystem_device_error", kNfs);
  }
  EXPECT_EQ(error, 0.0);
  std::lock_guard lock(gate->mutex);
  EXPECT_EQ(gate->hung_calls, 4);
}

}  // namespace
}  // namespace hw_exporter::testing
