#include "hw_exporter/daemon/systemd.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "hw_exporter/config/config.h"
#include "hw_exporter/core/log.h"

namespace hw_exporter {

namespace {

// systemd's protocols are a few environment variables and one datagram (sd_notify(3), sd_listen_fds(3)); spoken
// here rather than through libsystemd, whose libraries cost the exporter about 0.8 MiB of resident memory.

// An environment variable holding a number, or nullopt when it is unset or no number.
std::optional<std::uint64_t> NumberFromEnvironment(const char* name) {
  const char* text = std::getenv(name);
  if (!text || !*text) return std::nullopt;
  std::uint64_t value = 0;
  const char* end = text + std::strlen(text);
  auto [stop, error] = std::from_chars(text, end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

// Whether a variable naming a process (LISTEN_PID, WATCHDOG_PID) lets this one take what comes with it: it must
// name this process, or, for the watchdog's, may be unset.
bool ForThisProcess(const char* name, bool unset_means_yes) {
  if (!std::getenv(name)) return unset_means_yes;
  return NumberFromEnvironment(name) == static_cast<std::uint64_t>(::getpid());
}

// The state sent to NOTIFY_SOCKET ("/path" or "@abstract"), as one datagram. Nothing without NOTIFY_SOCKET; an error
// is not worth stopping for, but worth knowing of.
void Send(const std::string& message) {
  const char* socket_path = std::getenv("NOTIFY_SOCKET");
  if (!socket_path || !*socket_path) return;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::size_t length = std::strlen(socket_path);
  if ((socket_path[0] != '/' && socket_path[0] != '@') || length >= sizeof address.sun_path) {
    log::Warn("cannot notify systemd", {{"err", "NOTIFY_SOCKET is no socket path: " + std::string(socket_path)}});
    return;
  }
  std::memcpy(address.sun_path, socket_path, length);
  if (socket_path[0] == '@') address.sun_path[0] = '\0';  // an abstract address
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const auto address_length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
  if (fd < 0 || ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address),
                         address_length) < 0) {
    log::Warn("cannot notify systemd", {{"err", std::strerror(errno)}, {"socket", socket_path}});
  }
  if (fd >= 0) ::close(fd);
}

// A listening TCP socket of IPv4 or IPv6.
bool IsListeningTcpSocket(int fd) {
  int type = 0;
  int listening = 0;
  socklen_t size = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) != 0 || type != SOCK_STREAM) return false;
  size = sizeof listening;
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening) return false;
  sockaddr_storage address{};
  size = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return false;
  return address.ss_family == AF_INET || address.ss_family == AF_INET6;
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
  const std::optional<std::uint64_t> microseconds = NumberFromEnvironment("WATCHDOG_USEC");
  if (!microseconds || *microseconds == 0 || !ForThisProcess("WATCHDOG_PID", true)) return std::nullopt;
  // Bounded, so that the nanoseconds cannot overflow: pinging at least every half day satisfies any longer interval.
  const std::uint64_t bounded = std::min<std::uint64_t>(*microseconds, 86'400'000'000);
  return std::max<Duration>(std::chrono::duration_cast<Duration>(std::chrono::microseconds(bounded)),
                            std::chrono::milliseconds(1));
}

std::vector<int> SystemdListenSockets(const std::string& where) {
  // The passed sockets are descriptors 3, 4, ...: LISTEN_FDS of them, when LISTEN_PID is this process.
  constexpr int kFirstPassedDescriptor = 3;
  const std::optional<std::uint64_t> count = NumberFromEnvironment("LISTEN_FDS");
  if (!count || *count == 0 || !ForThisProcess("LISTEN_PID", false))
    throw ConfigError(where, "systemd passed no socket (LISTEN_FDS is unset or not for this process)");
  if (*count > 1024) throw ConfigError(where, "LISTEN_FDS is " + std::to_string(*count) + ": too many sockets");
  std::vector<int> sockets;
  for (int fd = kFirstPassedDescriptor; fd < kFirstPassedDescriptor + static_cast<int>(*count); ++fd) {
    // TCP only: the gate counts connections per client address.
    if (!IsListeningTcpSocket(fd))
      throw ConfigError(where, "descriptor " + std::to_string(fd) + " from systemd is not a listening TCP socket");
    // Close-on-exec, so that no probe inherits them; probes get an environment of their own.
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    sockets.push_back(fd);
  }
  return sockets;
}

}  // namespace hw_exporter
