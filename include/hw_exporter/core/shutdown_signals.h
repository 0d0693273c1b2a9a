#pragma once

#include <signal.h>

namespace hw_exporter {

// Blocks SIGTERM and SIGINT in the calling thread, and so in every thread it starts afterwards, and ignores
// SIGPIPE. Call it first in main; then WaitForShutdownSignal() takes the signal synchronously.
sigset_t BlockShutdownSignals();

// Waits for SIGTERM or SIGINT (blocked by BlockShutdownSignals) and returns it.
int WaitForShutdownSignal(const sigset_t& signals);

}  // namespace hw_exporter
