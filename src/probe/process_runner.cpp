#include "hw_exporter/probe/process_runner.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "hw_exporter/core/strings.h"
#include "hw_exporter/core/unique_fd.h"

namespace hw_exporter {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* kChildPath = "/usr/sbin:/usr/bin:/sbin:/bin";
constexpr size_t kErrorOutputLimit = 4096;
constexpr size_t kReadChunk = 64 * 1024;
// Without a pidfd (kernels before 5.3) the end of the child is noticed by polling this often.
constexpr int kExitPollMillis = 20;
// How long a sweep waits for the escaped processes it killed to be gone (uninterruptible sleep can delay that).
constexpr auto kSweepGrace = std::chrono::seconds(1);

struct Pipe {
  UniqueFd read_end;
  UniqueFd write_end;
};

bool MakePipe(Pipe& pipe) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  pipe.read_end.Reset(fds[0]);
  pipe.write_end.Reset(fds[1]);
  return true;
}

std::string ErrnoText(int error_number) { return std::strerror(error_number); }

bool IsExecutableFile(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The program as the child's PATH finds it, so the daemon's own environment never decides what runs.
std::optional<std::string> ResolveProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  for (std::string_view directory : Split(kChildPath, ':')) {
    std::string candidate = std::string(directory) + "/" + program;
    if (IsExecutableFile(candidate)) return candidate;
  }
  return std::nullopt;
}

int MillisUntil(SteadyClock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return static_cast<int>(std::clamp<decltype(left)>(left, 0, 60 * 60 * 1000));
}

// True once the child has exited; it stays a zombie (not reaped) so that its pid, which is also its process
// group's id, cannot be reused while the group is signalled.
bool HasExited(pid_t pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return errno == ECHILD;
  return info.si_pid == pid;
}

// Appends a chunk to a capture bounded by limit; returns false when part of it did not fit.
bool AppendBounded(std::string& capture, const char* data, size_t size, size_t limit) {
  size_t room = limit > capture.size() ? limit - capture.size() : 0;
  capture.append(data, std::min(room, size));
  return size <= room;
}

// The two pipes of a running child, read without ever letting the child block on a full pipe.
class OutputPump {
 public:
  OutputPump(UniqueFd out, UniqueFd err, size_t max_output_bytes, ProcessResult& result)
      : limit_(max_output_bytes), result_(result) {
    streams_[0] = std::move(out);
    streams_[1] = std::move(err);
  }

  bool open() const { return streams_[0].valid() || streams_[1].valid(); }

  // Waits up to timeout_ms for output (or for wake_fd to become readable) and reads what is there.
  void PumpOnce(int wake_fd, int timeout_ms) {
    std::array<pollfd, 3> fds{};
    nfds_t count = 0;
    for (const UniqueFd& stream : streams_) fds[count++] = {stream.get(), POLLIN, 0};  // -1 is ignored by poll
    if (wake_fd >= 0) fds[count++] = {wake_fd, POLLIN, 0};
    int ready = ::poll(fds.data(), count, timeout_ms);
    if (ready <= 0) return;
    for (size_t i = 0; i < streams_.size(); ++i) {
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) ReadAvailable(i);
    }
  }

 private:
  void ReadAvailable(size_t index) {
    char buffer[kReadChunk];
    ssize_t n = ::read(streams_[index].get(), buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
      streams_[index].Reset();
      return;
    }
    auto size = static_cast<size_t>(n);
    if (index == 0) {
      if (!AppendBounded(result_.output, buffer, size, limit_)) result_.truncated = true;
    } else {
      AppendBounded(result_.error_output, buffer, size, kErrorOutputLimit);
    }
  }

  std::array<UniqueFd, 2> streams_;
  size_t limit_;
  ProcessResult& result_;
};

