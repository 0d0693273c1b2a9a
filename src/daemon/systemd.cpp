#include "hw_exporter/daemon/systemd.h"

#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include <algorithm>
#include <cstdint>

#include "hw_exporter/config/config.h"
#include "hw_exporter/core/log.h"

namespace hw_exporter {

namespace {

void Send(const std::string& message) {
  // 0 without NOTIFY_SOCKET; an error is not worth stopping for, but worth knowing of.
  if (int result = sd_notify(0, message.c_str()); result < 0)
    log::Warn("cannot notify systemd", {{"err", std::to_string(-result)}});
}

std::uint64_t MonotonicMicroseconds() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return std::uint64_t(now.tv_sec) * 1'000'000 + std::uint64_t(now.tv_nsec) / 1'000;
}

// STATUS is one line: a newline would end the field.
std::string OneLine(std::string text) {
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

}  // namespace

void SystemdNotifier::Ready(const std::string& status) const { Send("READY=1\nSTATUS=" + OneLine(status)); }

void SystemdNotifier::Reloading() const {
  Send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(MonotonicMicroseconds()) + "\nSTATUS=reloading");
}

void SystemdNotifier::Stopping() const { Send("STOPPING=1\nSTATUS=stopping"); }

void SystemdNotifier::Watchdog() const { Send("WATCHDOG=1"); }

std::optional<Duration> SystemdNotifier::WatchdogInterval() const {
  std::uint64_t microseconds = 0;
  // Positive only when WATCHDOG_USEC is set and WATCHDOG_PID is unset or this process.
  if (sd_watchdog_enabled(0, &microseconds) <= 0 || microseconds == 0) return std::nullopt;
  return std::max<Duration>(std::chrono::duration_cast<Duration>(std::chrono::microseconds(microseconds)),
                            std::chrono::milliseconds(1));
}

std::vector<int> SystemdListenSockets(const std::string& where) {
  // Marks the sockets close-on-exec, so that no probe inherits them; probes get an environment of their own.
  int count = sd_listen_fds(0);
  if (count < 0) throw ConfigError(where, "cannot read the sockets systemd passed: error " + std::to_string(-count));
  if (count == 0) throw ConfigError(where, "systemd passed no socket (LISTEN_FDS is unset or not for this process)");
  std::vector<int> sockets;
  for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + count; ++fd) {
    // TCP only: the gate counts connections per client address.
    if (sd_is_socket_inet(fd, 0, SOCK_STREAM, 1, 0) <= 0)
      throw ConfigError(where, "descriptor " + std::to_string(fd) + " from systemd is not a listening TCP socket");
    sockets.push_back(fd);
  }
  return sockets;
}

}  // namespace hw_exporter
