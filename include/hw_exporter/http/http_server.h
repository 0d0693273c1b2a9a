#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"
#include "hw_exporter/http/response.h"
#include "hw_exporter/security/front_door.h"

namespace hw_exporter {

// What a handler sees of a request. Views into the server's buffers: valid during the call only.
struct Request {
  std::string_view method;
  std::string_view path;   // decoded, without the query
  std::string_view query;  // raw, without the '?'
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  // Tells one client connection from another: a hash of its peer's address and port (0: none given).
  std::uint64_t connection = 0;

  // The value of a header (names compare case-insensitively), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
};

using Handler = std::function<std::shared_ptr<const Response>(const Request&)>;

// A page answers GET and HEAD; an action (POST /-/reload) answers POST and PUT, as Prometheus' lifecycle endpoints
// do. Anything else is 405 with the methods that are allowed.
struct Route {
  Handler handler;
  bool is_action = false;
};

struct HttpServerOptions {
  std::vector<std::string> listen_addresses;  // as configured: ":9877", "127.0.0.1:9877", "[::1]:9877"
  std::vector<int> listen_sockets;            // already listening (systemd's); when given, no address is bound
  int threads = 16;
  Duration keep_alive_timeout = std::chrono::seconds(30);
  Duration request_timeout = std::chrono::seconds(10);
  int max_connections_per_client = 32;  // per IPv4 address or IPv6 /64; more are closed at once
  int max_waiting_connections = 8192;   // connections reading their first request; the oldest makes room
  // The web-config file in force (TLS, basic auth, rate limit, headers); null: plain HTTP, open to all.
  FrontDoor* front_door = nullptr;
  std::set<std::string, std::less<>> paths_without_auth;  // answered without credentials all the same
};

class HttpStartError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// civetweb behind exact routes (HEAD: a GET's headers, no body); unknown paths get 404. With a front door, every
// listener speaks TLS if its file says so, and every request passes its rate limit (else 429) and credentials (else
// 401) before any route. A response is written with one write call: the cached head, a Connection header, and the body,
// so Nagle never splits it (tcp_nodelay is on as well).
class HttpServer {
 public:
  // Binds every address; connections wait until Start(). Throws HttpStartError.
  HttpServer(HttpServerOptions options, std::map<std::string, Route> routes);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Hands connections to the workers from now on. Whoever owns the server has it in place before this.
  void Start();

  // The ports actually bound, one per listening socket.
  const std::vector<int>& bound_ports() const;

  // True when a request to the first listener, over loopback where it listens on every address, gets an answer
  // (any status, or with TLS any record) within about `max_wait`: the gate, civetweb and a worker all work.
  bool AnswersRequest(Duration max_wait) const;

  // hw_exporter_http_connections{state}, hw_exporter_http_connections_evicted_total and the refusals counted
  // before a request reaches civetweb (hw_exporter_http_requests_rejected_total{reason}).
  void AddMetrics(FamilySet& families) const;

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace hw_exporter
