#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hw_exporter/config/config.h"
#include "hw_exporter/core/duration.h"

namespace hw_exporter {

class SystemdNotifier;

// The running exporter: the family cache and its collectors, the response cache, the endpoints, the front door and
// the HTTP server, built from one configuration and changed in place by a reload.
class Exporter {
 public:
  // Builds every part from `loaded` (read from `arguments`) and binds the listeners, or takes the sockets systemd
  // passed (--web.systemd-socket); nothing is served before Start(). Throws ConfigError for a setting a part
  // refuses, HttpStartError when a listener cannot be had.
  Exporter(std::vector<std::string> arguments, LoadedConfig loaded, SystemdNotifier& notifier);
  // Stop().
  ~Exporter();
  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  // Collectors begin refreshing and connections are answered.
  void Start();

  // Reads the configuration again from the same arguments (the config file, then the flags over it) and the
  // web-config file, and applies them: unchanged collectors keep their data, schedule and counters, others are
  // started, dropped or rebuilt, and the response cache is emptied. A configuration that does not load or validate
  // changes nothing. Settings that only a restart can change (listeners, threads, ...) keep their running values,
  // each named in a warning. Returns the reason it failed, or "" when the new configuration is in force.
  std::string Reload();

  // SIGUSR2: starts a CPU profile into --diagnostics.dir, or stops the one under way and writes a heap report
  // beside it; the log names the files.
  void ToggleProfiling();

  // True when the HTTP server answers a request and the family cache's scheduler takes a step, each within
  // `max_wait`: what the systemd watchdog is told. A deadlocked part never answers.
  bool Healthy(Duration max_wait) const;

  // One line saying what is served, for systemd's STATUS.
  std::string Status() const;

  // Closes the listeners, kills probes under way and stops the family cache. Only the first call does anything.
  void Stop();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace hw_exporter
