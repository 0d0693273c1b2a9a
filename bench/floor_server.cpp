// The floor: a civetweb program that answers every request with one fixed body held in memory, built from the
// same civetweb sources with the same options and the same one-write response as hw_exporter's HttpServer. No
// handler built on this civetweb can cost less, so the exporter's throughput is reported as a fraction of it.
//
// usage: hw_exporter_bench_floor <port> <body-file> [<gzip-body-file>]
// With a gzip body, a request whose Accept-Encoding mentions gzip gets it (a substring test: the least work that
// still sends the same bytes as the exporter). Runs until SIGTERM or SIGINT.
#include <civetweb.h>
#include <signal.h>
#include <strings.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "hw_exporter/core/daemon_signals.h"

namespace {

// The four wire images, built once: head + Connection header + body.
struct Replies {
  std::string identity_keep_alive;
  std::string identity_close;
  std::string gzip_keep_alive;
  std::string gzip_close;
  bool has_gzip = false;
};

std::string ReadWholeFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The same head hw_exporter sends for a /metrics response.
std::string Wire(const std::string& body, bool gzip, bool keep_alive) {
  std::string wire =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
      "Vary: Accept-Encoding\r\n";
  if (gzip) wire += "Content-Encoding: gzip\r\n";
  wire += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  wire += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return wire + body;
}

// civetweb's own keep-alive decision, as HttpServer mirrors it.
bool KeepAlive(mg_connection* connection, const mg_request_info* info) {
  if (const char* header = mg_get_header(connection, "Connection")) return strcasecmp(header, "keep-alive") == 0;
  return info->http_version && std::strcmp(info->http_version, "1.1") == 0;
}

int Handle(mg_connection* connection, void* data) {
  const auto* replies = static_cast<const Replies*>(data);
  const mg_request_info* info = mg_get_request_info(connection);
  const char* encoding = mg_get_header(connection, "Accept-Encoding");
  bool gzip = replies->has_gzip && encoding && std::strstr(encoding, "gzip");
  bool keep_alive = KeepAlive(connection, info);
  const std::string& wire = gzip ? (keep_alive ? replies->gzip_keep_alive : replies->gzip_close)
                                 : (keep_alive ? replies->identity_keep_alive : replies->identity_close);
  mg_write(connection, wire.data(), wire.size());
  return 200;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: " << argv[0] << " <port> <body-file> [<gzip-body-file>]\n";
    return 2;
  }
  sigset_t stop_signals = hw_exporter::BlockDaemonSignals();

  Replies replies;
  try {
    std::string body = ReadWholeFile(argv[2]);
    replies.identity_keep_alive = Wire(body, false, true);
    replies.identity_close = Wire(body, false, false);
    if (argc == 4) {
      std::string gzip_body = ReadWholeFile(argv[3]);
      replies.gzip_keep_alive = Wire(gzip_body, true, true);
      replies.gzip_close = Wire(gzip_body, true, false);
      replies.has_gzip = true;
    }
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    return 1;
  }

  mg_init_library(MG_FEATURES_IPV6);
  std::string port = std::string("127.0.0.1:") + argv[1];
  // hw_exporter's defaults: 16 threads, 30 s keep-alive, 10 s request timeout.
  // Option names and values, filled as text.
  // clang-format off
  const char* options[] = {"listening_ports", port.c_str(), "num_threads", "16", "tcp_nodelay", "1",
                           "enable_keep_alive", "yes", "keep_alive_timeout_ms", "30000", "request_timeout_ms",
                           "10000", nullptr};
  // clang-format on
  mg_callbacks callbacks{};
  mg_context* context = mg_start(&callbacks, nullptr, options);
  if (!context) {
    std::cerr << "cannot listen on " << port << "\n";
    return 1;
  }
  mg_set_request_handler(context, "/", &Handle, &replies);

  hw_exporter::WaitForSignal(stop_signals);
  mg_stop(context);
  mg_exit_library();
  return 0;
}
