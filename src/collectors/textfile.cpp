// node_exporter's textfile collector: the *.prom files that cron jobs and scripts write into a directory, with
// node_textfile_mtime_seconds and node_textfile_scrape_error. Unlike node_exporter's, a broken file hides only
// itself, every file and directory read is bounded, and the directories are watched so that a file renamed into
// place is served at the next scrape.
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "collector_options.h"
#include "collectors.h"
#include "hw_exporter/core/thread_registry.h"
#include "textfile_format.h"

namespace hw_exporter {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using LabelSet = std::vector<ClientMetric::Label>;

constexpr std::string_view kSuffix = ".prom";

// What the collector says about the files; no file may write these.
constexpr std::string_view kMtimeFamily = "node_textfile_mtime_seconds";
constexpr std::string_view kScrapeErrorFamily = "node_textfile_scrape_error";
constexpr std::string_view kFileErrorFamily = "hw_exporter_textfile_file_error";
constexpr std::string_view kOwnFamilies[] = {kMtimeFamily, kScrapeErrorFamily, kFileErrorFamily};

std::string ErrnoText(int error) { return std::strerror(error); }

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Watches directories with inotify on a thread of its own, and calls `changed` when a *.prom file appears in one
// (renamed into place, or closed after writing), disappears, or the directory itself goes away. Temporary files
// ("x.prom.1234") do not count: they are not read, and their rename is the event that matters.
class DirectoryWatcher {
 public:
  explicit DirectoryWatcher(std::function<void()> changed) : state_(std::make_shared<State>()) {
    state_->changed = std::move(changed);
    if (state_->inotify.get() < 0 || state_->stop.get() < 0)
      throw std::runtime_error("cannot watch the textfile directories: " + ErrnoText(errno));
    thread_ = std::thread([state = state_] { Run(*state); });
  }

  // Stops the thread and joins it. The thread may be the one destroying the watcher, when its call of `changed`
  // released the last owner of the family cache (which owns the collector): it is then detached and ends by itself,
  // touching only the state it shares.
  ~DirectoryWatcher() {
    const std::uint64_t one = 1;
    if (write(state_->stop.get(), &one, sizeof one) < 0) {
      // An eventfd's counter cannot overflow from one write; nothing else can fail here.
    }
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  // Makes `directories` the watched set. A directory that cannot be watched (not there yet) is tried again on the
  // next call; the collector calls on every refresh.
  void Watch(const std::vector<std::string>& directories) {
    std::lock_guard lock(state_->mutex);
    for (auto it = state_->watches.begin(); it != state_->watches.end();) {
      if (std::find(directories.begin(), directories.end(), it->first) == directories.end()) {
        inotify_rm_watch(state_->inotify.get(), it->second);
        it = state_->watches.erase(it);
      } else {
        ++it;
      }
    }
    for (const std::string& directory : directories) {
      const int watch = inotify_add_watch(state_->inotify.get(), directory.c_str(),
                                          IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF |
                                              IN_MOVE_SELF | IN_ONLYDIR);
      if (watch >= 0) state_->watches[directory] = watch;
    }
  }

 private:
  struct State {
    Descriptor inotify{inotify_init1(IN_NONBLOCK | IN_CLOEXEC)};
    Descriptor stop{eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)};
    std::function<void()> changed;
    std::mutex mutex;
    std::map<std::string, int> watches;
  };

  static bool Relevant(const inotify_event& event) {
    if (event.mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_Q_OVERFLOW)) return true;
    return event.len > 0 && std::string_view(event.name).ends_with(kSuffix);
  }

  static void Run(State& state) {
    NameThisThread("textfile-watch");
    alignas(inotify_event) char buffer[16384];
    for (;;) {
      pollfd fds[2] = {{state.inotify.get(), POLLIN, 0}, {state.stop.get(), POLLIN, 0}};
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents) return;
      bool relevant = false;
      for (;;) {
        const ssize_t length = read(state.inotify.get(), buffer, sizeof buffer);
        if (length <= 0) break;
        for (ssize_t at = 0; at < length;) {
          const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
          relevant = relevant || Relevant(*event);
          at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        }
      }
      // One call for a burst of events: a refresh reads every file anyway.
      if (relevant) state.changed();
    }
  }

  std::shared_ptr<State> state_;
  std::thread thread_;
};

// The directories a pattern names: its glob(7) matches, or the pattern itself when nothing matches (as
// node_exporter does, so that a missing directory is reported rather than ignored).
std::vector<std::string> ExpandPattern(const std::string& pattern) {
  glob_t matches{};
  std::vector<std::string> directories;
  if (glob(pattern.c_str(), GLOB_ONLYDIR, nullptr, &matches) == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      std::string directory = matches.gl_pathv[i];
      while (directory.size() > 1 && directory.back() == '/') directory.pop_back();
      directories.push_back(std::move(directory));
    }
  }
  globfree(&matches);
  if (directories.empty()) directories.push_back(pattern);
  return directories;
}

