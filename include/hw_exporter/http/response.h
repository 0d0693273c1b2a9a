#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hw_exporter {

using Headers = std::vector<std::pair<std::string, std::string>>;

// An immutable HTTP response as it goes on the wire, rendered once: the status line, the header lines (Content-Length
// included), the Connection header of a connection kept open with its blank line, then the body, in one string.
// Nearly every response leaves on a kept connection, and then the server writes this string as it is, so that
// replaying a response from a cache copies nothing; for a connection it closes, or headers the web-config file
// adds, it writes a head of its own from head(), then body().
struct Response {
  static constexpr std::string_view kKeepAlive = "Connection: keep-alive\r\n\r\n";

  int status = 200;
  std::string wire;
  std::size_t head_size = 0;  // the status line and header lines, wire's start

  std::string_view head() const { return std::string_view(wire).substr(0, head_size); }
  std::string_view body() const { return std::string_view(wire).substr(head_size + kKeepAlive.size()); }
  std::size_t size() const { return wire.size(); }
};

// Builds a response; Content-Length is added from the body.
std::shared_ptr<const Response> MakeResponse(int status, const Headers& headers, std::string_view body);

// A plain-text response with a message, for errors.
std::shared_ptr<const Response> MakeTextResponse(int status, std::string message, const Headers& extra = {});

std::string_view StatusText(int status);

}  // namespace hw_exporter
