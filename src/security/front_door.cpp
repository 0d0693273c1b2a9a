#include "hw_exporter/security/front_door.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/thread_registry.h"
#include "hw_exporter/security/basic_auth.h"
#include "hw_exporter/security/rate_limiter.h"
#include "hw_exporter/security/web_config_file.h"

namespace hw_exporter {

AccessPolicy::~AccessPolicy() = default;

namespace {

std::vector<FileVersion> VersionsOf(const std::vector<std::string>& files) {
  std::vector<FileVersion> versions;
  for (const auto& file : files) versions.push_back(FileVersionOf(file));
  return versions;
}

std::string HeaderLines(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string lines;
  for (const auto& [name, value] : headers) lines += name + ": " + value + "\r\n";
  return lines;
}

// A version of the file, read and built into what serves it, before anything of it takes effect.
struct Version {
  WebConfigFile file;
  std::shared_ptr<const AccessPolicy> policy;
};

Version ReadVersion(const std::string& path, Clock& clock) {
  Version version{ReadWebConfigFile(path), nullptr};
  auto policy = std::make_shared<AccessPolicy>();
  if (!version.file.basic_auth_users.empty()) {
    try {
      policy->basic_auth = std::make_unique<BasicAuth>(version.file.basic_auth_users);
    } catch (const std::invalid_argument& error) {
      throw WebConfigError(path + ": " + error.what());
    }
  }
  if (const auto& limit = version.file.rate_limit)
    policy->rate_limiter = std::make_unique<RateLimiter>(limit->interval, limit->burst, clock);
  policy->header_lines = HeaderLines(version.file.headers);
  version.policy = std::move(policy);
  return version;
}

}  // namespace

struct FrontDoor::State {
  State(std::string p, Clock& c) : path(std::move(p)), clock(c) {}

  const std::string path;
  Clock& clock;

  mutable std::mutex policy_mutex;
  std::shared_ptr<const AccessPolicy> policy;
  std::unique_ptr<TlsContext> tls;

  // Reloads, one at a time.
  std::mutex reload_mutex;
  std::vector<std::string> sources;
  std::vector<FileVersion> versions;  // of `sources`, as they were before the last read
  std::string failure;                // why the last read failed; empty when it succeeded
  std::atomic<bool> last_reload_ok{true};
  std::atomic<double> last_success_seconds{0};

  std::atomic<std::uint64_t> unauthorized{0};
  std::atomic<std::uint64_t> rate_limited{0};

  std::mutex watch_mutex;
  std::condition_variable watch_stop;
  bool stopping = false;
  std::thread watcher;

