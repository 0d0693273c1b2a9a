#include "support/http_get.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace hw_exporter::testing {

namespace {

using Clock = std::chrono::steady_clock;

// Closes the socket when the exchange ends, however it ends.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

Address LiteralAddress(const std::string& host, int port) {
  Address address;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    address.length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    address.length = sizeof(sockaddr_in6);
  } else {
    throw HttpError("not an IP address literal: " + host);
  }
  return address;
}

int RemainingMilliseconds(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// Waits until the socket is ready for `events` or the deadline passes.
void Await(int fd, short events, Clock::time_point deadline, const char* what) {
  for (;;) {
    pollfd entry{fd, events, 0};
    int ready = ::poll(&entry, 1, RemainingMilliseconds(deadline));
    if (ready > 0) return;
    if (ready == 0) throw HttpError(std::string("timed out ") + what);
    if (errno != EINTR) throw HttpError(std::string("poll failed ") + what + ": " + std::strerror(errno));
  }
}

void Connect(int fd, const Address& address, Clock::time_point deadline) {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) == 0) return;
  if (errno != EINPROGRESS) throw HttpError(std::string("connect: ") + std::strerror(errno));
  Await(fd, POLLOUT, deadline, "connecting");
  int error = 0;
  socklen_t length = sizeof error;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) throw HttpError(std::string("connect: ") + std::strerror(error));
}

void SendAll(int fd, const std::string& data, Clock::time_point deadline) {
  size_t sent = 0;
  while (sent < data.size()) {
    Await(fd, POLLOUT, deadline, "sending the request");
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EINTR && errno != EAGAIN) throw HttpError(std::string("send: ") + std::strerror(errno));
    if (n > 0) sent += static_cast<size_t>(n);
  }
}

std::string ReceiveUntilClosed(int fd, Clock::time_point deadline) {
  std::string data;
  char buffer[16384];
  for (;;) {
    Await(fd, POLLIN, deadline, "reading the response");
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n == 0) return data;
    if (n < 0 && errno != EINTR && errno != EAGAIN) throw HttpError(std::string("recv: ") + std::strerror(errno));
    if (n > 0) data.append(buffer, static_cast<size_t>(n));
  }
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string TrimBlanks(const std::string& text) {
  size_t start = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t");
  return start == std::string::npos ? std::string() : text.substr(start, end - start + 1);
}

std::string Dechunk(const std::string& body) {
  std::string plain;
  size_t position = 0;
  for (;;) {
    size_t line_end = body.find("\r\n", position);
    if (line_end == std::string::npos) throw HttpError("truncated chunked body");
    size_t size = std::stoul(body.substr(position, line_end - position), nullptr, 16);
    position = line_end + 2;
    if (size == 0) return plain;
    if (position + size > body.size()) throw HttpError("truncated chunk");
    plain.append(body, position, size);
    position += size + 2;  // the chunk's trailing CRLF
  }
}

HttpResponse ParseResponse(const std::string& raw) {
  size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos)
    throw HttpError("no complete response header in " + std::to_string(raw.size()) + " bytes");
  HttpResponse response;
  size_t line_end = raw.find("\r\n");
  std::string status_line = raw.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) throw HttpError("not HTTP: " + status_line);
  response.status = std::stoi(status_line.substr(9, 3));
  size_t position = line_end + 2;
  while (position < head_end) {
    size_t end = raw.find("\r\n", position);
    std::string line = raw.substr(position, end - position);
    size_t colon = line.find(':');
    if (colon != std::string::npos) response.headers[Lower(line.substr(0, colon))] = TrimBlanks(line.substr(colon + 1));
    position = end + 2;
  }
  response.body = raw.substr(head_end + 4);
  response.raw = raw;
  auto encoding = response.headers.find("transfer-encoding");
  if (encoding != response.headers.end() && Lower(encoding->second) == "chunked")
    response.body = Dechunk(response.body);
  return response;
}

}  // namespace

HttpResponse HttpGet(const std::string& host, int port, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     std::chrono::milliseconds timeout) {
  return HttpRequest("GET", host, port, target, headers, timeout);
}

std::string RawExchange(const std::string& host, int port, const std::string& bytes,
                        std::chrono::milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  Address address = LiteralAddress(host, port);
  Socket socket(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (socket.fd() < 0) throw HttpError(std::string("socket: ") + std::strerror(errno));
  Connect(socket.fd(), address, deadline);
  SendAll(socket.fd(), bytes, deadline);
  return ReceiveUntilClosed(socket.fd(), deadline);
}

HttpResponse HttpRequest(const std::string& method, const std::string& host, int port, const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         std::chrono::milliseconds timeout) {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string authority = ipv6 ? "[" + host + "]" : host;
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: " + authority + ":" + std::to_string(port) +
                        "\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  return ParseResponse(RawExchange(host, port, request, timeout));
}

bool IsListening(const std::string& host, int port) {
  Address address = LiteralAddress(host, port);
  Socket socket(::socket(address.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  return socket.fd() >= 0 &&
         ::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address.storage), address.length) == 0;
}

namespace {

// The kernel's ephemeral ports (ip_local_port_range) are where it puts both a listener on port 0 and the local end of
// every outgoing connection, so a port it handed out a moment ago may be some test's client connection by the time
// a daemon binds it. Ports below that range are never handed out by the kernel.
int LowestEphemeralPort() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int lowest = 32768;
  range >> lowest;
  return lowest;
}

bool CanBindLoopback(int port) {
  Socket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  return socket.fd() >= 0 && ::bind(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

}  // namespace

int FreeLoopbackPort() {
  const int end = LowestEphemeralPort();
  const int first = end / 2;
  const int count = end - first;
  // Each test process starts at its own place, so that tests running side by side rarely try the same port.
  static std::atomic<unsigned> next{static_cast<unsigned>(::getpid()) * 7919u +
                                    static_cast<unsigned>(Clock::now().time_since_epoch().count())};
  for (int tried = 0; tried < count; ++tried) {
    const int port = first + static_cast<int>(next++ % static_cast<unsigned>(count));
    if (CanBindLoopback(port)) return port;
  }
  throw HttpError("no free loopback port in [" + std::to_string(first) + ", " + std::to_string(end) + ")");
}

}  // namespace hw_exporter::testing
