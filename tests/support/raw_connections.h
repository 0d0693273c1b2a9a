#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace hw_exporter::testing {

// Raises this process's open files limit to its hard limit: a test that holds hundreds of connections needs it.
void RaiseOpenFilesLimit();

// A TCP connection to 127.0.0.1:port from a source address of the loopback network (127.0.0.2, ...), so that
// a server sees several clients. Throws std::runtime_error when it cannot connect.
int ConnectFrom(const std::string& source, int port);

// Whether the server closed the connection (after whatever it sent, appended to `received`) within the timeout.
bool ClosedByServer(int fd, std::chrono::milliseconds timeout, std::string* received = nullptr);

// Connections the test holds open, closed when it goes away.
class OpenConnections {
 public:
  OpenConnections() = default;
  ~OpenConnections();
  OpenConnections(const OpenConnections&) = delete;
  OpenConnections& operator=(const OpenConnections&) = delete;

  // Opens `count` connections, from the sources in turn, and sends `first_bytes` on each (nothing when empty).
  void Open(int count, const std::vector<std::string>& sources, int port, const std::string& first_bytes);
  const std::vector<int>& fds() const { return fds_; }

 private:
  std::vector<int> fds_;
};

}  // namespace hw_exporter::testing
