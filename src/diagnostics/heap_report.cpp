#include "hw_exporter/diagnostics/heap_report.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

namespace hw_exporter {

namespace {

std::string Totals() {
  const struct mallinfo2 info = mallinfo2();
  auto line = [](const char* name, std::size_t value) {
    return std::string(name) + " " + std::to_string(value) + "\n";
  };
  return "# glibc malloc, mallinfo2(3): bytes\n" + line("arena_bytes", info.arena) +
         line("mmapped_bytes", info.hblkhd) + line("in_use_bytes", info.uordblks) + line("free_bytes", info.fordblks) +
         line("releasable_bytes", info.keepcost) + line("free_chunks", info.ordblks) +
         line("mmapped_chunks", info.hblks);
}

std::string MallocInfoXml() {
  char* buffer = nullptr;
  std::size_t size = 0;
  FILE* stream = open_memstream(&buffer, &size);
  if (!stream) return "";
  malloc_info(0, stream);
  fclose(stream);
  std::string xml(buffer, size);
  free(buffer);
  return xml;
}

}  // namespace

std::string HeapReport() { return Totals() + "\n# glibc malloc, malloc_info(3)\n" + MallocInfoXml(); }

}  // namespace hw_exporter
