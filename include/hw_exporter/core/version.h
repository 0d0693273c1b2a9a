#pragma once

#include <string_view>

namespace hw_exporter {

// The release, e.g. "0.1.0".
std::string_view Version();

// The git revision the binary was built from, or "unknown" when built outside a checkout.
std::string_view Revision();

// The compiler and its version, e.g. "gcc 12.2.0".
std::string_view Compiler();

}  // namespace hw_exporter
