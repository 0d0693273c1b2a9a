#include "accept_handoff.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <mutex>

#include "connection_gate.h"
#include "listeners.h"

namespace hw_exporter {

namespace {

std::mutex registry_mutex;
std::map<int, ConnectionGate*> registry;  // by civetweb's internal port

}  // namespace

void RegisterHandoff(int internal_port, ConnectionGate* gate) {
  std::lock_guard lock(registry_mutex);
  registry[internal_port] = gate;
}

void UnregisterHandoff(int internal_port) {
  std::lock_guard lock(registry_mutex);
  registry.erase(internal_port);
}

}  // namespace hw_exporter

// The executable is linked with --wrap=accept, and civetweb is its only caller of accept: this is civetweb's
// accept. A connection to a registered internal port is the gate's signal that a connection is ready; it is closed
// and the ready one returned in its place (none is ready when someone else connected: then civetweb sees a failed
// accept, which it ignores). Connections to other listeners are returned as accepted.
extern "C" int __real_accept(int listener, sockaddr* peer, socklen_t* length);

extern "C" int __wrap_accept(int listener, sockaddr* peer, socklen_t* length) {
  int accepted = __real_accept(listener, peer, length);
  if (accepted < 0) return accepted;
  std::lock_guard lock(hw_exporter::registry_mutex);
  auto gate = hw_exporter::registry.find(hw_exporter::LocalPort(listener));
  if (gate == hw_exporter::registry.end()) return accepted;
  int ready = gate->second->TakeReady(peer, length);
  close(accepted);
  if (ready < 0) errno = EAGAIN;  // a stray connection to the internal port: civetweb polls again
  return ready;
}
