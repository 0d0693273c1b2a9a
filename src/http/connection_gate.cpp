#include "connection_gate.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "first_request.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/thread_registry.h"
#include "listeners.h"

namespace hw_exporter {

namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

// civetweb tells of a closed connection only when it had a request (not after a failed TLS handshake): the
// connections it holds are checked this often.
constexpr auto kSweepPeriod = std::chrono::seconds(1);

// The least time a connection waits on its client before the gate may close it to free a worker.
constexpr auto kEvictionGrace = std::chrono::seconds(1);

// A hostile client dribbling its request a byte at a time would make the gate look at it again and again:
// after this many looks it is dropped. A real client sends its headers in one or two segments.
constexpr int kMostLooks = 64;

// The client a connection counts against: an IPv4 address, or an IPv6 /64 (what one host usually holds).
std::string ClientOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    return std::string("6", 1) + std::string(reinterpret_cast<const char*>(&v6.sin6_addr), 8);
  }
  const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
  return std::string("4", 1) + std::string(reinterpret_cast<const char*>(&v4.sin_addr), 4);
}

// The peer as civetweb names it in its callbacks: the address as inet_ntop prints it, and the port.
std::string PeerName(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = "";
  int port = 0;
  if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  } else {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  }
  return std::string(text) + " " + std::to_string(port);
}

// The same from civetweb's callbacks, which run for every request: built in a buffer of the calling thread, so that
// a lookup allocates nothing.
const std::string& PeerName(std::string_view address, int port) {
  thread_local std::string name;
  name.assign(address);
  name += ' ';
  char digits[8];
  name.append(digits, std::to_chars(digits, digits + sizeof digits, port).ptr);
  return name;
}

sockaddr_storage LocalAddress(int fd) {
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
  return local;
}

// Whether the descriptor is still the connection between these two addresses: civetweb may have closed it, and the
// number may have been reused since.
bool StillConnects(int fd, const sockaddr_storage& peer, const sockaddr_storage& local) {
  sockaddr_storage now{};
  socklen_t length = sizeof now;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&now), &length) != 0 || std::memcmp(&now, &peer, length) != 0)
    return false;
  now = LocalAddress(fd);
  return std::memcmp(&now, &local, length) == 0;
}

