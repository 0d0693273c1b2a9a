#include "hw_exporter/core/version.h"

namespace hw_exporter {

std::string_view Version() { return HW_EXPORTER_VERSION; }

std::string_view Revision() { return HW_EXPORTER_REVISION; }

std::string_view Compiler() {
#if defined(__clang__)
  // Clang's __VERSION__ already names it ("Clang 14.0.6", "Debian Clang ...").
  return __VERSION__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

}  // namespace hw_exporter
