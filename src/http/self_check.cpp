#include "self_check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string_view>

namespace hw_exporter {

namespace {

constexpr std::string_view kRequest = "GET /-/healthy HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

// The listener's own address, with a wildcard one replaced by loopback of the same family.
bool ConnectAddress(int listener, sockaddr_storage& address, socklen_t& length) {
  length = sizeof address;
  if (getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) return false;
  if (address.ss_family == AF_INET) {
    auto& v4 = reinterpret_cast<sockaddr_in&>(address);
    if (v4.sin_addr.s_addr == htonl(INADDR_ANY)) v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  } else if (address.ss_family == AF_INET6) {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(address);
    if (IN6_IS_ADDR_UNSPECIFIED(&v6.sin6_addr)) v6.sin6_addr = in6addr_loopback;
  } else {
    return false;
  }
  return true;
}

// A blocking socket whose connect, reads and writes each give up after `max_wait`.
int Connect(int listener, Duration max_wait) {
  sockaddr_storage address{};
  socklen_t length = 0;
  if (!ConnectAddress(listener, address, length)) return -1;
  int fd = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(max_wait).count();
  timeval timeout{static_cast<time_t>(micros / 1'000'000), static_cast<suseconds_t>(micros % 1'000'000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);  // bounds connect too
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool PlainAnswers(int fd) {
  if (send(fd, kRequest.data(), kRequest.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(kRequest.size())) return false;
  char first[5];
  return recv(fd, first, sizeof first, MSG_WAITALL) == sizeof first && std::memcmp(first, "HTTP/", 5) == 0;
}

// Any record from the server counts: a handshake the server refuses (it wants a client certificate) still shows
// that it is answering. The server's certificate is not checked: only the answer matters here.
bool TlsAnswers(int fd) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
  if (!context) return false;
  std::unique_ptr<SSL, decltype(&SSL_free)> tls(SSL_new(context.get()), &SSL_free);
  if (!tls) return false;
  bool received = false;
  SSL_set_msg_callback(tls.get(), [](int write, int, int, const void*, size_t, SSL*, void* flag) {
    if (!write) *static_cast<bool*>(flag) = true;
  });
  SSL_set_msg_callback_arg(tls.get(), &received);
  SSL_set_fd(tls.get(), fd);
  if (SSL_connect(tls.get()) == 1 && SSL_write(tls.get(), kRequest.data(), static_cast<int>(kRequest.size())) > 0) {
    char first[5];
    SSL_read(tls.get(), first, sizeof first);
  }
  return received;
}

}  // namespace

bool ServerAnswers(int listener, bool tls, Duration max_wait) {
  int fd = Connect(listener, max_wait);
  if (fd < 0) return false;
  const bool answered = tls ? TlsAnswers(fd) : PlainAnswers(fd);
  close(fd);
  return answered;
}

}  // namespace hw_exporter
