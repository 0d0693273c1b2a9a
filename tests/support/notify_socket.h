#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "support/test_support.h"

namespace hw_exporter::testing {

// A datagram socket in a fresh directory, standing in for systemd's NOTIFY_SOCKET: what a daemon started with
// NOTIFY_SOCKET=path() tells the service manager, one message per datagram.
class NotifySocket {
 public:
  // A socket at a path in a fresh directory, or at an abstract address (path() is then "@name").
  enum class Address { kPath, kAbstract };
  explicit NotifySocket(Address kind = Address::kPath);  // throws std::runtime_error
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return path_; }

  // The next message, or nullopt when none came within max_wait.
  std::optional<std::string> Receive(std::chrono::milliseconds max_wait);
  // Receives until a message contains `text` and returns it; nullopt when none did within max_wait.
  std::optional<std::string> WaitFor(std::string_view text, std::chrono::milliseconds max_wait);

 private:
  TempDir directory_;
  std::string path_;
  int fd_ = -1;
};

}  // namespace hw_exporter::testing
