#pragma once

// A small blocking HTTP/1.1 client over a POSIX socket, for tests that talk to a real server on loopback.

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hw_exporter::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; a repeated header keeps its last value
  std::string body;                            // as sent, after undoing chunked transfer encoding
  std::string raw;                             // the whole response as it came off the socket
};

// The connection failed, timed out, or the answer was not HTTP.
class HttpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// GET http://host:port/target with "Connection: close" and the extra headers; host is an IPv4 or IPv6 literal
// (127.0.0.1, ::1). The whole exchange must finish within timeout. Throws HttpError.
HttpResponse HttpGet(const std::string& host, int port, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers = {},
                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The same with any method (HEAD, POST ...); a HEAD response has headers only.
HttpResponse HttpRequest(const std::string& method, const std::string& host, int port, const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Sends bytes as they are (any request, well-formed or not) and returns everything the server sends back until it
// closes the connection. Throws HttpError, also when the server keeps it open past the timeout.
std::string RawExchange(const std::string& host, int port, const std::string& bytes,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

// True when something accepts TCP connections on host:port right now.
bool IsListening(const std::string& host, int port);

// A TCP port of 127.0.0.1 that nothing listened on a moment ago, below the kernel's ephemeral ports (which its
// outgoing connections take).
int FreeLoopbackPort();

}  // namespace hw_exporter::testing
