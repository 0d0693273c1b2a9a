#pragma once

namespace hw_exporter {

class ConnectionGate;

// Connections accepted on civetweb's listener at 127.0.0.1:internal_port are exchanged for the gate's ready ones
// (see ConnectionGate), until unregistered.
void RegisterHandoff(int internal_port, ConnectionGate* gate);
void UnregisterHandoff(int internal_port);

}  // namespace hw_exporter