  void Apply(Version version);
  // Reads the files (only when one changed, or the last read failed, if `only_if_changed`) and applies them: true
  // when a new version took effect. Throws WebConfigError, logged and counted, leaving the last good one in force.
  bool Read(bool only_if_changed);
  void RecordSuccess() {
    failure.clear();
    last_reload_ok = true;
    last_success_seconds = std::chrono::duration<double>(clock.WallNow().time_since_epoch()).count();
  }
};

void FrontDoor::State::Apply(Version version) {
  if (version.file.tls.has_value() != (tls != nullptr))
    throw WebConfigError(path + ": tls_server_config: turning TLS on or off takes a restart");
  if (tls) {
    try {
      tls->Update(*version.file.tls);
    } catch (const TlsConfigError& error) {
      throw WebConfigError(path + ": tls_server_config: " + error.what());
    }
  }
  std::lock_guard lock(policy_mutex);
  policy = std::move(version.policy);
}

FrontDoor::FrontDoor(std::string path, Clock& clock) : state_(std::make_unique<State>(std::move(path), clock)) {
  state_->sources = {state_->path};
  std::vector<FileVersion> before = VersionsOf(state_->sources);
  Version version = ReadVersion(state_->path, clock);
  if (version.file.tls) {
    try {
      state_->tls = std::make_unique<TlsContext>(*version.file.tls);
    } catch (const TlsConfigError& error) {
      throw WebConfigError(state_->path + ": tls_server_config: " + error.what());
    }
  }
  state_->policy = std::move(version.policy);
  state_->sources = std::move(version.file.sources);
  state_->RecordSuccess();
  state_->versions = before.size() == state_->sources.size() ? before : std::vector<FileVersion>{};
}

FrontDoor::~FrontDoor() {
  {
    std::lock_guard lock(state_->watch_mutex);
    state_->stopping = true;
  }
  state_->watch_stop.notify_all();
  if (state_->watcher.joinable()) state_->watcher.join();
}

std::shared_ptr<const AccessPolicy> FrontDoor::policy() const {
  std::lock_guard lock(state_->policy_mutex);
  return state_->policy;
}

Verdict FrontDoor::Admit(const AccessPolicy& policy, std::optional<std::string_view> authorization,
                         bool exempt_from_auth) {
  if (policy.rate_limiter && !policy.rate_limiter->TryAcquire()) {
    ++state_->rate_limited;
    return Verdict::kRateLimited;
  }
  if (policy.basic_auth && !exempt_from_auth && !(authorization && policy.basic_auth->Allows(*authorization))) {
    ++state_->unauthorized;
    return Verdict::kUnauthorized;
  }
  return Verdict::kAdmit;
}

TlsContext* FrontDoor::tls() const { return state_->tls.get(); }

bool FrontDoor::ReloadIfChanged() {
  try {
    return state_->Read(/*only_if_changed=*/true);
  } catch (const WebConfigError&) {
    return false;  // logged and counted by Read
  }
}

void FrontDoor::Reload() { state_->Read(/*only_if_changed=*/false); }

bool FrontDoor::State::Read(bool only_if_changed) {
  std::lock_guard lock(reload_mutex);
  // Versions are taken before the read, so that a file written while it is read is read again next time. A file
  // that failed is read again each time: a rotation writes the certificate and the key one after the other.
  std::vector<FileVersion> before = VersionsOf(sources);
  if (only_if_changed && before == versions && failure.empty()) return false;
  try {
    Version version = ReadVersion(path, clock);
    std::vector<std::string> read_sources = version.file.sources;
    Apply(std::move(version));
    // A read that follows a change is news; one that only learns the versions of files named for the first time
    // (they have none from before the read, so the next check reads them again) is not.
    const bool changed = !versions.empty();
    versions = read_sources == sources ? before : std::vector<FileVersion>{};
    sources = std::move(read_sources);
    RecordSuccess();
    if (changed) log::Info("web config reloaded", {{"file", path}});
    return true;
  } catch (const WebConfigError& error) {
    if (error.what() != failure)
      log::Error("web config not reloaded; the last good version stays in force",
                 {{"file", path}, {"err", error.what()}});
    failure = error.what();
    last_reload_ok = false;
    throw;
  }
}

void FrontDoor::StartWatching(Duration period) {
  state_->watcher = std::thread([this, period] {
    NameThisThread("web-config");
    std::unique_lock lock(state_->watch_mutex);
    while (!state_->watch_stop.wait_for(lock, period, [this] { return state_->stopping; })) {
      lock.unlock();
      ReloadIfChanged();
      lock.lock();
    }
  });
}

void FrontDoor::AddMetrics(FamilySet& families) const {
  families.Gauge("hw_exporter_web_config_last_reload_successful",
                 "Whether the last read of the web-config file succeeded (1) or failed, leaving the last good "
                 "version in force (0).",
                 state_->last_reload_ok ? 1 : 0);
  families.Gauge("hw_exporter_web_config_last_reload_success_timestamp_seconds",
                 "Unix time of the last successful read of the web-config file.", state_->last_success_seconds);
  const char* help = "Requests refused before reaching an endpoint, by reason.";
  families.Counter("hw_exporter_http_requests_rejected_total", help, static_cast<double>(state_->unauthorized.load()),
                   {{"reason", "unauthorized"}});
  families.Counter("hw_exporter_http_requests_rejected_total", help, static_cast<double>(state_->rate_limited.load()),
                   {{"reason", "rate_limited"}});
}

}  // namespace hw_exporter
