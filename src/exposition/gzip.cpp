#include "hw_exporter/exposition/gzip.h"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>

namespace hw_exporter {

namespace {

using Compressor = std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)>;

// libdeflate compresses a body held whole in memory in one call: at level 1, in three quarters of zlib's time at its
// level 1, and 7% smaller (BM_Gzip against BM_ZlibGzip, bench/README.md). Its compressor is allocated per call: with
// the allocator as the exporter sets it (TuneMalloc), that is a heap block reused from render to render, not pages
// faulted in anew.
Compressor MakeCompressor(int level) {
  Compressor compressor(libdeflate_alloc_compressor(level), &libdeflate_free_compressor);
  if (!compressor) {
    throw std::runtime_error("gzip: no compressor for level " + std::to_string(level) +
                             " (levels are 0 to 12, or memory ran out)");
  }
  return compressor;
}

// The last body's compressed size against its own, in 1/1024ths, and an eighth more: the next body is compressed
// into that share of its size. A string as large as the bound (a little more than the body) would be filled with
// zeros before the compressor writes a fifth of it, touching five times the pages the response needs; a body that
// does not fit its share is compressed again, into the bound. A ratio rather than a size, so that scrapers asking for
// bodies of different sizes do not make each other compress twice.
std::atomic<std::size_t> room_per_1024{256};

// `compress` writes into the room it is given and returns the bytes written, 0 when they did not fit.
using CompressFunction = std::function<std::size_t(char* out, std::size_t room)>;

std::string CompressIntoShare(std::size_t body_size, std::size_t bound, const CompressFunction& compress) {
  auto compress_into = [&](std::size_t room) {
    std::string compressed(room, '\0');
    compressed.resize(compress(compressed.data(), compressed.size()));
    return compressed;
  };
  constexpr std::size_t kSlack = 256;  // the gzip header and trailer, and the block headers of a small body
  const std::size_t share = body_size / 1024 * room_per_1024.load(std::memory_order_relaxed) + kSlack;
  std::string compressed = compress_into(std::min(share, bound));
  if (compressed.empty()) compressed = compress_into(bound);
  // Never happens: the bound is room enough for any body.
  if (compressed.empty()) throw std::runtime_error("gzip: the body did not fit its bound");
  if (body_size >= 1024) {
    const std::size_t ratio = compressed.size() / (body_size / 1024);
    room_per_1024.store(ratio + ratio / 8 + 1, std::memory_order_relaxed);
  }
  return compressed;
}

void AppendLittleEndian32(std::string& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

// The head of a joined member is small (a few KB): a window and a hash table of 4 KB each hold it, where zlib's
// defaults would allocate and clear a quarter of a megabyte per call.
constexpr int kHeadWindowBits = 12;
constexpr int kHeadMemLevel = 5;

// Appends `head` as raw deflate blocks, none final, ending on a byte boundary (Z_SYNC_FLUSH).
void AppendDeflatedHead(std::string& out, std::string_view head, int level) {
  z_stream stream{};
  if (deflateInit2(&stream, std::min(level, Z_BEST_COMPRESSION), Z_DEFLATED, -kHeadWindowBits, kHeadMemLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("gzip: no zlib stream for level " + std::to_string(level));
  std::unique_ptr<z_stream, int (*)(z_stream*)> ending(&stream, deflateEnd);
  // deflateBound covers a finished stream; a sync flush adds an empty stored block (5 bytes) at most.
  const std::size_t room = deflateBound(&stream, head.size()) + 16;
  const std::size_t start = out.size();
  out.resize(start + room);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(head.data()));
  stream.avail_in = static_cast<uInt>(head.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data() + start);
  stream.avail_out = static_cast<uInt>(room);
  const int result = deflate(&stream, Z_SYNC_FLUSH);
  // Never happens: the room is zlib's own bound.
  if (result != Z_OK || stream.avail_in != 0 || stream.avail_out == 0)
    throw std::runtime_error("gzip: the head did not fit its bound");
  out.resize(start + room - stream.avail_out);
}

}  // namespace

std::string Gzip(std::string_view body, int level) {
  Compressor compressor = MakeCompressor(level);
  return CompressIntoShare(body.size(), libdeflate_gzip_compress_bound(compressor.get(), body.size()),
                           [&](char* out, std::size_t room) {
                             return libdeflate_gzip_compress(compressor.get(), body.data(), body.size(), out, room);
                           });
}

DeflatedTail DeflateTail(std::string_view text, int level) {
  Compressor compressor = MakeCompressor(level);
  DeflatedTail tail;
  tail.stream = CompressIntoShare(text.size(), libdeflate_deflate_compress_bound(compressor.get(), text.size()),
                                  [&](char* out, std::size_t room) {
                                    return libdeflate_deflate_compress(compressor.get(), text.data(), text.size(), out,
                                                                       room);
                                  });
  tail.crc = libdeflate_crc32(0, text.data(), text.size());
  tail.size = text.size();
  return tail;
}

std::string GzipJoined(std::string_view head, const DeflatedTail& tail, int level) {
  // ID1 ID2, deflate, no flags, no modification time, no extra flags, Unix.
  static constexpr char kHeader[] = {'\x1f', '\x8b', '\x08', '\0', '\0', '\0', '\0', '\0', '\0', '\x03'};
  std::string member;
  // A head compresses to about a third of itself, and to a few bytes more than itself at worst.
  member.reserve(sizeof kHeader + head.size() + 64 + tail.stream.size() + 8);
  member.append(kHeader, sizeof kHeader);
  if (!head.empty()) AppendDeflatedHead(member, head, level);
  member.append(tail.stream);
  const auto head_crc = crc32(0, reinterpret_cast<const Bytef*>(head.data()), static_cast<uInt>(head.size()));
  AppendLittleEndian32(member,
                       static_cast<std::uint32_t>(crc32_combine(head_crc, tail.crc, static_cast<z_off_t>(tail.size))));
  AppendLittleEndian32(member, static_cast<std::uint32_t>(head.size() + tail.size));
  return member;
}

}  // namespace hw_exporter
