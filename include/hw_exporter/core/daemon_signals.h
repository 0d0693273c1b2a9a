#pragma once

#include <signal.h>

namespace hw_exporter {

// Blocks SIGTERM, SIGINT (stop), SIGHUP (reload) and SIGUSR2 (profiling on and off) in the calling thread, and so in
// every thread it starts afterwards, and ignores SIGPIPE. Call it first in main; then WaitForSignal() takes them
// synchronously.
sigset_t BlockDaemonSignals();

// Waits for one of the signals BlockDaemonSignals blocked and returns it.
int WaitForSignal(const sigset_t& signals);

}  // namespace hw_exporter
