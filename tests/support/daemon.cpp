#include "support/daemon.h"

#include <signal.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace hw_exporter::testing {

bool AnswersHealthy(int port) {
  try {
    return HttpGet("127.0.0.1", port, "/-/healthy", {}, std::chrono::seconds(1)).status == 200;
  } catch (const HttpError&) {
    return false;
  }
}

Daemon::Daemon(std::vector<std::string> arguments, int port) : Daemon(std::move(arguments), AnswersHealthy, port) {}

Daemon::Daemon(std::vector<std::string> arguments, const std::function<bool(int port)>& ready, int port,
               const std::vector<std::string>& launcher)
    : port_(port) {
  std::vector<std::string> argv = launcher;
  argv.push_back(HW_EXPORTER_BINARY);
  bool names_address = std::any_of(arguments.begin(), arguments.end(), [](const std::string& argument) {
    return argument.rfind("--web.listen-address", 0) == 0 || argument == "--web.systemd-socket";
  });
  if (!names_address) argv.push_back("--web.listen-address=127.0.0.1:" + std::to_string(port_));
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  process_ = std::make_unique<ChildProcess>(argv, directory_.path() + "/daemon.log");

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (process_->Exited()) throw std::runtime_error("hw_exporter exited at start:\n" + process_->Output());
    if (ready(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("hw_exporter did not answer on port " + std::to_string(port_) + ":\n" + process_->Output());
}

Daemon::~Daemon() { process_->Signal(SIGTERM, std::chrono::seconds(5)); }

HttpResponse Daemon::Get(const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers) {
  return HttpGet("127.0.0.1", port_, target, headers);
}

std::vector<std::string> FixtureArguments(const std::string& tree, const std::vector<std::string>& collectors) {
  std::string root = Fixture(tree);
  std::vector<std::string> arguments{"--path.procfs=" + root + "/proc", "--path.sysfs=" + root + "/sys",
                                     "--path.rootfs=" + root, "--path.udev.data=" + root + "/udev/data",
                                     "--collector.disable-defaults"};
  for (const auto& name : collectors) arguments.push_back("--collector." + name);
  return arguments;
}

}  // namespace hw_exporter::testing
