#include "collectors/filesystem.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "collectors/collector_harness.h"
#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/strings.h"
#include "support/fake_clock.h"
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
  root.Write("proc/1/mountinfo", "1 0 8:1 / " + root.path() + " rw - ext4 /dev/sda1 rw\n" + "2 1 8:2 / " + root.path() +
                                     "/home rw - ext4 /dev/sda2 rw\n" + "3 0 8:3 / " + root.path() +
                                     "-other rw - ext4 /dev/sda3 rw\n");
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
  for (const char* value : {"0s", "soon", "", "300y"}) {
    try {
      harness.Make("filesystem", {{"statfs-timeout", value}});
      ADD_FAILURE() << "accepted " << value;
    } catch (const CollectorOptionError& error) {
      EXPECT_EQ(error.option(), "statfs-timeout");
    }
  }
}

// The threads of this process, by their ids in /proc/self/task.
std::set<std::string> Threads() {
  std::set<std::string> threads;
  std::error_code error;
  for (std::filesystem::directory_iterator it("/proc/self/task", error), end; !error && it != end; it.increment(error))
    threads.insert(it->path().filename().string());
  return threads;
}

// Whether a thread's entry vanished from /proc/self/task within a generous bound. A thread's entry goes some time
// after it ended (after a join returned, even), so the test looks until then.
bool ThreadEnds(const std::string& thread) {
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (Threads().contains(thread)) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

std::string ThisThread() { return std::to_string(::gettid()); }

TEST(FilesystemCollector, RunsEveryStatfsOnOneWorkerThreadJoinedWithTheCollector) {
  auto statfs_threads = std::make_shared<std::set<std::string>>();
  StatFsFunction statfs = [statfs_threads](const std::string&) -> std::optional<FilesystemUsage> {
    statfs_threads->insert(ThisThread());  // one call at a time: no lock needed while there is one worker
    return Usage();
  };
  CollectorHarness harness(Fixture("storage_network"));
  auto collector = MakeFilesystemCollector(harness.Context("filesystem"), statfs);
  StartRuntimeThreads();
  const std::set<std::string> before = Threads();
  collector->Collect();
  const std::set<std::string> started = Threads();
  for (int refresh = 0; refresh < 500; ++refresh) collector->Collect();
  EXPECT_EQ(Threads(), started) << "threads started or ended while nothing hung";
  EXPECT_EQ(started.size(), before.size() + 1);
  ASSERT_EQ(statfs_threads->size(), 1u);
  const std::string worker = *statfs_threads->begin();
  EXPECT_NE(worker, ThisThread());
  EXPECT_TRUE(started.contains(worker));

  collector.reset();
  EXPECT_TRUE(ThreadEnds(worker));
}

// How many times a thread of this process has waited (its voluntary context switches).
long Waits(const std::string& thread) {
  const std::string status = ReadFile("/proc/self/task/" + thread + "/status");
  return std::stol(status.substr(status.find("voluntary_ctxt_switches:") + 24));
}

// A collection's calls go to the worker in one hand-over: the worker waits once or twice per collection (for the
// calls, and for the lock they came under), not once per mount point.
TEST(FilesystemCollector, HandsACollectionsCallsToItsWorkerAtOnce) {
  struct Calls {
    std::mutex mutex;
    int made = 0;
    std::string thread;
  };
  auto calls = std::make_shared<Calls>();
  StatFsFunction statfs = [calls](const std::string&) -> std::optional<FilesystemUsage> {
    std::lock_guard lock(calls->mutex);
    ++calls->made;
    calls->thread = ThisThread();
    return Usage();
  };
  CollectorHarness harness(Fixture("storage_network"));
  auto collector = MakeFilesystemCollector(harness.Context("filesystem"), statfs);
  collector->Collect();
  const int per_collection = calls->made;
  ASSERT_GE(per_collection, 4) << "too few mount points to tell a batch from calls one by one";
  const long before = Waits(calls->thread);
  constexpr int kCollections = 50;
  for (int collection = 0; collection < kCollections; ++collection) collector->Collect();
  EXPECT_EQ(calls->made, per_collection * (kCollections + 1));
  EXPECT_LE(Waits(calls->thread) - before, 2 * kCollections);
}

// A statfs on /srv/nfs and /srv/my data that hangs like one on a dead NFS server: it outlasts the statfs timeout on
// the collector's clock, then blocks until the test opens the gate. Other paths answer at once.
class HangingStatFs {
 public:
  static constexpr auto kTimeout = 100ms;  // the collector's statfs-timeout

  HangingStatFs() : clock_(std::make_shared<FakeClock>()), gate_(std::make_shared<Gate>()) {}

  FakeClock& clock() { return *clock_; }

  StatFsFunction Function() const {
    return [clock = clock_, gate = gate_](const std::string& path) -> std::optional<FilesystemUsage> {
      if (!EndsWith(path, "/srv/nfs") && !EndsWith(path, "/srv/my data")) return Usage();
      std::unique_lock lock(gate->mutex);
      ++gate->calls;
      if (gate->open) return Usage();
      gate->hung_threads.push_back(ThisThread());
      clock->Advance(kTimeout);
      gate->opened.wait(lock, [&] { return gate->open; });
      return Usage();
    };
  }

  void Open() {
    std::lock_guard lock(gate_->mutex);
    gate_->open = true;
    gate_->opened.notify_all();
  }

  int calls() const {
    std::lock_guard lock(gate_->mutex);
    return gate_->calls;
  }

  std::vector<std::string> hung_threads() const {
    std::lock_guard lock(gate_->mutex);
    return gate_->hung_threads;
  }

 private:
  struct Gate {
    std::mutex mutex;
    std::condition_variable opened;
    bool open = false;
    int calls = 0;  // on the paths that hang while the gate is shut
    std::vector<std::string> hung_threads;
  };

  // Shared with the calls, which may outlive the test's objects while they hang.
  std::shared_ptr<FakeClock> clock_;
  std::shared_ptr<Gate> gate_;
};

std::map<std::string, std::string> TimeoutOption() { return {{"statfs-timeout", "100ms"}}; }

TEST(FilesystemCollector, AHungStatfsIsSkippedUntilItReturnsWithoutBlockingOtherMounts) {
  HangingStatFs statfs;
  CollectorHarness harness(Fixture("storage_network"), statfs.clock());
  auto collector = MakeFilesystemCollector(harness.Context("filesystem", TimeoutOption()), statfs.Function());

  const Labels my_data = Mount("/dev/sda2", "/srv/my data", "xfs");
  const Labels scratch = Mount("", "/srv/scratch", "tmpfs");
  Families first = collector->Collect();
  EXPECT_EQ(SampleValue(first, "node_filesystem_device_error", kNfs), 1);
  EXPECT_FALSE(SampleValue(first, "node_filesystem_size_bytes", kNfs));
  EXPECT_EQ(SampleValue(first, "node_filesystem_device_error", my_data), 1);
  EXPECT_EQ(SampleValue(first, "node_filesystem_device_error", kRoot), 0);
  EXPECT_EQ(SampleValue(first, "node_filesystem_size_bytes", kRoot), 4096.0 * 1000);
  // Listed after both hung mounts, and answered by the worker that replaced them.
  EXPECT_EQ(SampleValue(first, "node_filesystem_device_error", scratch), 0);
  const std::vector<std::string> hung = statfs.hung_threads();
  ASSERT_EQ(hung.size(), 2u);
  EXPECT_NE(hung[0], hung[1]) << "the second hung call ran on a fresh worker";

  // Stuck: reported at once, and no second call is started on it.
  Families second = collector->Collect();
  EXPECT_EQ(SampleValue(second, "node_filesystem_device_error", kNfs), 1);
  EXPECT_EQ(SampleValue(second, "node_filesystem_device_error", my_data), 1);
  EXPECT_EQ(SampleValue(second, "node_filesystem_device_error", scratch), 0);
  EXPECT_EQ(statfs.calls(), 2);

  // Once the hung calls return, their threads end and the mount points are watched again.
  statfs.Open();
  for (const std::string& thread : hung) EXPECT_TRUE(ThreadEnds(thread)) << "hung worker " << thread;
  Families third = collector->Collect();
  EXPECT_EQ(SampleValue(third, "node_filesystem_device_error", kNfs), 0);
  EXPECT_EQ(SampleValue(third, "node_filesystem_size_bytes", kNfs), 4096.0 * 1000);
  EXPECT_EQ(SampleValue(third, "node_filesystem_device_error", my_data), 0);
  EXPECT_EQ(statfs.calls(), 4);
}

TEST(FilesystemCollector, AHungStatfsMayOutliveItsCollector) {
  HangingStatFs statfs;
  std::vector<std::string> hung;
  {
    CollectorHarness harness(Fixture("storage_network"), statfs.clock());
    auto collector = MakeFilesystemCollector(harness.Context("filesystem", TimeoutOption()), statfs.Function());
    Families families = collector->Collect();
    EXPECT_EQ(SampleValue(families, "node_filesystem_device_error", kNfs), 1);
    hung = statfs.hung_threads();
  }
  // The hung workers return into state they own, after the collector that started them is gone.
  statfs.Open();
  ASSERT_EQ(hung.size(), 2u);
  for (const std::string& thread : hung) EXPECT_TRUE(ThreadEnds(thread)) << "hung worker " << thread;
}

}  // namespace
}  // namespace hw_exporter::testing
