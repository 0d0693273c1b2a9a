#pragma once

namespace hw_exporter {

// Marks the calling thread as one of civetweb's workers, whose waits to write to a client last at most a second
// (see civetweb_waits.cpp).
void MarkCivetwebWorker();

}  // namespace hw_exporter
