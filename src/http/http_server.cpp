#include "hw_exporter/http/http_server.h"

#include <civetweb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <mutex>
#include <thread>

#include "accept_handoff.h"
#include "civetweb_waits.h"
#include "connection_gate.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/strings.h"
#include "hw_exporter/core/thread_registry.h"
#include "hw_exporter/http/http_error.h"
#include "hw_exporter/http/percent_decoding.h"
#include "self_check.h"

namespace hw_exporter {

namespace {

// civetweb keeps process-wide state; mg_init_library must run once before the first server. OpenSSL is left
// uninitialised here: civetweb initialises it when a listener needs TLS, and without TLS it would make about 2 MB
// of libcrypto resident for nothing.
void InitCivetweb() {
  static std::once_flag once;
  std::call_once(once, [] { mg_init_library(MG_FEATURES_IPV6); });
}

// The request line and headers: a scrape's are a few hundred bytes.
constexpr std::size_t kMaxHeaderBytes = 8192;

// Mirrors civetweb's own decision, so the Connection header we send matches what it does with the socket: a
// Connection header keeps the connection open when one of its comma-separated options is "keep-alive" (civetweb
// accepts a leading part of the word too), and without one HTTP/1.1 keeps it open.
bool KeepAlive(const mg_request_info& info, const Request& request) {
  if (auto connection = request.Header("Connection")) {
    for (std::string_view option : Split(*connection, ',')) {
      option = Trim(option);
      if (!option.empty() && option.size() <= 10 && strncasecmp(option.data(), "keep-alive", option.size()) == 0)
        return true;
    }
    return false;
  }
  return info.http_version && std::string_view(info.http_version) == "1.1";
}

Request MakeRequest(const mg_request_info& info) {
  Request request;
  request.method = info.request_method ? info.request_method : "";
  request.path = info.local_uri ? info.local_uri : "";
  request.query = info.query_string ? info.query_string : "";
  request.headers.reserve(static_cast<size_t>(info.num_headers));
  for (int i = 0; i < info.num_headers; ++i)
    request.headers.emplace_back(info.http_headers[i].name, info.http_headers[i].value);
  request.connection = std::hash<std::string_view>{}(info.remote_addr) ^ static_cast<std::uint64_t>(info.remote_port);
  return request;
}

// `extra_headers`: the web-config file's, as "Name: value\r\n" lines.
void Write(mg_connection* connection, const Response& response, bool with_body, bool keep_alive,
           std::string_view extra_headers = {}) {
  auto write = [connection](std::string_view bytes) {
    return mg_write(connection, bytes.data(), bytes.size()) == static_cast<int>(bytes.size());
  };
  bool written = false;
  if (keep_alive && extra_headers.empty()) {
    std::string_view wire = response.wire;
    if (!with_body) wire.remove_suffix(response.body().size());
    written = write(wire);
  } else {
    // A head of its own, then the rendered body, which is not copied: one more write, for the rare response.
    std::string head(response.head());
    head += extra_headers;
    head += keep_alive ? Response::kKeepAlive : "Connection: close\r\n\r\n";
    written = write(head) && (!with_body || write(response.body()));
  }
  // A response not written whole (its client read too little of it within the request timeout, or went away) leaves
  // the connection in the middle of it: civetweb closes that too, as it does when the header says so.
  if (!keep_alive || !written) mg_disable_connection_keep_alive(connection);
}

// The answers of the front door, the same for every request.
std::shared_ptr<const Response> Refusal(Verdict verdict) {
  static const auto unauthorized = MakeTextResponse(401, std::string(StatusText(401)), {{"WWW-Authenticate", "Basic"}});
  static const auto rate_limited = MakeTextResponse(429, std::string(StatusText(429)));
  return verdict == Verdict::kUnauthorized ? unauthorized : rate_limited;
}

}  // namespace

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const auto& [header, value] : headers)
    if (EqualsIgnoringCase(header, name)) return value;
  return std::nullopt;
}

struct HttpServer::Context {
  std::map<std::string, Route, std::less<>> routes;
  FrontDoor* front_door = nullptr;
  std::set<std::string, std::less<>> paths_without_auth;
  std::unique_ptr<ConnectionGate> gate;
  int internal_port = 0;
  mg_context* civetweb = nullptr;
  // Refusals past the gate, for hw_exporter_http_requests_rejected_total.
  mutable std::atomic<std::uint64_t> refused_bodies{0};
  std::atomic<std::uint64_t> refused_malformed{0};

  // The front door's refusal, or the route's answer.
  std::shared_ptr<const Response> Answer(const Request& request, const AccessPolicy* policy) const {
    if (policy) {
      Verdict verdict = front_door->Admit(*policy, request.Header("Authorization"),
                                          paths_without_auth.contains(request.path));
      if (verdict != Verdict::kAdmit) return Refusal(verdict);
    }
    return Dispatch(request);
  }

