#include "listeners.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "hw_exporter/http/http_server.h"

namespace hw_exporter {

namespace {

// The listening socket, or -1 when the address family is `optional` and the host lacks it.
int Listen(const addrinfo& address, const std::string& configured, bool optional) {
  int fd = socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address.ai_protocol);
  if (fd < 0 && optional && errno == EAFNOSUPPORT) return -1;
  if (fd < 0) throw HttpStartError("cannot listen on " + configured + ": " + std::strerror(errno));
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);  // a restart need not wait for TIME_WAIT
  if (address.ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  if (bind(fd, address.ai_addr, address.ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
    int error = errno;
    close(fd);
    throw HttpStartError("cannot listen on " + configured + ": " + std::strerror(error));
  }
  return fd;
}

// Host and port of a configured address; an empty host is every address, a bracketed one is IPv6.
std::pair<std::string, std::string> SplitAddress(const std::string& configured) {
  const size_t colon = configured.rfind(':');
  if (colon == std::string::npos) throw HttpStartError("cannot listen on " + configured + ": no port");
  std::string host = configured.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {host, configured.substr(colon + 1)};
}

}  // namespace

std::vector<int> BindListeners(const std::vector<std::string>& addresses) {
  std::vector<int> listeners;
  try {
    for (const auto& configured : addresses) {
      auto [host, port] = SplitAddress(configured);
      addrinfo hints{};
      hints.ai_socktype = SOCK_STREAM;
      hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | (host.empty() ? 0 : AI_ADDRCONFIG);
      addrinfo* found = nullptr;
      if (int error = getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found))
        throw HttpStartError("cannot listen on " + configured + ": " + gai_strerror(error));
      std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
      for (const addrinfo* address = found; address; address = address->ai_next) {
        // Every interface: IPv6 may be missing from the host, which leaves IPv4 alone.
        bool optional = host.empty() && address->ai_family == AF_INET6;
        if (int fd = Listen(*address, configured, optional); fd >= 0) listeners.push_back(fd);
      }
    }
  } catch (...) {
    for (int fd : listeners) close(fd);
    throw;
  }
  return listeners;
}

std::vector<int> AdoptListeners(const std::vector<int>& sockets) {
  for (int fd : sockets) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return sockets;
}

int LocalPort(int socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
}

}  // namespace hw_exporter