void SendBestEffort(int fd, std::string_view bytes) { (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

int UnreadBytes(int fd) {
  int unread = 0;
  return ioctl(fd, FIONREAD, &unread) == 0 ? unread : 0;
}

// A connection whose first request has not fully arrived.
struct Waiting {
  std::uint64_t id = 0;
  sockaddr_storage peer{};
  socklen_t peer_length = 0;
  std::string client;
  SteadyTime deadline;
  int looks = 0;
};

}  // namespace

// A connection civetweb has (or is about to take): what the gate needs to choose one to close.
struct ConnectionGate::HandedOver {
  int fd = -1;
  sockaddr_storage peer{};  // with `local`, tells this connection from a later one that reuses the descriptor
  sockaddr_storage local{};
  std::string client;
  // Written by the worker holding the connection without the gate's lock (Handle), read by the gate under it.
  std::atomic<bool> answering{false};  // a request is being answered: never closed by the gate
  std::atomic<bool> served{false};     // at least one request was answered: now an idle keep-alive connection
  std::atomic<SteadyTime::rep> since;  // of the hand-over, or of the last change between waiting and answering
  bool closing = false;                // the gate's, under its lock

  SteadyTime Since() const { return SteadyTime(SteadyTime::duration(since.load(std::memory_order_relaxed))); }

  // Whether a worker holds it waiting on its client. A connection still unread waits for a worker; one a worker
  // has just begun to read is left a grace period to say so.
  bool WaitsOnClient(bool tls, SteadyTime now) const {
    if (answering || closing || now - Since() < kEvictionGrace) return false;
    if (served) return true;
    // Its TLS hello read (a plain request is read and answered at once): a handshake under way, or a request
    // that has not come after it.
    return tls && UnreadBytes(fd) == 0;
  }
};

namespace {

struct Ready {
  int fd;
  sockaddr_storage peer;
  socklen_t peer_length;
};

// What is refused, by reason: the label of hw_exporter_http_requests_rejected_total.
enum Refusal { kTooManyFromClient, kTimeout, kLineTooLong, kHeadersTooLarge, kRefusalCount };
constexpr const char* kRefusalNames[kRefusalCount] = {"too_many_connections", "request_timeout",
                                                      "request_line_too_long", "headers_too_large"};

}  // namespace

struct ConnectionGate::State {
  explicit State(ConnectionGateOptions o) : options(std::move(o)) {}

  const ConnectionGateOptions options;
  std::vector<int> listeners;
  std::vector<int> ports;
  int epoll = -1;
  int wakeup = -1;  // an eventfd: Stop() ends the loop through it
  int internal_port = 0;
  std::atomic<bool> stopping{false};
  std::thread thread;

  // The gate thread's alone.
  std::unordered_map<int, Waiting> waiting;
  std::deque<std::pair<int, std::uint64_t>> by_deadline;  // (fd, id), oldest first: every deadline is as long
  std::unordered_set<int> wake_connections;
  std::uint64_t next_id = 1;
  std::string look_buffer = std::string(options.max_header_bytes, '\0');

  // Shared with civetweb's threads.
  mutable std::mutex mutex;
  std::map<std::string, int, std::less<>> per_client;                        // open connections, waiting or handed over
  std::unordered_map<std::string, std::shared_ptr<HandedOver>> handed_over;  // by PeerName
  std::deque<Ready> ready;
  std::atomic<std::uint64_t> refused[kRefusalCount] = {};
  std::atomic<std::uint64_t> evicted{0};
  std::atomic<std::size_t> waiting_count{0};
  SteadyTime last_sweep;

  void Loop();
  void AcceptAll(int listener);
  void Look(int fd, bool client_done);
  void Expire();
  void Drop(int fd, Refusal refusal, std::string_view answer = {});
  void Forget(int fd);
  void HandOver(int fd);
  void MakeRoom(std::size_t connections);  // callers hold `mutex`
  void Sweep();                            // callers hold `mutex`
  void Wake();
  void Release(const std::string& client);  // callers hold `mutex`
  bool NeedsSweeps();                       // takes `mutex`
};

ConnectionGate::ConnectionGate(ConnectionGateOptions options) : state_(std::make_unique<State>(std::move(options))) {
  state_->listeners = state_->options.listen_sockets.empty() ? BindListeners(state_->options.listen_addresses)
                                                             : AdoptListeners(state_->options.listen_sockets);
  for (int fd : state_->listeners) state_->ports.push_back(LocalPort(fd));
  state_->epoll = epoll_create1(EPOLL_CLOEXEC);
  state_->wakeup = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  for (int fd : state_->listeners) {
    epoll_event event{EPOLLIN, {.fd = fd}};
    epoll_ctl(state_->epoll, EPOLL_CTL_ADD, fd, &event);
  }
  epoll_event event{EPOLLIN, {.fd = state_->wakeup}};
  epoll_ctl(state_->epoll, EPOLL_CTL_ADD, state_->wakeup, &event);
}

ConnectionGate::~ConnectionGate() {
  Stop();
  close(state_->epoll);
  close(state_->wakeup);
}

void ConnectionGate::Start(int internal_port) {
  state_->internal_port = internal_port;
  state_->thread = std::thread([this] { state_->Loop(); });
}

void ConnectionGate::Stop() {
  State& state = *state_;
  if (state.stopping.exchange(true)) return;
  std::uint64_t one = 1;
  (void)write(state.wakeup, &one, sizeof one);
  if (state.thread.joinable()) state.thread.join();
  for (int fd : state.listeners) close(fd);
  for (auto& [fd, connection] : state.waiting) close(fd);
  for (int fd : state.wake_connections) close(fd);
  std::lock_guard lock(state.mutex);
  for (const Ready& ready : state.ready) close(ready.fd);
  state.ready.clear();
  // civetweb's workers wait on their connections' sockets: an end of the connection wakes them to stop.
  state.Sweep();
  for (auto& [peer, connection] : state.handed_over) shutdown(connection->fd, SHUT_RDWR);
}

const std::vector<int>& ConnectionGate::bound_ports() const { return state_->ports; }

int ConnectionGate::first_listener() const { return state_->listeners.empty() ? -1 : state_->listeners.front(); }

void ConnectionGate::State::Loop() {
  NameThisThread("http-gate");
  epoll_event events[64];
  while (!stopping) {
    Expire();  // leaves the nearest deadline at the front
    if (std::chrono::steady_clock::now() - last_sweep >= kSweepPeriod) {
      std::lock_guard lock(mutex);
      Sweep();
      MakeRoom(0);  // for connections queued in civetweb while no one could be closed
    }
    auto next = last_sweep + kSweepPeriod;
    if (!by_deadline.empty()) next = std::min(next, waiting[by_deadline.front().first].deadline);
    auto left = std::chrono::ceil<std::chrono::milliseconds>(next - std::chrono::steady_clock::now());
    int timeout_ms = static_cast<int>(std::max<std::int64_t>(0, left.count()));
    if (by_deadline.empty() && !NeedsSweeps()) timeout_ms = -1;
    int count = epoll_wait(epoll, events, 64, timeout_ms);
    for (int i = 0; i < count; ++i) {
      int fd = events[i].data.fd;
      if (fd == wakeup) continue;
      if (std::find(listeners.begin(), listeners.end(), fd) != listeners.end()) {
        AcceptAll(fd);
      } else if (wake_connections.erase(fd)) {
        close(fd);  // civetweb took the connection it stood for
      } else {
        Look(fd, (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
      }
    }
  }
}

void ConnectionGate::State::AcceptAll(int listener) {
  while (true) {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    int fd = accept4(listener, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) log::Warn("out of file descriptors: a connection waits in the backlog");
      return;
    }
    std::string client = ClientOf(peer);
    {
      std::lock_guard lock(mutex);
      // A client at its cap may only seem to be: what civetweb closed unannounced counts until a sweep.
      if (per_client[client] >= options.max_connections_per_client) Sweep();
      if (auto open = per_client.find(client);
          open != per_client.end() && open->second >= options.max_connections_per_client) {
        ++refused[kTooManyFromClient];
        close(fd);
        continue;
      }
      ++per_client[client];
    }
    // The oldest waiting connection makes room: its deadline is the nearest anyway.
    if (waiting.size() >= static_cast<std::size_t>(options.max_waiting_connections) && !by_deadline.empty())
      Drop(by_deadline.front().first, kTimeout);
    Waiting& entry = waiting[fd];
    entry = {next_id++, peer, length, std::move(client), std::chrono::steady_clock::now() + options.request_timeout, 0};
    by_deadline.emplace_back(fd, entry.id);
    waiting_count = waiting.size();
    // Edge-triggered: a look at what is queued happens once per arrival, not on every turn of the loop.
    epoll_event event{EPOLLIN | EPOLLRDHUP | EPOLLET, {.fd = fd}};
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
  }
}

void ConnectionGate::State::Look(int fd, bool client_done) {
  auto found = waiting.find(fd);
  if (found == waiting.end()) return;
  const int queued_bytes = UnreadBytes(fd);
  std::size_t wanted = options.tls ? 5 : look_buffer.size();
  ssize_t peeked = recv(fd, look_buffer.data(), wanted, MSG_PEEK);
  if (peeked <= 0) {
    if (peeked == 0 || (errno != EAGAIN && errno != EINTR)) Forget(fd);  // the client went away
    return;
  }
  std::string_view queued(look_buffer.data(), static_cast<std::size_t>(peeked));
  Arrival arrival = options.tls ? TlsHelloArrival(queued, static_cast<std::size_t>(queued_bytes))
                                : HttpRequestArrival(queued, options.max_header_bytes);
  switch (arrival) {
    case Arrival::kComplete: HandOver(fd); return;
    case Arrival::kLineTooLong:
      Drop(fd, kLineTooLong, "HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    case Arrival::kHeadersTooLarge:
      Drop(fd, kHeadersTooLarge,
           "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    case Arrival::kIncomplete:
      if (client_done) {
        Forget(fd);  // it will send no more
      } else if (++found->second.looks > kMostLooks) {
        Drop(fd, kTimeout);
      }
      return;
  }
}

void ConnectionGate::State::Expire() {
  auto now = std::chrono::steady_clock::now();
  while (!by_deadline.empty()) {
    auto [fd, id] = by_deadline.front();
    auto found = waiting.find(fd);
    if (found == waiting.end() || found->second.id != id) {
      by_deadline.pop_front();  // handed over or gone since
      continue;
    }
    if (found->second.deadline > now) return;
    Drop(fd, kTimeout, "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  }
}

void ConnectionGate::State::Drop(int fd, Refusal refusal, std::string_view answer) {
  ++refused[refusal];
  if (!answer.empty() && !options.tls) {
    SendBestEffort(fd, answer);
    // What the client sent and nobody read would make closing reset the connection, and the client might lose
    // the answer: read it first, as far as it has arrived.
    for (int reads = 0; reads < 16 && recv(fd, look_buffer.data(), look_buffer.size(), MSG_DONTWAIT) > 0; ++reads) {
    }
  }
  Forget(fd);
}

void ConnectionGate::State::Forget(int fd) {
  auto found = waiting.find(fd);
  if (found == waiting.end()) return;
  {
    std::lock_guard lock(mutex);
    Release(found->second.client);
  }
  waiting.erase(found);
  waiting_count = waiting.size();
  close(fd);  // also leaves the epoll set
}

void ConnectionGate::State::HandOver(int fd) {
  auto found = waiting.find(fd);
  epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);  // as civetweb's own accept would give it
  {
    std::lock_guard lock(mutex);
    MakeRoom(1);
    auto connection = std::make_shared<HandedOver>();
    connection->fd = fd;
    connection->peer = found->second.peer;
    connection->local = LocalAddress(fd);
    connection->client = found->second.client;
    connection->since = std::chrono::steady_clock::now().time_since_epoch().count();
    handed_over[PeerName(found->second.peer)] = std::move(connection);
    ready.push_back({fd, found->second.peer, found->second.peer_length});
  }
  waiting.erase(found);
  waiting_count = waiting.size();
  Wake();
}

void ConnectionGate::State::Sweep() {
  last_sweep = std::chrono::steady_clock::now();
  for (auto connection = handed_over.begin(); connection != handed_over.end();) {
    const HandedOver& handed = *connection->second;
    if (StillConnects(handed.fd, handed.peer, handed.local)) {
      ++connection;
      continue;
    }
    Release(handed.client);
    connection = handed_over.erase(connection);
  }
}

// Sweeps find what civetweb closed without a word (a connection that never had a request) and make room for the
// connections queued in civetweb. Without either, as with scrapers that keep their connections open between
// scrapes, the gate waits for the next connection: an exporter nobody connects to does not wake up. Only the gate's
// thread hands connections over, so none of either appears while it waits.
bool ConnectionGate::State::NeedsSweeps() {
  std::lock_guard lock(mutex);
  std::size_t open = 0;
  for (const auto& [peer, connection] : handed_over) {
    if (!connection->served) return true;
    if (!connection->closing) ++open;
  }
  return open > static_cast<std::size_t>(options.workers);
}

void ConnectionGate::State::MakeRoom(std::size_t connections) {
  const auto workers = static_cast<std::size_t>(options.workers);
  auto open = [&] {
    return static_cast<std::size_t>(std::count_if(handed_over.begin(), handed_over.end(),
                                                  [](const auto& entry) { return !entry.second->closing; }));
  };
  if (open() + connections <= workers) return;
  Sweep();
  const auto now = std::chrono::steady_clock::now();
  for (std::size_t left = open(); left + connections > workers; --left) {
    // Of the connections that wait on their client, one that never had a request answered goes first (a stalled
    // TLS handshake, a request that never came), then the idle keep-alive connection that has waited longest.
    HandedOver* longest = nullptr;
    for (auto& [peer, connection] : handed_over) {
      if (!connection->WaitsOnClient(options.tls, now)) continue;
      if (!longest || std::pair(connection->served.load(), connection->Since()) <
                          std::pair(longest->served.load(), longest->Since()))
        longest = connection.get();
    }
    if (!longest) return;  // every worker answers a request: the new connection queues in civetweb
    longest->closing = true;
    ++evicted;
    shutdown(longest->fd, SHUT_RDWR);  // its worker sees the end of the connection and closes it
  }
}

void ConnectionGate::State::Wake() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_in internal{};
  internal.sin_family = AF_INET;
  internal.sin_port = htons(static_cast<std::uint16_t>(internal_port));
  internal.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&internal), sizeof internal) != 0 && errno != EINPROGRESS) {
    close(fd);
    return;
  }
  // Kept until civetweb closes its end, so that a connect still under way is not abandoned.
  wake_connections.insert(fd);
  epoll_event event{EPOLLRDHUP, {.fd = fd}};
  epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}

void ConnectionGate::State::Release(const std::string& client) {
  auto found = per_client.find(client);
  if (found != per_client.end() && --found->second <= 0) per_client.erase(found);
}

int ConnectionGate::TakeReady(sockaddr* peer, socklen_t* length) {
  std::lock_guard lock(state_->mutex);
  if (state_->ready.empty()) return -1;
  Ready next = state_->ready.front();
  state_->ready.pop_front();
  if (peer && length) {
    std::memcpy(peer, &next.peer, std::min<socklen_t>(*length, next.peer_length));
    *length = next.peer_length;
  }
  return next.fd;
}

ConnectionGate::Handle::Handle(std::shared_ptr<HandedOver> connection) : connection_(std::move(connection)) {}

ConnectionGate::Handle::~Handle() = default;

void ConnectionGate::Handle::RequestBegins() { connection_->answering = true; }

void ConnectionGate::Handle::RequestEnds() {
  connection_->since = std::chrono::steady_clock::now().time_since_epoch().count();
  connection_->served = true;
  connection_->answering = false;
}

std::unique_ptr<ConnectionGate::Handle> ConnectionGate::Find(std::string_view address, int port) {
  std::lock_guard lock(state_->mutex);
  auto found = state_->handed_over.find(PeerName(address, port));
  if (found == state_->handed_over.end()) return nullptr;
  return std::make_unique<Handle>(found->second);
}

void ConnectionGate::Closed(std::string_view address, int port) {
  std::lock_guard lock(state_->mutex);
  auto found = state_->handed_over.find(PeerName(address, port));
  if (found == state_->handed_over.end()) return;
  state_->Release(found->second->client);
  state_->handed_over.erase(found);
}

void ConnectionGate::AddMetrics(FamilySet& families) const {
  const char* rejected = "Requests refused before reaching an endpoint, by reason.";
  for (int reason = 0; reason < kRefusalCount; ++reason)
    families.Counter("hw_exporter_http_requests_rejected_total", rejected,
                     static_cast<double>(state_->refused[reason].load()), {{"reason", kRefusalNames[reason]}});
  families.Counter("hw_exporter_http_connections_evicted_total",
                   "Connections waiting on their client closed to free a worker for a new one.",
                   static_cast<double>(state_->evicted.load()));
  std::size_t handed;
  {
    std::lock_guard lock(state_->mutex);
    handed = state_->handed_over.size();
  }
  const char* open = "Open connections: reading their first request at the gate, or handed over to civetweb.";
  families.Gauge("hw_exporter_http_connections", open, static_cast<double>(state_->waiting_count.load()),
                 {{"state", "reading"}});
  families.Gauge("hw_exporter_http_connections", open, static_cast<double>(handed), {{"state", "handed_over"}});
}

}  // namespace hw_exporter
