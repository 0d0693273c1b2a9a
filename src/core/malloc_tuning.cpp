#include "hw_exporter/core/malloc_tuning.h"

#include <malloc.h>

namespace hw_exporter {

// glibc gives threads up to eight malloc arenas per core, each keeping what was freed into it, and the exporter
// has a thread per HTTP worker and per family-cache slot: two arenas keep the resident size small and flat, at no
// cost in throughput. And glibc gives the free top of a heap back to the kernel past 128 KiB, and serves blocks from
// 128 KiB on by mmap: a render's body and gzip state, freed at the end of every render, were given back and faulted
// in again at the next, which was 40-75 % of a render's CPU. Up to 1 MiB is kept instead.
void TuneMalloc() {
  constexpr int kKeptBytes = 1 << 20;
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_TRIM_THRESHOLD, kKeptBytes);
  mallopt(M_MMAP_THRESHOLD, kKeptBytes);
}

}  // namespace hw_exporter
