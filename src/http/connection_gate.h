#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/family_set.h"

namespace hw_exporter {

struct ConnectionGateOptions {
  std::vector<std::string> listen_addresses;  // ":9877" (every IPv4 and IPv6 address), "host:port", "[v6]:port"
  std::vector<int> listen_sockets;            // listening already (systemd's): used instead of binding the addresses
  bool tls = false;                           // a connection starts with a TLS hello rather than an HTTP request
  int workers = 16;                           // civetweb's worker threads
  std::size_t max_header_bytes = 8192;        // request line and headers; more is refused with 414 or 431
  Duration request_timeout = std::chrono::seconds(10);
  int max_connections_per_client = 32;  // per IPv4 address, per IPv6 /64
  int max_waiting_connections = 8192;   // connections whose first request has not fully arrived
};

// The listening sockets, and every connection until its first request has fully arrived (with TLS: its client
// hello). civetweb gives a connection a worker thread from accept to close, so a client that connects and sends
// nothing, or half a request, holds a worker until a timeout: sixteen such connections stopped every scrape. Here
// such connections wait on one epoll thread instead, at the cost of a few hundred bytes each, and reach civetweb
// only when a worker has something to do; the gate drops those that exceed the request timeout, the header
// bound, or the per-client cap. When every worker holds a connection, handing over another (or, once a second,
// one queued in civetweb) closes the one that has waited on its client longest, for a second at least (a TLS
// handshake that stalled, an idle keep-alive connection), never one whose request is being answered.
//
// civetweb 1.15 accepts only from sockets it binds itself and has no hook at accept; so it listens on a loopback
// port of its own, the gate connects to that port once per connection it hands over, and civetweb's accept, linked
// with --wrap=accept (accept_handoff.cpp), returns the gate's connection in place of that one.
class ConnectionGate {
  struct HandedOver;  // what the gate knows of a connection handed over

 public:
  explicit ConnectionGate(ConnectionGateOptions options);  // binds every address; throws HttpStartError
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // Starts handing connections to civetweb's listener on 127.0.0.1:internal_port.
  void Start(int internal_port);
  // Closes the listeners and every connection not handed over yet. Also done by the destructor.
  void Stop();

  const std::vector<int>& bound_ports() const;
  // The first listening socket, which the server's self-check connects to.
  int first_listener() const;

  // For civetweb's accept: the next connection ready for a worker, its peer address filled in; -1 when none is.
  int TakeReady(sockaddr* peer, socklen_t* length);

  // A connection handed over, as the civetweb worker holding it tells of its requests. It is found once, at its
  // first request, and kept with the connection (civetweb's connection user data) until it closes: a request
  // begins and ends without the gate's lock, which every worker would otherwise take twice per request.
  class Handle {
   public:
    explicit Handle(std::shared_ptr<HandedOver> connection);
    ~Handle();
    void RequestBegins();
    void RequestEnds();

   private:
    std::shared_ptr<HandedOver> connection_;  // shared with the gate, which may forget it first
  };

  // The handle of a connection handed over, by its peer address and port as civetweb prints them; nullptr for one
  // the gate does not know (anymore).
  std::unique_ptr<Handle> Find(std::string_view address, int port);
  // civetweb closed the connection.
  void Closed(std::string_view address, int port);

  // hw_exporter_http_connections{state} and the gate's hw_exporter_http_requests_rejected_total{reason} and
  // hw_exporter_http_connections_evicted_total.
  void AddMetrics(FamilySet& families) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hw_exporter
