#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hw_exporter/core/clock.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"
#include "hw_exporter/security/tls_context.h"

namespace hw_exporter {

class BasicAuth;
class RateLimiter;

// What one version of the web-config file asks of every request: a rate limit, credentials, extra headers.
struct AccessPolicy {
  std::unique_ptr<BasicAuth> basic_auth;      // null: no users configured
  std::unique_ptr<RateLimiter> rate_limiter;  // null: no limit
  std::string header_lines;                   // "Name: value\r\n" for each http_server_config header

  ~AccessPolicy();
};

enum class Verdict { kAdmit, kUnauthorized, kRateLimited };

// The web-config file (--web.config.file) in force. It is read at start, where an invalid file is an error, and
// again whenever it or a file it names changes: a valid new version applies to the next connection (TLS) and the
// next request (the rest); an invalid one is logged and counted, and the last good version stays in force.
class FrontDoor {
 public:
  // Throws WebConfigError, its message naming the key at fault.
  explicit FrontDoor(std::string path, Clock& clock = Clock::Real());
  ~FrontDoor();
  FrontDoor(const FrontDoor&) = delete;
  FrontDoor& operator=(const FrontDoor&) = delete;

  // The policy in force: a request holds it while it is answered.
  std::shared_ptr<const AccessPolicy> policy() const;

  // The rate limit, then the credentials (unless the path is exempt from them). Counts what it refuses.
  Verdict Admit(const AccessPolicy& policy, std::optional<std::string_view> authorization, bool exempt_from_auth);

  // Null when the file leaves TLS off. Whether TLS is on is fixed at start: a change of it is refused on reload.
  TlsContext* tls() const;

  // Reads the configuration again if its files changed since the last read. True when a new version took effect.
  bool ReloadIfChanged();
  // Reads it again whether or not they changed (SIGHUP). Throws WebConfigError when the new version cannot be used,
  // leaving the last good one in force.
  void Reload();

  // Checks for changes every `period` on a thread of its own, until destroyed.
  void StartWatching(Duration period);

  // hw_exporter_web_config_* and hw_exporter_http_requests_rejected_total.
  void AddMetrics(FamilySet& families) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hw_exporter
