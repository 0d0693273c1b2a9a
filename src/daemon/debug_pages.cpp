#include "debug_pages.h"

#include <charconv>
#include <optional>

#include "hw_exporter/core/strings.h"
#include "hw_exporter/diagnostics/cpu_profiler.h"
#include "hw_exporter/diagnostics/heap_report.h"
#include "hw_exporter/diagnostics/thread_report.h"
#include "hw_exporter/http/http_error.h"

namespace hw_exporter {

namespace {

constexpr int kDefaultProfileSeconds = 30;
constexpr int kMaxProfileSeconds = 60;

// The value of the one parameter a page takes, or nullopt when the query does not give it; any other parameter is a
// 400.
std::optional<std::string_view> Parameter(std::string_view query, std::string_view name) {
  std::optional<std::string_view> value;
  for (std::string_view pair : Split(query, '&')) {
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    if (pair.substr(0, equals) != name)
      throw HttpError(400, "unknown parameter \"" + std::string(pair.substr(0, equals)) + "\"; this page takes " +
                               std::string(name));
    value = equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
  }
  return value;
}

int ProfileSeconds(std::string_view query) {
  const std::optional<std::string_view> given = Parameter(query, "seconds");
  if (!given) return kDefaultProfileSeconds;
  const std::string_view text = *given;
  int seconds = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || seconds < 1 || seconds > kMaxProfileSeconds)
    throw HttpError(400, "seconds must be a whole number from 1 to " + std::to_string(kMaxProfileSeconds) + ", got \"" +
                             std::string(text) + "\"");
  return seconds;
}

std::shared_ptr<const Response> ProfileResponse(Profiling& profiling, const Request& request) {
  const int seconds = ProfileSeconds(request.query);
  if (!CpuProfilerAvailable()) return MakeTextResponse(501, "this build has no CPU profiler");
  std::optional<std::string> profile = profiling.Profile(std::chrono::seconds(seconds));
  if (!profile) return MakeTextResponse(409, "a CPU profile is already being taken; try again when it ends");
  return MakeResponse(200,
                      {{"Content-Type", "application/octet-stream"},
                       {"Content-Disposition", "attachment; filename=\"profile\""},
                       {"Cache-Control", "no-store"}},
                      std::move(*profile));
}

std::shared_ptr<const Response> ThreadsResponse(const Request& request) {
  const std::string_view format = Parameter(request.query, "format").value_or("text");
  if (format != "text" && format != "json")
    throw HttpError(400, "format must be text or json, got \"" + std::string(format) + "\"");
  const std::vector<ThreadReport> threads = ListThreads();
  if (format == "json")
    return MakeResponse(200, {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}},
                        ThreadsJson(threads));
  return MakeResponse(200, {{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-store"}},
                      ThreadsText(threads));
}

std::shared_ptr<const Response> HeapResponse() {
  return MakeResponse(200, {{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-store"}},
                      HeapReport());
}

// The handler, with a bad parameter answered by its status and message (the server makes any other exception a
// 500).
template <typename Page>
Handler Answering(Page page) {
  return [page](const Request& request) {
    try {
      return page(request);
    } catch (const HttpError& error) {
      return MakeTextResponse(error.status(), error.what());
    }
  };
}

std::shared_ptr<const Response> IndexResponse() {
  return MakeResponse(
      200, {{"Content-Type", "text/html; charset=utf-8"}},
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>/debug/pprof/</title></head><body>\n"
      "<h1>/debug/pprof/</h1>\n<ul>\n"
      "<li><a href=\"profile?seconds=" +
          std::to_string(kDefaultProfileSeconds) +
          "\">profile?seconds=N</a>: a CPU profile of N seconds (1 to 60), for google-pprof or go tool pprof</li>\n"
          "<li><a href=\"heap\">heap</a>: what glibc's malloc holds</li>\n"
          "<li><a href=\"threads\">threads</a>: every thread, its state, CPU time and what it is doing "
          "(<a href=\"threads?format=json\">JSON</a>)</li>\n</ul>\n</body></html>\n");
}

}  // namespace

void AddDebugRoutes(std::map<std::string, Route>& routes, Profiling& profiling) {
  routes.emplace("/debug/pprof/", Route{[](const Request&) { return IndexResponse(); }});
  routes.emplace("/debug/pprof/profile", Route{Answering([&profiling](const Request& request) {
                   return ProfileResponse(profiling, request);
                 })});
  routes.emplace("/debug/pprof/heap", Route{[](const Request&) { return HeapResponse(); }});
  routes.emplace("/debug/pprof/threads", Route{Answering(ThreadsResponse)});
}

}  // namespace hw_exporter
