#pragma once

#include "hw_exporter/core/duration.h"

namespace hw_exporter {

// Connects to the address `listener` listens on (over loopback when that is every address), sends a request for
// /-/healthy, over TLS when `tls`, and reports whether the server sent anything back within about `max_wait` per
// step. Any answer counts, a 401 or a TLS alert refusing the handshake included: it proves that the gate handed
// the connection over and that a worker took it.
bool ServerAnswers(int listener, bool tls, Duration max_wait);

}  // namespace hw_exporter
