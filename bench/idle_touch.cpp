// What this machine charges a process that wakes after a pause: the CPU time to touch memory pages again, and to
// make a system call, after it slept for a given time, against the same work done without a pause. An exporter
// scraped every 15 s does all its work in such wakes, so on a machine where a wake is dear (a virtual machine
// whose page tables or TLB go cold while a vCPU idles) its cost per day is set by how many pages and system calls
// each wake touches, not by how fast its code runs hot.
//
//   hw_exporter_bench_idle_touch [pages (500)] [rounds (20)]
//
// Prints, for each pause, the mean CPU time (CLOCK_THREAD_CPUTIME_ID) of one wake: reading one byte of each of
// `pages` 4 KiB pages, the same on pages of a transparent huge page where the kernel gives one, and `pages`
// pread calls of /proc/self/stat.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <thread>

namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kHugePage = 2 << 20;

double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// The mean CPU seconds of `work` run `rounds` times, each after sleeping `pause`.
double MeanAfterPause(std::chrono::milliseconds pause, int rounds, const std::function<void()>& work) {
  double total = 0;
  for (int round = 0; round < rounds; ++round) {
    std::this_thread::sleep_for(pause);
    const double started = ThreadCpuSeconds();
    work();
    total += ThreadCpuSeconds() - started;
  }
  return total / rounds;
}

// `pages` pages of anonymous memory, written once so that they are resident; on huge pages if asked and given.
volatile char* TouchedPages(std::size_t pages, bool huge) {
  const std::size_t bytes = pages * kPage + kHugePage;
  void* mapped = mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) {
    std::perror("mmap");
    std::exit(1);
  }
  // Aligned to a huge page, so that the kernel can back the range with huge pages when asked.
  auto* start = reinterpret_cast<char*>((reinterpret_cast<std::uintptr_t>(mapped) + kHugePage - 1) & ~(kHugePage - 1));
  madvise(start, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  for (std::size_t page = 0; page < pages; ++page) start[page * kPage] = 1;
  return start;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t pages = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 500;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 20;
  volatile char* small = TouchedPages(pages, false);
  volatile char* huge = TouchedPages(pages, true);
  const int stat = open("/proc/self/stat", O_RDONLY);
  if (stat < 0) {
    std::perror("/proc/self/stat");
    return 1;
  }
  char buffer[512];
  auto read_pages = [&](volatile char* memory) {
    return [=] {
      long sum = 0;
      for (std::size_t page = 0; page < pages; ++page) sum += memory[page * kPage];
      (void)sum;
    };
  };
  auto system_calls = [&] {
    for (std::size_t call = 0; call < pages; ++call)
      if (pread(stat, buffer, sizeof buffer, 0) < 0) std::perror("pread");
  };
  std::printf("%zu pages (4 KiB), %d rounds; CPU microseconds per wake, and per page or call\n", pages, rounds);
  std::printf("| pause | 4 KiB pages | per page | on huge pages | per page | pread calls | per call |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  for (int pause_ms : {0, 10, 100, 1000, 5000}) {
    const std::chrono::milliseconds pause(pause_ms);
    const int these_rounds = pause_ms >= 1000 ? std::max(3, rounds / 4) : rounds;
    const double small_s = MeanAfterPause(pause, these_rounds, read_pages(small));
    const double huge_s = MeanAfterPause(pause, these_rounds, read_pages(huge));
    const double calls_s = MeanAfterPause(pause, these_rounds, system_calls);
    const double n = static_cast<double>(pages);
    std::printf("| %d ms | %.0f | %.3f | %.0f | %.3f | %.0f | %.3f |\n", pause_ms, small_s * 1e6, small_s * 1e6 / n,
                huge_s * 1e6, huge_s * 1e6 / n, calls_s * 1e6, calls_s * 1e6 / n);
  }
  return 0;
}
