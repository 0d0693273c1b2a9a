#include "hw_exporter/exposition/gzip.h"

#include <libdeflate.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <stdexcept>

namespace hw_exporter {

namespace {

// The last body's compressed size against its own, in 1/1024ths, and an eighth more: the next body is compressed
// into that share of its size. A string as large as the bound (a little more than the body) would be filled with
// zeros before the compressor writes a fifth of it, touching five times the pages the response needs; a body that
// does not fit its share is compressed again, into the bound. A ratio rather than a size, so that scrapers asking for
// bodies of different sizes do not make each other compress twice.
std::atomic<std::size_t> room_per_1024{256};

}  // namespace

// libdeflate compresses a body held whole in memory in one call: at level 1, in three quarters of zlib's time at its
// level 1, and 7% smaller (BM_Gzip against BM_ZlibGzip, bench/README.md). Its compressor is allocated per call: with
// the allocator as the exporter sets it (TuneMalloc), that is a heap block reused from render to render, not pages
// faulted in anew.
std::string Gzip(std::string_view body, int level) {
  std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)>
      compressor(libdeflate_alloc_compressor(level), &libdeflate_free_compressor);
  if (!compressor) {
    throw std::runtime_error("gzip: no compressor for level " + std::to_string(level) +
                             " (levels are 0 to 12, or memory ran out)");
  }
  const std::size_t bound = libdeflate_gzip_compress_bound(compressor.get(), body.size());
  // Empty when the body did not fit: libdeflate writes nothing then, and a gzip member is never empty.
  auto compress_into = [&](std::size_t room) {
    std::string compressed(room, '\0');
    compressed.resize(libdeflate_gzip_compress(compressor.get(), body.data(), body.size(), compressed.data(),
                                               compressed.size()));
    return compressed;
  };
  constexpr std::size_t kSlack = 256;  // the gzip header and trailer, and the block headers of a small body
  const std::size_t share = body.size() / 1024 * room_per_1024.load(std::memory_order_relaxed) + kSlack;
  std::string compressed = compress_into(std::min(share, bound));
  if (compressed.empty()) compressed = compress_into(bound);
  // Never happens: the bound is room enough for any body.
  if (compressed.empty()) throw std::runtime_error("gzip: the body did not fit its bound");
  if (body.size() >= 1024) {
    const std::size_t ratio = compressed.size() / (body.size() / 1024);
    room_per_1024.store(ratio + ratio / 8 + 1, std::memory_order_relaxed);
  }
  return compressed;
}

}  // namespace hw_exporter