  std::shared_ptr<const Response> Dispatch(const Request& request) const {
    auto route = routes.find(request.path);
    if (route == routes.end()) return MakeTextResponse(404, "404 page not found: " + std::string(request.path));
    const bool action = route->second.is_action;
    const bool allowed = action ? request.method == "POST" || request.method == "PUT"
                                : request.method == "GET" || request.method == "HEAD";
    if (!allowed) {
      const std::string methods = action ? "POST, PUT" : "GET, HEAD";
      return MakeTextResponse(405, "method " + std::string(request.method) + " not allowed; use " + methods,
                              {{"Allow", methods}});
    }
    try {
      return route->second.handler(request);
    } catch (const std::exception& error) {
      log::Error("request failed", {{"path", std::string(request.path)}, {"err", error.what()}});
      return MakeTextResponse(500, std::string("internal error: ") + error.what());
    }
  }

  // The one civetweb handler: every path comes here and is routed exactly by Dispatch.
  static int Handle(mg_connection* connection, void* data) {
    const auto* self = static_cast<const Context*>(data);
    const mg_request_info* info = mg_get_request_info(connection);
    Request request = MakeRequest(*info);
    char port[8] = "";
    std::to_chars(port, port + sizeof port - 1, info->remote_port);
    Activity activity("serving", {request.path, " to ", info->remote_addr, ":", port});
    auto policy = self->front_door ? self->front_door->policy() : nullptr;
    std::string path;
    std::shared_ptr<const Response> response;
    try {
      // No endpoint takes a body: refusing it, and closing, saves reading it.
      if (info->content_length > 0 || request.Header("Transfer-Encoding")) {
        ++self->refused_bodies;
        throw HttpError(413, "request bodies are not accepted");
      }
      // Only a path with an escape is copied: a scrape's path has none, and its answer costs no allocation.
      if (request.path.find('%') != std::string_view::npos) {
        path = PercentDecodePath(request.path);
        request.path = path;
      }
      response = self->Answer(request, policy.get());
    } catch (const HttpError& error) {
      response = MakeTextResponse(error.status(), error.what());
    }
    Write(connection, *response, request.method != "HEAD", response->status != 413 && KeepAlive(*info, request),
          policy ? std::string_view(policy->header_lines) : std::string_view());
    return response->status;
  }

  // civetweb's own error responses (a request line it cannot parse, a method it does not know) copy parts of the
  // request line into their status line, which lets a client write headers into the response. These are answered
  // here instead, with nothing of the request in them: 405 and Allow for a method other than GET and HEAD, as for
  // the routes, and civetweb's status otherwise. The connection is closed after either.
  static int AnswerError(mg_connection* connection, int status, const char*) {
    const mg_request_info* info = mg_get_request_info(connection);
    const std::string_view method = info && info->request_method ? info->request_method : "";
    const bool unknown_method = status == 400 && !method.empty() && method != "GET" && method != "HEAD";
    if (!unknown_method) ++static_cast<Context*>(mg_get_user_data(mg_get_context(connection)))->refused_malformed;
    auto response = unknown_method
                        ? MakeTextResponse(405, "method not allowed; use GET or HEAD", {{"Allow", "GET, HEAD"}})
                        : MakeTextResponse(status, std::string(StatusText(status)));
    Write(connection, *response, method != "HEAD", /*keep_alive=*/false);
    return 0;
  }

  // civetweb asks for the TLS context at start and at stop: it is the front door's, which keeps it.
  static int ExternalTlsContext(void** tls_context, void* data) {
    *tls_context = static_cast<Context*>(data)->front_door->tls()->native();
    return 1;
  }

  // The gate's view of the connections civetweb holds. A connection without request information (its TLS
  // handshake failed) is not reported: the gate finds out by itself.
  static ConnectionGate& GateOf(const mg_connection* connection) {
    return *static_cast<Context*>(mg_get_user_data(mg_get_context(connection)))->gate;
  }
  // The connection's gate handle, found at its first request and kept in civetweb's connection user data, which
  // civetweb clears for each new connection; deleted when the connection closes.
  static ConnectionGate::Handle* HandleOf(const mg_connection* connection) {
    if (void* kept = mg_get_user_connection_data(connection)) return static_cast<ConnectionGate::Handle*>(kept);
    const mg_request_info* info = mg_get_request_info(connection);
    if (!info) return nullptr;
    ConnectionGate::Handle* handle = GateOf(connection).Find(info->remote_addr, info->remote_port).release();
    mg_set_user_connection_data(connection, handle);
    return handle;
  }
  static int RequestBegins(mg_connection* connection) {
    if (ConnectionGate::Handle* handle = HandleOf(connection)) handle->RequestBegins();
    return 0;  // civetweb goes on to the handler
  }
  static void RequestEnds(const mg_connection* connection, int) {
    if (ConnectionGate::Handle* handle = HandleOf(connection)) handle->RequestEnds();
  }
  static void ConnectionCloses(const mg_connection* connection) {
    delete static_cast<ConnectionGate::Handle*>(mg_get_user_connection_data(connection));
    if (const mg_request_info* info = mg_get_request_info(connection))
      GateOf(connection).Closed(info->remote_addr, info->remote_port);
  }

