#pragma once

#include <string>
#include <vector>

namespace hw_exporter {

// Non-blocking listening sockets for the configured addresses: ":port" binds 0.0.0.0 and, where the host has IPv6,
// [::] (IPv6 only, so that IPv4 peers keep their own addresses); "host:port" binds every address the host resolves
// to; "[v6]:port" that address. Throws HttpStartError naming the address and the reason.
std::vector<int> BindListeners(const std::vector<std::string>& addresses);

// Sockets that listen already (systemd's), made non-blocking as BindListeners' are; the caller owns them from now.
std::vector<int> AdoptListeners(const std::vector<int>& sockets);

// The port a socket is bound to.
int LocalPort(int socket);

}  // namespace hw_exporter
