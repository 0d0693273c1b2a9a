#pragma once

#include <map>
#include <string>

#include "hw_exporter/diagnostics/profiling.h"
#include "hw_exporter/http/http_server.h"

namespace hw_exporter {

// The /debug/pprof/ routes (--web.enable-pprof): an index, profile?seconds=N (a CPU profile), heap (glibc malloc's
// report) and threads (?format=json for JSON).
void AddDebugRoutes(std::map<std::string, Route>& routes, Profiling& profiling);

}  // namespace hw_exporter
