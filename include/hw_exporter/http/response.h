#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hw_exporter {

using Headers = std::vector<std::pair<std::string, std::string>>;

// An immutable HTTP response as it goes on the wire: the status line and headers are rendered once, so that
// replaying it from a cache is a copy. The server adds only the Connection header and the blank line.
struct Response {
  int status = 200;
  std::string head;  // "HTTP/1.1 200 OK\r\n" and every header line, Content-Length included
  std::string body;

  std::size_t size() const { return head.size() + body.size(); }
};

// Builds a response; Content-Length is added from the body.
std::shared_ptr<const Response> MakeResponse(int status, const Headers& headers, std::string body);

// A plain-text response with a message, for errors.
std::shared_ptr<const Response> MakeTextResponse(int status, std::string message, const Headers& extra = {});

std::string_view StatusText(int status);

}  // namespace hw_exporter
