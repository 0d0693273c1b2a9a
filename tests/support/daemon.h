#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/http_get.h"
#include "support/test_support.h"

namespace hw_exporter::testing {

// build/hw_exporter running on a free port of 127.0.0.1 (unless the arguments name a listen address), started
// with the given arguments; the constructor returns once /-/healthy answers. Stopped with SIGTERM at the end.
class Daemon {
 public:
  explicit Daemon(std::vector<std::string> arguments, int port = FreeLoopbackPort());
  // Started the same way, ready once `ready(port)` is true (a daemon behind TLS or credentials, say), and through
  // `launcher` when given: programs that end by executing the daemon in their place (env, systemd-socket-activate).
  Daemon(std::vector<std::string> arguments, const std::function<bool(int port)>& ready, int port = FreeLoopbackPort(),
         const std::vector<std::string>& launcher = {});
  ~Daemon();

  int port() const { return port_; }
  ChildProcess& process() { return *process_; }

  HttpResponse Get(const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  TempDir directory_;
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

// /-/healthy answers 200 over plain HTTP.
bool AnswersHealthy(int port);

// Arguments that point every root at one of the project's fixture trees and enable only the given collectors.
std::vector<std::string> FixtureArguments(const std::string& tree, const std::vector<std::string>& collectors);

}  // namespace hw_exporter::testing
