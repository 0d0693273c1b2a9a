#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hw_exporter::procfs {

// One interface's line of /proc/net/dev.
struct NetDevStats {
  std::string device;
  // bytes, packets, errs, drop, fifo, frame, compressed, multicast
  std::array<uint64_t, 8> receive{};
  // bytes, packets, errs, drop, fifo, colls, carrier, compressed
  std::array<uint64_t, 8> transmit{};
};

// Skips the two header lines; throws ParseError for an interface line without 16 numbers.
std::vector<NetDevStats> ParseNetDev(std::string_view text);

}  // namespace hw_exporter::procfs
