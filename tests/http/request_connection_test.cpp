// A request names the connection it came on, which is how the family cache tells one scraper from another.
#include <gtest/gtest.h>

#include <regex>

#include "hw_exporter/http/http_server.h"
#include "support/http_get.h"

namespace hw_exporter {
namespace {

using testing::RawExchange;

// The connections the requests of one exchange (sent at once on one connection) were said to come on.
std::vector<std::string> ConnectionsSeen(int port, int requests) {
  std::string bytes;
  for (int request = 1; request <= requests; ++request)
    bytes += std::string("GET /connection HTTP/1.1\r\nHost: x\r\n") +
             (request == requests ? "Connection: close\r\n" : "") + "\r\n";
  const std::string raw = RawExchange("127.0.0.1", port, bytes);
  static const std::regex kSeen("connection ([0-9]+);");
  std::vector<std::string> seen;
  for (std::sregex_iterator match(raw.begin(), raw.end(), kSeen); match != std::sregex_iterator(); ++match)
    seen.push_back((*match)[1]);
  return seen;
}

TEST(RequestConnection, SameOnOneConnectionAndDifferentOnAnother) {
  HttpServerOptions options;
  options.listen_addresses = {"127.0.0.1:0"};
  options.threads = 2;
  std::map<std::string, Route> routes;
  routes["/connection"].handler = [](const Request& request) {
    return MakeTextResponse(200, "connection " + std::to_string(request.connection) + ";");
  };
  HttpServer server(std::move(options), std::move(routes));
  server.Start();
  const int port = server.bound_ports().at(0);

  const std::vector<std::string> first = ConnectionsSeen(port, 3);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_NE(first[0], "0");
  EXPECT_EQ(first[1], first[0]) << "a connection kept open is one reader";
  EXPECT_EQ(first[2], first[0]);
  const std::vector<std::string> second = ConnectionsSeen(port, 1);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0], first[0]) << "another connection is another reader";
}

}  // namespace
}  // namespace hw_exporter
