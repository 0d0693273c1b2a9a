#include "support/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace hw_exporter::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, std::string output_path)
    : output_path_(std::move(output_path)) {
  int output = ::open(output_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (output < 0) throw std::runtime_error(output_path_ + ": " + std::strerror(errno));
  std::vector<char*> arguments;
  for (const auto& argument : argv) arguments.push_back(const_cast<char*>(argument.c_str()));
  arguments.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(output);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::dup2(output, STDOUT_FILENO);
    ::dup2(output, STDERR_FILENO);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(arguments[0], arguments.data());
    ::_exit(127);
  }
  ::close(output);
}

ChildProcess::~ChildProcess() {
  if (!Exited()) Signal(SIGKILL, std::chrono::seconds(5));
}

std::optional<int> ChildProcess::Exited() {
  if (!status_) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
  }
  return status_;
}

std::optional<int> ChildProcess::Signal(int signal, std::chrono::milliseconds max_wait) {
  if (Exited()) return status_;
  ::kill(pid_, signal);
  auto deadline = std::chrono::steady_clock::now() + max_wait;
  while (!Exited() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return status_;
}

std::string ChildProcess::Output() const {
  std::ifstream file(output_path_);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace hw_exporter::testing
