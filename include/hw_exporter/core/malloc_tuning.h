#pragma once

namespace hw_exporter {

// Sets glibc's allocator up for the exporter: two arenas, and up to 1 MiB of freed memory kept rather than given
// back to the kernel (bench/README.md). Call before any thread exists; the daemon and the microbenchmarks do.
void TuneMalloc();

}  // namespace hw_exporter
