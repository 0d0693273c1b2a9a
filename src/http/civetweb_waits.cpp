#include "civetweb_waits.h"

#include <poll.h>

#include <algorithm>

namespace hw_exporter {

namespace {

thread_local bool is_civetweb_worker = false;

constexpr int kWriteWaitMs = 1000;

}  // namespace

void MarkCivetwebWorker() { is_civetweb_worker = true; }

}  // namespace hw_exporter

// civetweb waits in quanta (SOCKET_TIMEOUT_QUANTUM) so as to look at its stop flag between them. The exporter wakes
// civetweb's threads itself when it stops (the gate shuts their connections down, HttpServer knocks on the listener),
// so its quantum is an hour (cmake/Civetweb.cmake): the listener, and a worker holding a scraper's keep-alive
// connection between scrapes, sleep until a client sends something or their own timeout ends, instead of waking once
// a quantum, at over a millisecond of CPU a wake on a virtual machine. A worker's wait to write to a client that does
// not read is the one whose length is the quantum itself, the request timeout being looked at after each: the
// executable is linked with --wrap=poll, and here that wait lasts at most a second.
extern "C" int __real_poll(pollfd* descriptors, nfds_t count, int timeout_ms);

extern "C" int __wrap_poll(pollfd* descriptors, nfds_t count, int timeout_ms) {
  if (hw_exporter::is_civetweb_worker && count == 1 && (descriptors[0].events & POLLOUT) != 0)
    timeout_ms = timeout_ms < 0 ? hw_exporter::kWriteWaitMs : std::min(timeout_ms, hw_exporter::kWriteWaitMs);
  return __real_poll(descriptors, count, timeout_ms);
}
