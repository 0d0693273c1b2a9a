#include "hw_exporter/exposition/gzip.h"

#define ZLIB_CONST
#include <zlib.h>

#include <limits>
#include <stdexcept>

namespace hw_exporter {
namespace {

// 2^15 bytes of window; adding 16 asks zlib for the gzip header and trailer instead of the zlib ones.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemoryLevel = 8;

std::runtime_error ZlibError(const char* step, int code, const z_stream& stream) {
  std::string message = std::string("gzip: ") + step + " failed (" + std::to_string(code) + ")";
  if (stream.msg) message += std::string(": ") + stream.msg;
  return std::runtime_error(message);
}

// Ends the deflate stream on every path out of Gzip().
struct DeflateEnd {
  z_stream& stream;
  ~DeflateEnd() { deflateEnd(&stream); }
};

}  // namespace

std::string Gzip(std::string_view body, int level) {
  z_stream stream{};
  int code = deflateInit2(&stream, level, Z_DEFLATED, kGzipWindowBits, kMemoryLevel, Z_DEFAULT_STRATEGY);
  if (code != Z_OK) throw ZlibError("deflateInit2", code, stream);
  DeflateEnd end{stream};

  // deflateBound() is enough room for one deflate(Z_FINISH) call to finish the whole member.
  uLong bound = deflateBound(&stream, body.size());
  if (body.size() > std::numeric_limits<uInt>::max() || bound > std::numeric_limits<uInt>::max()) {
    throw std::length_error("gzip: body too large");
  }
  std::string compressed(bound, '\0');
  stream.next_in = reinterpret_cast<const Bytef*>(body.data());
  stream.avail_in = static_cast<uInt>(body.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  code = deflate(&stream, Z_FINISH);
  if (code != Z_STREAM_END) throw ZlibError("deflate", code, stream);
  compressed.resize(stream.total_out);
  return compressed;
}

}  // namespace hw_exporter
