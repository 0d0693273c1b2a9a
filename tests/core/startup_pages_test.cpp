#include "hw_exporter/core/startup_pages.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "support/test_support.h"

namespace hw_exporter {
namespace {

constexpr std::size_t kPages = 64;
constexpr std::size_t kPage = 4096;

// The resident kilobytes of the mapping that starts at `address`, from /proc/self/smaps.
std::size_t ResidentKb(const void* address) {
  std::ostringstream start;
  start << std::hex << reinterpret_cast<std::uintptr_t>(address) << '-';
  std::ifstream smaps("/proc/self/smaps");
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    const std::string first = line.substr(0, line.find(' '));
    if (first.find('-') != std::string::npos && !first.ends_with(':')) {  // a mapping's first line
      inside = line.starts_with(start.str());
    } else if (inside && line.starts_with("Rss:")) {
      return std::stoul(line.substr(4));
    }
  }
  ADD_FAILURE() << "no mapping at " << start.str();
  return 0;
}

// A file of kPages pages, page n filled with the byte 'a' + n % 26, mapped privately with `protection`, every page
// read once so that it is resident.
class MappedFile {
 public:
  MappedFile(const std::string& path, int protection) {
    {
      std::ofstream out(path, std::ios::binary);
      for (std::size_t page = 0; page < kPages; ++page) out << std::string(kPage, Expected(page));
    }
    std::FILE* file = std::fopen(path.c_str(), "r");
    data_ = static_cast<char*>(mmap(nullptr, kPages * kPage, protection, MAP_PRIVATE, fileno(file), 0));
    std::fclose(file);
    EXPECT_NE(data_, MAP_FAILED);
    for (std::size_t page = 0; page < kPages; ++page) sum_ += data_[page * kPage];
  }
  ~MappedFile() { munmap(data_, kPages * kPage); }

  static char Expected(std::size_t page) { return static_cast<char>('a' + page % 26); }

  char* data() const { return data_; }

 private:
  char* data_ = nullptr;
  long sum_ = 0;
};

TEST(StartupPages, AReadOnlyFileMappingIsUnmappedAndReadsBackTheSame) {
  ::hw_exporter::testing::TempDir dir;
  MappedFile mapped(dir.path() + "/code", PROT_READ);
  ASSERT_GE(ResidentKb(mapped.data()), kPages * kPage / 1024);
  EXPECT_GE(ReleaseStartupPages(), kPages * kPage);
  EXPECT_EQ(ResidentKb(mapped.data()), 0u);
  EXPECT_EQ(mapped.data()[5 * kPage + 17], MappedFile::Expected(5));
  EXPECT_LT(ResidentKb(mapped.data()), kPages * kPage / 1024) << "what is read comes back, not the whole mapping";
}

// A mapping the process wrote to before making it read-only, as the loader does with the constants it relocates:
// its pages are the process's own, and would be lost.
TEST(StartupPages, AMappingWrittenToIsLeftAlone) {
  ::hw_exporter::testing::TempDir dir;
  MappedFile mapped(dir.path() + "/relocated", PROT_READ | PROT_WRITE);
  mapped.data()[3 * kPage] = '!';
  ASSERT_EQ(mprotect(mapped.data(), kPages * kPage, PROT_READ), 0);
  const std::size_t resident = ResidentKb(mapped.data());
  ReleaseStartupPages();
  EXPECT_EQ(mapped.data()[3 * kPage], '!');
  EXPECT_EQ(ResidentKb(mapped.data()), resident);
}

TEST(StartupPages, TheProcessRunsOnAfterward) {
  ReleaseStartupPages();
  std::ostringstream out;
  out << 42 << ' ' << 2.5;
  EXPECT_EQ(out.str(), "42 2.5");
}

}  // namespace
}  // namespace hw_exporter
