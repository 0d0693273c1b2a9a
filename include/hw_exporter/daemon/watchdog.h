#pragma once

#include <functional>
#include <memory>

#include "hw_exporter/core/duration.h"
#include "hw_exporter/daemon/systemd.h"

namespace hw_exporter {

// systemd's watchdog (WatchdogSec=): every half of the interval systemd asks for, asks `healthy` whether the
// exporter works, giving it a tenth of the interval per step, and only then sends WATCHDOG=1. An exporter that
// stops answering stops the pings, and systemd restarts it. Does nothing when systemd asks for no pings.
class Watchdog {
 public:
  Watchdog(const SystemdNotifier& notifier, std::function<bool(Duration max_wait)> healthy);
  // Stops the pings; waits for a health check under way.
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hw_exporter
