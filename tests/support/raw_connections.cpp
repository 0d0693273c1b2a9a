#include "support/raw_connections.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace hw_exporter::testing {

void RaiseOpenFilesLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int ConnectFrom(const std::string& source, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<std::uint16_t>(port));
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
    int error = errno;
    close(fd);
    throw std::runtime_error("connect from " + source + ": " + std::strerror(error));
  }
  return fd;
}

bool ClosedByServer(int fd, std::chrono::milliseconds timeout, std::string* received) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd readable{fd, POLLIN, 0};
    if (poll(&readable, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    ssize_t count = recv(fd, buffer, sizeof buffer, 0);
    if (count <= 0) return true;  // the end of the connection, or a reset
    if (received) received->append(buffer, static_cast<std::size_t>(count));
  }
}

OpenConnections::~OpenConnections() {
  for (int fd : fds_) close(fd);
}

void OpenConnections::Open(int count, const std::vector<std::string>& sources, int port,
                           const std::string& first_bytes) {
  for (int i = 0; i < count; ++i) {
    int fd = ConnectFrom(sources[static_cast<std::size_t>(i) % sources.size()], port);
    fds_.push_back(fd);
    if (!first_bytes.empty() && send(fd, first_bytes.data(), first_bytes.size(), MSG_NOSIGNAL) < 0)
      throw std::runtime_error(std::string("send: ") + std::strerror(errno));
  }
}

}  // namespace hw_exporter::testing
