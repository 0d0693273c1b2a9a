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

// Parses the text of /proc/net/dev, skipping the two header lines; source names the file in error messages. Throws
// ParseError for an interface line without 16 numbers.
std::vector<NetDevStats> ParseNetDev(std::string_view text, std::string_view source);

}  // namespace hw_exporter::procfs
