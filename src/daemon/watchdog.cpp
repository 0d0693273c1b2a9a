#include "hw_exporter/daemon/watchdog.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "hw_exporter/core/log.h"
#include "hw_exporter/core/thread_registry.h"

namespace hw_exporter {

struct Watchdog::State {
  std::mutex mutex;
  std::condition_variable stop;
  bool stopping = false;
  std::thread thread;
};

Watchdog::Watchdog(const SystemdNotifier& notifier, std::function<bool(Duration)> healthy)
    : state_(std::make_unique<State>()) {
  const std::optional<Duration> interval = notifier.WatchdogInterval();
  if (!interval) return;
  log::Info("systemd watchdog on", {{"interval", FormatDuration(*interval)}});
  state_->thread = std::thread([state = state_.get(), &notifier, healthy = std::move(healthy), interval = *interval] {
    NameThisThread("watchdog");
    // A check of up to four steps (the scheduler, connect, write, read) ends within 0.4 of the interval, so that
    // pings are at most 0.9 of it apart while all is well.
    const Duration period = interval / 2;
    const Duration step = interval / 10;
    bool was_healthy = true;
    std::unique_lock lock(state->mutex);
    while (!state->stopping) {
      const auto next = std::chrono::steady_clock::now() + period;
      lock.unlock();
      const bool is_healthy = healthy(step);
      if (is_healthy) notifier.Watchdog();
      if (is_healthy != was_healthy)
        log::Log(is_healthy ? log::Level::kInfo : log::Level::kWarn,
                 is_healthy ? "healthy again: pinging systemd's watchdog"
                            : "not answering: systemd's watchdog is not pinged until it does",
                 {});
      was_healthy = is_healthy;
      lock.lock();
      state->stop.wait_until(lock, next, [state] { return state->stopping; });
    }
  });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->stop.notify_all();
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace hw_exporter