// The *.prom names in a directory, sorted; throws with errno's text.
std::vector<std::string> ListTextfiles(const std::string& directory) {
  DIR* dir = opendir(directory.c_str());
  if (!dir) throw std::runtime_error(ErrnoText(errno));
  std::vector<std::string> names;
  while (const dirent* entry = readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name.size() > kSuffix.size() && name.ends_with(kSuffix)) names.emplace_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

// A file longer than the bytes a read may take; size is what it has, or at least.
class TooLarge : public std::runtime_error {
 public:
  explicit TooLarge(std::uint64_t bytes) : std::runtime_error("too large"), size(bytes) {}
  std::uint64_t size;
};

struct Textfile {
  std::string text;
  double mtime_seconds = 0;
};

// The whole file, as one version of it: a file that changes while it is read (written in place rather than renamed
// into place) is refused, and the next event reads it again. Throws TooLarge beyond max_bytes, else with the reason.
Textfile ReadTextfile(const std::string& path, std::uint64_t max_bytes) {
  // O_NONBLOCK: a FIFO named *.prom must not block the refresh; it is refused below as not a regular file.
  Descriptor fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) throw std::runtime_error(ErrnoText(errno));
  struct stat before {};
  if (fstat(fd.get(), &before) != 0) throw std::runtime_error(ErrnoText(errno));
  if (!S_ISREG(before.st_mode)) throw std::runtime_error("not a regular file");
  if (static_cast<std::uint64_t>(before.st_size) > max_bytes)
    throw TooLarge(static_cast<std::uint64_t>(before.st_size));
  Textfile file;
  file.text.resize(static_cast<size_t>(before.st_size) + 1);
  size_t filled = 0;
  for (;;) {
    if (filled == file.text.size()) {
      if (filled > max_bytes) throw TooLarge(filled);
      file.text.resize(std::min<std::uint64_t>(filled * 2, max_bytes + 1));
    }
    const ssize_t got = read(fd.get(), file.text.data() + filled, file.text.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::runtime_error(ErrnoText(errno));
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  file.text.resize(filled);
  struct stat after {};
  if (fstat(fd.get(), &after) != 0) throw std::runtime_error(ErrnoText(errno));
  if (after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
      after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || filled != static_cast<size_t>(before.st_size)) {
    throw std::runtime_error("changed while it was read: write it under another name and rename it into place");
  }
  // Whole seconds, as node_exporter 1.5 reports it.
  file.mtime_seconds = static_cast<double>(before.st_mtim.tv_sec);
  return file;
}

// The families of every file read so far. A file whose families clash with an earlier file's (another type for a
// name, or a series given again) is refused whole, so that what is served is exactly the files that were read.
class Merged {
 public:
  // Adds the file's families, or throws with the clash.
  void Add(Families families, const std::string& path) {
    for (const MetricFamily& family : families) {
      if (std::find(std::begin(kOwnFamilies), std::end(kOwnFamilies), family.name) != std::end(kOwnFamilies))
        throw std::runtime_error("the family " + family.name + " is the textfile collector's own");
      auto found = index_.find(family.name);
      if (found == index_.end()) continue;
      const Known& known = found->second;
      if (families_[known.position].type != family.type)
        throw std::runtime_error("the family " + family.name + " has another type in " + known.first_file);
      for (const ClientMetric& metric : family.metric) {
        if (known.series.contains(metric.label))
          throw std::runtime_error("a series of " + family.name + " is also in " + known.first_file);
      }
    }
    for (MetricFamily& family : families) {
      auto [found, added] = index_.try_emplace(family.name, Known{families_.size(), path, {}});
      Known& known = found->second;
      for (const ClientMetric& metric : family.metric) known.series.insert(metric.label);
      if (added) {
        // node_exporter's HELP for a family that has none.
        if (family.help.empty()) family.help = "Metric read from " + path;
        families_.push_back(std::move(family));
        continue;
      }
      auto& metrics = families_[known.position].metric;
      std::move(family.metric.begin(), family.metric.end(), std::back_inserter(metrics));
    }
  }

  Families Take() { return std::move(families_); }

 private:
  struct Known {
    size_t position;
    std::string first_file;
    std::set<LabelSet> series;
  };
  Families families_;
  std::map<std::string, Known> index_;
};

class TextfileCollector : public Collector {
 public:
  explicit TextfileCollector(const CollectorContext& context)
      : patterns_(ListOption(context, "directory")),
        max_file_bytes_(ByteSizeOption(context, "max-file-size")),
        max_directory_bytes_(ByteSizeOption(context, "max-directory-size")),
        max_files_(PositiveCountOption(context, "max-files")),
        log_(context.log) {}

  Families Collect() override {
    FamilySet own;
    Merged merged;
    std::vector<std::string> problems;
    std::map<std::string, double> mtimes;
    bool errored = false;
    auto fail = [&](std::string problem) {
      errored = true;
      problems.push_back(std::move(problem));
    };

    std::vector<std::string> directories;
    for (const std::string& pattern : patterns_) {
      for (std::string& directory : ExpandPattern(pattern))
        if (std::find(directories.begin(), directories.end(), directory) == directories.end())
          directories.push_back(std::move(directory));
    }
    {
      std::lock_guard lock(watcher_mutex_);
      if (watcher_) watcher_->Watch(directories);
    }

    for (const std::string& directory : directories) {
      std::vector<std::string> names;
      try {
        names = ListTextfiles(directory);
      } catch (const std::exception& error) {
        fail(directory + ": " + error.what());
        continue;
      }
      if (names.size() > max_files_) {
        fail(directory + ": " + std::to_string(names.size()) + " files, more than max-files (" +
             std::to_string(max_files_) + "): those after the first by name are not read");
        names.resize(max_files_);
      }
      std::uint64_t directory_bytes = 0;
      for (const std::string& name : names) {
        const std::string path = directory + "/" + name;
        const std::uint64_t limit = std::min(max_file_bytes_, max_directory_bytes_ - directory_bytes);
        double error = 1;
        try {
          Textfile file = ReadTextfile(path, limit);
          directory_bytes += file.text.size();
          merged.Add(ParseTextfile(file.text, path), path);
          mtimes[path] = file.mtime_seconds;
          error = 0;
        } catch (const TooLarge& too_large) {
          fail(path + ": " +
               (too_large.size > max_file_bytes_
                    ? "larger than max-file-size (" + std::to_string(max_file_bytes_) + " bytes)"
                    : "the directory's files would exceed max-directory-size (" + std::to_string(max_directory_bytes_) +
                          " bytes) with this one"));
        } catch (const std::exception& failure) {
          const std::string reason = failure.what();
          // A parse error names the file and the line already.
          fail(reason.starts_with(path + ":") ? reason : path + ": " + reason);
        }
        own.Gauge(kFileErrorFamily,
                  "1 when the textfile could not be read or was refused (the reason is in /cache/stats and the log), "
                  "else 0.",
                  error, {{"file", path}});
      }
    }

    for (const auto& [path, mtime] : mtimes)
      own.Gauge(kMtimeFamily, "Unixtime mtime of textfiles successfully read.", mtime, {{"file", path}});
    own.Gauge(kScrapeErrorFamily, "1 if there was an error opening or reading a file, 0 otherwise", errored ? 1 : 0);
    LogChanges(problems);
    problems_ = std::move(problems);

    Families families = merged.Take();
    Families mine = own.Take();
    std::move(mine.begin(), mine.end(), std::back_inserter(families));
    return families;
  }

  std::vector<std::string> Problems() const override { return problems_; }

  void WatchSources(std::function<void()> changed) override {
    if (patterns_.empty()) return;
    std::lock_guard lock(watcher_mutex_);
    try {
      watcher_ = std::make_unique<DirectoryWatcher>(std::move(changed));
    } catch (const std::exception& error) {
      // Out of inotify instances (fs.inotify.max_user_instances), say: the TTL alone then brings changes.
      log_.Warn("textfile directories not watched: changes are read on the TTL", {{"err", error.what()}});
    }
  }

 private:
  // Each problem is logged once, when it appears, and its end once: a file broken for a day is one line, not one
  // per refresh.
  void LogChanges(const std::vector<std::string>& problems) {
    for (const std::string& problem : problems)
      if (std::find(problems_.begin(), problems_.end(), problem) == problems_.end())
        log_.Warn("textfile not read", {{"err", problem}});
    for (const std::string& problem : problems_)
      if (std::find(problems.begin(), problems.end(), problem) == problems.end())
        log_.Info("textfile problem resolved", {{"was", problem}});
  }

  const std::vector<std::string> patterns_;
  const std::uint64_t max_file_bytes_;
  const std::uint64_t max_directory_bytes_;
  const std::uint64_t max_files_;
  const log::Logger log_;
  std::vector<std::string> problems_;
  std::mutex watcher_mutex_;  // WatchSources runs on the cache's thread, Collect on the slot's worker
  std::unique_ptr<DirectoryWatcher> watcher_;
};

}  // namespace

std::unique_ptr<Collector> MakeTextfileCollector(const CollectorContext& context) {
  return std::make_unique<TextfileCollector>(context);
}

}  // namespace hw_exporter
