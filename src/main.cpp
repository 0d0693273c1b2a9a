// hw_exporter: flags and config, process setup (signals, allocator, systemd), and the signal loop — nothing else.
#include <string.h>

#include <iostream>
#include <locale>
#include <optional>

#include "hw_exporter/config/config.h"
#include "hw_exporter/core/daemon_signals.h"
#include "hw_exporter/core/log.h"
#include "hw_exporter/core/malloc_tuning.h"
#include "hw_exporter/core/startup_pages.h"
#include "hw_exporter/core/thread_registry.h"
#include "hw_exporter/core/version.h"
#include "hw_exporter/daemon/exporter.h"
#include "hw_exporter/daemon/systemd.h"
#include "hw_exporter/daemon/watchdog.h"
#include "hw_exporter/http/http_server.h"

namespace hw_exporter {
namespace {

constexpr int kExitConfigError = 2;

// std::regex narrows characters through the locale's ctype facet, which fills a table of them on first use, one
// entry at a time and from any thread: a reload compiling collectors' patterns while a collector compiles its own
// would write it from two threads. Filled here whole, before any thread exists, it is only read afterwards.
void FillCharacterTable() {
  char all[256];
  for (int c = 0; c < 256; ++c) all[c] = static_cast<char>(c);
  char narrowed[256];
  std::use_facet<std::ctype<char>>(std::locale()).narrow(all, all + 256, '\0', narrowed);
}

int Serve(const std::vector<std::string>& arguments, const LoadedConfig& loaded) {
  TuneMalloc();
  FillCharacterTable();
  sigset_t signals = BlockDaemonSignals();
  RegisterThisThread();  // keeps the process's name, which is this thread's
  SystemdNotifier notifier;
  std::optional<Exporter> exporter;
  try {
    exporter.emplace(arguments, loaded, notifier);
  } catch (const HttpStartError& error) {
    log::Error("cannot start the HTTP server", {{"err", error.what()}});
    return 1;
  }
  exporter->Start();
  log::Info("hw_exporter started", {{"version", std::string(Version())}, {"status", exporter->Status()}});
  {
    Watchdog watchdog(notifier, [&exporter](Duration max_wait) { return exporter->Healthy(max_wait); });
    notifier.Ready(exporter->Status());
    // What ran only to start leaves the resident size; what scrapes run comes back as they run.
    log::Debug("code run only to start unmapped", {{"bytes", std::to_string(ReleaseStartupPages())}});
    for (int signal_number = WaitForSignal(signals);; signal_number = WaitForSignal(signals)) {
      if (signal_number == SIGHUP) {
        exporter->Reload();
        continue;
      }
      if (signal_number == SIGUSR2) {
        exporter->ToggleProfiling();
        continue;
      }
      log::Info("shutting down", {{"signal", std::string(strsignal(signal_number))}});
      notifier.Stopping();
      break;
    }
  }
  exporter->Stop();
  return 0;
}

int Main(const std::vector<std::string>& arguments) {
  LoadedConfig loaded;
  try {
    loaded = LoadConfig(arguments);
    if (loaded.action == Action::kHelp) {
      std::cout << HelpText();
      return 0;
    }
    if (loaded.action == Action::kVersion) {
      std::cout << "hw_exporter version " << Version() << " (revision " << Revision() << ", " << Compiler() << ")\n";
      return 0;
    }
    auto level = log::ParseLevel(loaded.config.log.level);
    auto format = log::ParseFormat(loaded.config.log.format);
    log::ConfigureLogging(level.value_or(log::Level::kInfo), format.value_or(log::Format::kLogfmt));
    return Serve(arguments, loaded);
  } catch (const ConfigError& error) {
    std::cerr << "hw_exporter: " << error.where() << ": " << error.what() << "\n";
    return kExitConfigError;
  }
}

}  // namespace
}  // namespace hw_exporter

int main(int argc, char** argv) { return hw_exporter::Main(std::vector<std::string>(argv + 1, argv + argc)); }
