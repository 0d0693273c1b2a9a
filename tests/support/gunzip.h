#pragma once

#include <string>

namespace hw_exporter::testing {

// Inflates one gzip member with zlib, failing the calling test on any error or on bytes after the member.
std::string Gunzip(const std::string& compressed);

}  // namespace hw_exporter::testing
