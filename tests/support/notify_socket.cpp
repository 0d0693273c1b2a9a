#include "support/notify_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace hw_exporter::testing {

NotifySocket::NotifySocket(Address kind)
    : path_(kind == Address::kPath ? directory_.path() + "/notify"
                                   : "@hw_exporter-test-notify-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(reinterpret_cast<std::uintptr_t>(this))) {
  fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (fd_ < 0 || path_.size() >= sizeof address.sun_path)
    throw std::runtime_error("notify socket: " + std::string(std::strerror(errno)));
  std::memcpy(address.sun_path, path_.c_str(), path_.size());
  socklen_t length = sizeof address;
  if (kind == Address::kAbstract) {
    address.sun_path[0] = '\0';  // "@name" is how NOTIFY_SOCKET writes an abstract address
    length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path_.size());
  }
  if (bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) != 0)
    throw std::runtime_error("notify socket: bind " + path_ + ": " + std::strerror(errno));
}

NotifySocket::~NotifySocket() { close(fd_); }

std::optional<std::string> NotifySocket::Receive(std::chrono::milliseconds max_wait) {
  pollfd ready{fd_, POLLIN, 0};
  if (poll(&ready, 1, static_cast<int>(max_wait.count())) != 1) return std::nullopt;
  char message[4096];
  ssize_t size = recv(fd_, message, sizeof message, 0);
  if (size < 0) return std::nullopt;
  return std::string(message, static_cast<size_t>(size));
}

std::optional<std::string> NotifySocket::WaitFor(std::string_view text, std::chrono::milliseconds max_wait) {
  const auto deadline = std::chrono::steady_clock::now() + max_wait;
  for (auto now = std::chrono::steady_clock::now(); now < deadline; now = std::chrono::steady_clock::now()) {
    auto message = Receive(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    if (message && message->find(text) != std::string::npos) return message;
  }
  return std::nullopt;
}

}  // namespace hw_exporter::testing