class SpawnAttributes {
 public:
  SpawnAttributes() {
    ::posix_spawnattr_init(&attributes_);
    // Its own process group (0: the child's pid), so that a timeout can kill whatever it started too.
    ::posix_spawnattr_setpgroup(&attributes_, 0);
    sigset_t none;
    sigemptyset(&none);
    ::posix_spawnattr_setsigmask(&attributes_, &none);
    // Dispositions the daemon ignores (SIGPIPE) would otherwise be inherited through exec.
    sigset_t all;
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    ::posix_spawnattr_setsigdefault(&attributes_, &all);
    ::posix_spawnattr_setflags(&attributes_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnAttributes() { ::posix_spawnattr_destroy(&attributes_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  const posix_spawnattr_t* get() const { return &attributes_; }

 private:
  posix_spawnattr_t attributes_;
};

class SpawnFileActions {
 public:
  SpawnFileActions(int stdout_fd, int stderr_fd) {
    ::posix_spawn_file_actions_init(&actions_);
    ::posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions_, stdout_fd, STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(&actions_, stderr_fd, STDERR_FILENO);
    // Descriptors another library opened without O_CLOEXEC must not leak into probes either.
    ::posix_spawn_file_actions_addclosefrom_np(&actions_, STDERR_FILENO + 1);
  }
  ~SpawnFileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  SpawnFileActions(const SpawnFileActions&) = delete;
  SpawnFileActions& operator=(const SpawnFileActions&) = delete;
  const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

// Every probe of every runner in this process. A sweep takes the other children of the process for what probes
// left behind, so it must know every probe, including one whose posix_spawn has not returned its pid yet.
struct ProbeRegistry {
  std::mutex mutex;
  std::condition_variable spawns_done;
  std::set<pid_t> probes;     // guarded by mutex: spawned and not yet reaped
  int spawning = 0;           // guarded by mutex: posix_spawn calls under way
  std::mutex sweep_mutex;     // one sweep at a time, so that only the sweep that found a process reaps it
  std::set<pid_t> lingering;  // guarded by sweep_mutex: killed, but not gone within a sweep's grace

  void BeginSpawn() {
    std::lock_guard lock(mutex);
    ++spawning;
  }
  void EndSpawn(pid_t pid) {  // -1 when the spawn failed
    {
      std::lock_guard lock(mutex);
      if (pid > 0) probes.insert(pid);
      --spawning;
    }
    spawns_done.notify_all();
  }
  void Forget(pid_t pid) {
    std::lock_guard lock(mutex);
    probes.erase(pid);
  }
};

ProbeRegistry& Registry() {
  static auto* registry = new ProbeRegistry;  // never destroyed: runners may outlive static destruction
  return *registry;
}

struct ProcStat {
  pid_t parent = 0;
  pid_t process_group = 0;
};

std::optional<ProcStat> ReadProcStat(const std::string& pid) {
  UniqueFd file(::open(("/proc/" + pid + "/stat").c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) return std::nullopt;
  char buffer[512];
  ssize_t n = ::read(file.get(), buffer, sizeof buffer - 1);
  if (n <= 0) return std::nullopt;
  buffer[n] = '\0';
  const char* comm_end = std::strrchr(buffer, ')');  // the command name may hold spaces and parentheses
  ProcStat stat;
  char state = 0;
  if (!comm_end || std::sscanf(comm_end + 1, " %c %d %d", &state, &stat.parent, &stat.process_group) != 3) {
    return std::nullopt;
  }
  return stat;
}

bool IsNumber(const char* name) { return *name && std::strspn(name, "0123456789") == std::strlen(name); }

// This process's children: every thread's children list (an orphan is handed to whichever thread is alive), or
// on kernels built without those lists, every process whose parent is this one.
std::vector<pid_t> ListChildren() {
  std::vector<pid_t> children;
  bool listed = false;
  if (DIR* tasks = ::opendir("/proc/self/task")) {
    while (const dirent* task = ::readdir(tasks)) {
      if (!IsNumber(task->d_name)) continue;
      UniqueFd file(::open((std::string("/proc/self/task/") + task->d_name + "/children").c_str(),
                           O_RDONLY | O_CLOEXEC));
      if (!file.valid()) continue;
      listed = true;
      std::string text;
      char buffer[4096];
      ssize_t n;
      while ((n = ::read(file.get(), buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
      for (std::string_view field : SplitFields(text)) children.push_back(std::stoi(std::string(field)));
    }
    ::closedir(tasks);
  }
  if (listed) return children;
  const pid_t self = ::getpid();
  if (DIR* processes = ::opendir("/proc")) {
    while (const dirent* process = ::readdir(processes)) {
      if (!IsNumber(process->d_name)) continue;
      std::optional<ProcStat> stat = ReadProcStat(process->d_name);
      if (stat && stat->parent == self) children.push_back(std::stoi(process->d_name));
    }
    ::closedir(processes);
  }
  return children;
}

// The children of this process that are no probe and not in its process group: what probes started and left
// behind after leaving their group (setsid, setpgid), handed to this process, their subreaper, when their parent
// died. nullopt when a spawn stayed under way until the deadline (its child could not be told from them).
std::optional<std::vector<pid_t>> FindEscaped(ProbeRegistry& registry, SteadyClock::time_point deadline) {
  std::unique_lock lock(registry.mutex);
  if (!registry.spawns_done.wait_until(lock, deadline, [&] { return registry.spawning == 0; })) return std::nullopt;
  const pid_t self = ::getpid();
  const pid_t own_group = ::getpgrp();
  std::vector<pid_t> escaped;
  for (pid_t pid : ListChildren()) {
    if (registry.probes.contains(pid)) continue;
    std::optional<ProcStat> stat = ReadProcStat(std::to_string(pid));
    if (stat && stat->parent == self && stat->process_group != own_group) escaped.push_back(pid);
  }
  return escaped;
}

// Kills (with its process group) and reaps every escaped process, and those its death hands over in turn. Only
// this reaps them: each is a child of this process, so its pid cannot be reused before the sweep reaps it.
void SweepEscaped() {
  ProbeRegistry& registry = Registry();
  std::lock_guard sweep_lock(registry.sweep_mutex);
  const auto deadline = SteadyClock::now() + kSweepGrace;
  int pause_ms = 1;
  for (;;) {
    std::optional<std::vector<pid_t>> escaped = FindEscaped(registry, deadline);
    if (!escaped) return;
    std::vector<pid_t> waiting;
    for (pid_t pid : *escaped) {
      if (::waitpid(pid, nullptr, WNOHANG) == pid) {
        registry.lingering.erase(pid);
        continue;
      }
      if (registry.lingering.contains(pid)) continue;  // a previous sweep killed it and waited long enough
      ::kill(-pid, SIGKILL);                           // its own group, when it leads one
      ::kill(pid, SIGKILL);
      waiting.push_back(pid);
    }
    if (waiting.empty()) return;
    if (SteadyClock::now() >= deadline) {
      registry.lingering.insert(waiting.begin(), waiting.end());
      return;
    }
    ::poll(nullptr, 0, pause_ms);
    pause_ms = std::min(pause_ms * 2, kExitPollMillis);
  }
}

}  // namespace

struct ProcessRunner::State {
  explicit State(int limit) : max_processes(limit) {}

  const int max_processes;
  std::mutex mutex;
  std::condition_variable place_freed;
  int places_taken = 0;   // guarded by mutex
  std::set<pid_t> live;   // guarded by mutex: children spawned and not yet reaped
  bool stopping = false;  // guarded by mutex: KillAll() ran; no new child starts
  std::atomic<int> running{0};

  // Returns true when KillAll() has already run: the child must go at once.
  bool Started(pid_t pid) {
    std::lock_guard lock(mutex);
    live.insert(pid);
    ++running;
    return stopping;
  }
  void Reaped(pid_t pid) {
    std::lock_guard lock(mutex);
    live.erase(pid);
    --running;
  }

  bool TakePlace(SteadyClock::time_point deadline) {
    std::unique_lock lock(mutex);
    if (!place_freed.wait_until(lock, deadline, [&] { return stopping || places_taken < max_processes; })) return false;
    if (stopping) return false;
    ++places_taken;
    return true;
  }

  void FreePlace() {
    {
      std::lock_guard lock(mutex);
      --places_taken;
    }
    place_freed.notify_one();
  }
};

namespace {

// One child from spawn to reaping.
class Child {
 public:
  Child(pid_t pid, ProcessRunner::State& state) : pid_(pid), state_(state) {
    if (state_.Started(pid_)) KillGroup();
    // Through syscall(): glibc 2.36's <sys/pidfd.h> declares pidfd_open without C linkage.
    pidfd_.Reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  }
  // Only reached unreaped when something threw between spawning and reaping: the child must not outlive us.
  ~Child() {
    if (reaped_) return;
    KillGroup();
    Reap();
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool Exited() const { return HasExited(pid_); }
  int wake_fd() const { return pidfd_.get(); }
  int poll_cap_ms() const { return pidfd_.valid() ? -1 : kExitPollMillis; }

  void KillGroup() const { ::kill(-pid_, SIGKILL); }

  // Blocks until the child is gone: after SIGKILL that is immediate unless it sleeps uninterruptibly in the kernel
  // (a hung disk), and then it still exists and rightly keeps its place. nullopt when something else reaped it.
  std::optional<int> Reap() {
    if (reaped_) return status_;
    int status = 0;
    pid_t reaped;
    while ((reaped = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
    }
    if (reaped == pid_) status_ = status;
    reaped_ = true;
    Registry().Forget(pid_);
    state_.Reaped(pid_);
    return status_;
  }

 private:
  pid_t pid_;
  ProcessRunner::State& state_;
  UniqueFd pidfd_;
  bool reaped_ = false;
  std::optional<int> status_;
};

// Reads the child's output until it exits or the deadline passes; returns false on timeout.
bool PumpUntilExit(Child& child, OutputPump& pump, SteadyClock::time_point deadline) {
  for (;;) {
    if (child.Exited()) return true;
    int left = MillisUntil(deadline);
    if (left == 0) return false;
    int cap = child.poll_cap_ms();
    int wait = cap < 0 ? left : std::min(left, cap);
    if (pump.open()) {
      pump.PumpOnce(child.wake_fd(), wait);
    } else {
      pollfd wake{child.wake_fd(), POLLIN, 0};
      ::poll(&wake, child.wake_fd() >= 0 ? 1 : 0, wait);
    }
  }
}

}  // namespace

ProcessRunner::ProcessRunner(int max_processes) {
  if (max_processes < 1) throw std::invalid_argument("max_processes must be at least 1");
  // What a probe's descendants leave running after leaving its process group comes to this process, not to init,
  // when their parent dies, so that SweepEscaped() can find it. Process-wide, and harmless to repeat.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  state_ = new State(max_processes);
}

ProcessRunner::~ProcessRunner() {
  KillAll();
  // A caller still inside Run() (a refresh the family cache gave up on) may touch the state until its child is
  // reaped: wait for that a little, and if it still does not come, leave the state to the exiting process.
  std::unique_lock lock(state_->mutex);
  if (state_->place_freed.wait_for(lock, std::chrono::seconds(1), [&] { return state_->places_taken == 0; })) {
    lock.unlock();
    delete state_;
  }
}

void ProcessRunner::KillAll() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    for (pid_t pid : state_->live) ::kill(-pid, SIGKILL);
    state_->place_freed.notify_all();
  }
  SweepEscaped();
}

int ProcessRunner::max_processes() const { return state_->max_processes; }

int ProcessRunner::running() const { return state_->running.load(); }

ProcessResult ProcessRunner::Run(const std::vector<std::string>& argv, Duration timeout, size_t max_output_bytes) {
  ProcessResult result;
  if (argv.empty()) {
    result.error = "no program to run";
    return result;
  }
  const auto deadline = SteadyClock::now() + timeout;
  std::optional<std::string> program = ResolveProgram(argv[0]);
  if (!program) {
    result.error = argv[0] + ": not found in " + kChildPath;
    return result;
  }
  if (!state_->TakePlace(deadline)) {
    result.timed_out = true;
    result.error = "timed out waiting for one of " + std::to_string(state_->max_processes) +
                   " process places, or shutting down";
    return result;
  }
  struct PlaceGuard {
    State& state;
    ~PlaceGuard() { state.FreePlace(); }
  } place{*state_};

  Pipe out;
  Pipe err;
  if (!MakePipe(out) || !MakePipe(err)) {
    result.error = "cannot create a pipe: " + ErrnoText(errno);
    return result;
  }
  std::vector<char*> child_argv;
  for (const std::string& argument : argv) child_argv.push_back(const_cast<char*>(argument.c_str()));
  child_argv.push_back(nullptr);
  std::string path_variable = std::string("PATH=") + kChildPath;
  std::array<char*, 3> child_env{path_variable.data(), const_cast<char*>("LC_ALL=C"), nullptr};

  pid_t pid = -1;
  {
    SpawnFileActions actions(out.write_end.get(), err.write_end.get());
    SpawnAttributes attributes;
    Registry().BeginSpawn();
    int spawn_error = ::posix_spawn(&pid, program->c_str(), actions.get(), attributes.get(), child_argv.data(),
                                    child_env.data());
    Registry().EndSpawn(spawn_error == 0 ? pid : -1);
    if (spawn_error != 0) {
      result.error = "cannot start " + *program + ": " + ErrnoText(spawn_error);
      return result;
    }
  }
  out.write_end.Reset();
  err.write_end.Reset();

  Child child(pid, *state_);
  OutputPump pump(std::move(out.read_end), std::move(err.read_end), max_output_bytes, result);
  bool exited = PumpUntilExit(child, pump, deadline);
  // Also on a normal exit: whatever the probe left running in its group goes with it, and its end closes the
  // pipes it may still hold, so the drain below ends.
  child.KillGroup();
  while (exited && pump.open() && MillisUntil(deadline) > 0) pump.PumpOnce(-1, MillisUntil(deadline));
  std::optional<int> status = child.Reap();
  // Whatever it left behind came to this process (its subreaper) as its parents died: killed and reaped here, with
  // what their own deaths hand over.
  SweepEscaped();

  if (!exited || pump.open()) {
    result.timed_out = true;
    result.error = "timed out after " + FormatDuration(timeout) + "; its process group was killed";
  } else if (!status) {
    result.error = "its exit status was lost (reaped elsewhere)";
  } else if (WIFEXITED(*status)) {
    result.exit_status = WEXITSTATUS(*status);
  } else {
    result.error = std::string("killed by signal ") + ::strsignal(WTERMSIG(*status));
  }
  return result;
}

}  // namespace hw_exporter
