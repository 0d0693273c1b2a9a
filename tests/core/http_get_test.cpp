#include "support/http_get.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

namespace hw_exporter::testing {
namespace {

// A one-shot server on 127.0.0.1: accepts one connection, keeps the request, answers with a canned response.
class OneShotServer {
 public:
  explicit OneShotServer(std::string response) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd_, 1) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, response = std::move(response)] { Serve(response); });
  }
  ~OneShotServer() {
    Finish();
    ::close(fd_);
  }

  int port() const { return port_; }

  // What the client sent, once the exchange is over.
  std::string Request() {
    Finish();
    return request_;
  }

 private:
  void Serve(const std::string& response) {
    int client = ::accept(fd_, nullptr, nullptr);
    if (client < 0) return;
    char buffer[4096];
    while (request_.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      request_.append(buffer, static_cast<size_t>(n));
    }
    if (response.empty()) {
      while (::recv(client, buffer, sizeof buffer, 0) > 0) {
      }  // say nothing until the client gives up
    } else {
      ::send(client, response.data(), response.size(), MSG_NOSIGNAL);
    }
    ::close(client);
  }

  void Finish() {
    if (!thread_.joinable()) return;
    ::shutdown(fd_, SHUT_RDWR);  // wakes an accept() that no client came to
    thread_.join();
  }

  int fd_ = -1;
  int port_ = 0;
  std::string request_;
  std::thread thread_;
};

TEST(HttpGet, SendsTheRequestAndReadsStatusHeadersAndBody) {
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: 4\r\n\r\nx 1\n");
  HttpResponse response = HttpGet("127.0.0.1", server.port(), "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.at("content-type"), "text/plain; version=0.0.4");
  EXPECT_EQ(response.body, "x 1\n");
}

TEST(HttpGet, PutsTheTargetAndHeadersOnTheWire) {
  OneShotServer server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  HttpResponse response = HttpGet("127.0.0.1", server.port(), "/metrics?collect[]=cpu", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(response.status, 404);
  std::string request = server.Request();
  EXPECT_TRUE(request.starts_with("GET /metrics?collect[]=cpu HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("\r\nAccept-Encoding: gzip\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("\r\nConnection: close\r\n"), std::string::npos) << request;
}

TEST(HttpGet, UndoesChunkedEncoding) {
  OneShotServer server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab\ncd\r\n3\r\nef\n\r\n0\r\n\r\n");
  EXPECT_EQ(HttpGet("127.0.0.1", server.port(), "/").body, "ab\ncdef\n");
}

TEST(HttpGet, TimesOutOnASilentServer) {
  OneShotServer server("");
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(HttpGet("127.0.0.1", server.port(), "/", {}, std::chrono::milliseconds(300)), HttpError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(HttpGet, RefusedConnectionIsAnError) {
  int port = FreeLoopbackPort();
  EXPECT_FALSE(IsListening("127.0.0.1", port));
  EXPECT_THROW(HttpGet("127.0.0.1", port, "/", {}, std::chrono::seconds(2)), HttpError);
}

}  // namespace
}  // namespace hw_exporter::testing