  // civetweb's threads, named for /debug/pprof/threads and `top -H`: its listener (type 0) and workers (type 1).
  static void* StartThread(const mg_context*, int thread_type) {
    static std::atomic<int> workers{0};
    if (thread_type == 1) MarkCivetwebWorker();
    NameThisThread(thread_type == 0 ? std::string("http-listen") : "http-" + std::to_string(++workers));
    return nullptr;
  }

  static int LogMessage(const mg_connection*, const char* message) {
    log::Debug("http server", {{"detail", message}});
    return 1;
  }
};

HttpServer::HttpServer(HttpServerOptions options, std::map<std::string, Route> routes)
    : context_(std::make_unique<Context>()) {
  InitCivetweb();
  context_->routes.insert(routes.begin(), routes.end());
  context_->front_door = options.front_door;
  context_->paths_without_auth = std::move(options.paths_without_auth);
  const bool tls = options.front_door && options.front_door->tls();
  context_->gate = std::make_unique<ConnectionGate>(ConnectionGateOptions{
      options.listen_addresses, options.listen_sockets, tls, options.threads, kMaxHeaderBytes, options.request_timeout,
      options.max_connections_per_client, options.max_waiting_connections});

  // civetweb listens on a loopback port of its own, which only the gate connects to.
  std::string ports = tls ? "127.0.0.1:0s" : "127.0.0.1:0";
  std::string threads = std::to_string(options.threads);
  std::string keep_alive = std::to_string(options.keep_alive_timeout.count());
  std::string request_timeout = std::to_string(options.request_timeout.count());
  std::string max_request = std::to_string(kMaxHeaderBytes);
  // Option names and values, in pairs.
  // clang-format off
  const char* civetweb_options[] = {"listening_ports", ports.c_str(),
                                    "decode_url", "no",  // Handle decodes the path itself, refusing %00 and %2F
                                    "num_threads", threads.c_str(),
                                    "tcp_nodelay", "1",
                                    "enable_keep_alive", "yes",
                                    "keep_alive_timeout_ms", keep_alive.c_str(),
                                    "request_timeout_ms", request_timeout.c_str(),
                                    "max_request_size", max_request.c_str(),
                                    nullptr};
  // clang-format on
  mg_callbacks callbacks{};
  callbacks.log_message = &Context::LogMessage;
  callbacks.init_thread = &Context::StartThread;
  callbacks.http_error = &Context::AnswerError;
  callbacks.begin_request = &Context::RequestBegins;
  callbacks.end_request = &Context::RequestEnds;
  callbacks.connection_close = &Context::ConnectionCloses;
  if (tls) callbacks.external_ssl_ctx = &Context::ExternalTlsContext;
  mg_init_data init{};
  init.callbacks = &callbacks;
  init.user_data = context_.get();
  init.configuration_options = civetweb_options;
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error{};
  error.code = &error_code;
  error.text = error_text;
  error.text_buffer_size = sizeof error_text;
  context_->civetweb = mg_start2(&init, &error);
  if (!context_->civetweb)
    throw HttpStartError("cannot start the HTTP engine: " + std::string(error_text[0] ? error_text : "unknown error"));
  mg_set_request_handler(context_->civetweb, "/", &Context::Handle, context_.get());

  mg_server_port internal{};
  mg_get_server_ports(context_->civetweb, 1, &internal);
  context_->internal_port = internal.port;
  RegisterHandoff(internal.port, context_->gate.get());
}

void HttpServer::Start() { context_->gate->Start(context_->internal_port); }

namespace {

// Connects to a loopback port and leaves at once.
void Knock(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  close(fd);
}

// mg_stop() sets civetweb's stop flag and waits for its listener, which looks at the flag only when its poll ends:
// knocking on the listener's port until mg_stop() returns ends that poll at once rather than after a quantum.
void StopCivetweb(mg_context* civetweb, int internal_port) {
  std::atomic<bool> stopped{false};
  std::thread knocker([&] {
    NameThisThread("http-stop");
    while (!stopped) {
      Knock(internal_port);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  mg_stop(civetweb);
  stopped = true;
  knocker.join();
}

}  // namespace

HttpServer::~HttpServer() {
  context_->gate->Stop();  // no new connection reaches civetweb, and those it has are shut down
  UnregisterHandoff(context_->internal_port);
  if (context_->civetweb) StopCivetweb(context_->civetweb, context_->internal_port);
}

const std::vector<int>& HttpServer::bound_ports() const { return context_->gate->bound_ports(); }

bool HttpServer::AnswersRequest(Duration max_wait) const {
  return ServerAnswers(context_->gate->first_listener(), context_->front_door && context_->front_door->tls(), max_wait);
}

void HttpServer::AddMetrics(FamilySet& families) const {
  context_->gate->AddMetrics(families);
  const char* help = "Requests refused before reaching an endpoint, by reason.";
  families.Counter("hw_exporter_http_requests_rejected_total", help,
                   static_cast<double>(context_->refused_bodies.load()), {{"reason", "request_body"}});
  families.Counter("hw_exporter_http_requests_rejected_total", help,
                   static_cast<double>(context_->refused_malformed.load()), {{"reason", "malformed_request"}});
}

}  // namespace hw_exporter
