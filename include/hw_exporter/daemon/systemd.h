#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/core/duration.h"

namespace hw_exporter {

// The service manager's notification protocol (sd_notify). Every message is dropped when the exporter was not
// started with NOTIFY_SOCKET set, as outside systemd.
class SystemdNotifier {
 public:
  // READY=1 with a STATUS line: the configuration is loaded and every listener bound.
  void Ready(const std::string& status) const;
  // RELOADING=1 with MONOTONIC_USEC, as systemd's Type=notify-reload (253 and later) expects; Ready() follows.
  void Reloading() const;
  void Stopping() const;
  void Watchdog() const;

  // How often systemd wants WATCHDOG=1 (WatchdogSec=), when it wants it of this process; nullopt otherwise.
  std::optional<Duration> WatchdogInterval() const;
};

// The listening sockets systemd passed (socket activation: LISTEN_FDS for this process). Throws ConfigError at
// `where` (the setting that asked for them) when there are none, or one is not a listening TCP socket.
std::vector<int> SystemdListenSockets(const std::string& where);

}  // namespace hw_exporter
