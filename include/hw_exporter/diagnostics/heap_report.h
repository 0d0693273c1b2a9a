#pragma once

#include <string>

namespace hw_exporter {

// What glibc's malloc holds, as text: mallinfo2(3)'s totals, then malloc_info(3)'s XML per arena. The exporter
// keeps glibc's allocator (bench/README.md measures tcmalloc against it), which keeps no record of call sites: this
// is what stands in for a heap profile.
std::string HeapReport();

}  // namespace hw_exporter
