#include "support/prometheus_server.h"

#include <cctype>
#include <cstdio>
#include <thread>

#include "support/http_get.h"

namespace hw_exporter::testing {

PrometheusServer::PrometheusServer(const std::string& scrape_configs) : port_(FreeLoopbackPort()) {
  std::string config = directory_.Write("prometheus.yml",
                                        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n" +
                                            scrape_configs);
  process_ =
      std::make_unique<ChildProcess>(std::vector<std::string>{kPrometheus, "--config.file=" + config,
                                                              "--storage.tsdb.path=" + directory_.path() + "/data",
                                                              "--web.listen-address=127.0.0.1:" +
                                                                  std::to_string(port_)},
                                     directory_.path() + "/prometheus.log");
}

nlohmann::json PrometheusServer::Query(const std::string& query) const {
  std::string encoded;
  for (char c : query) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      encoded += c;
    } else {
      char escape[4];
      std::snprintf(escape, sizeof escape, "%%%02X", static_cast<unsigned char>(c));
      encoded += escape;
    }
  }
  try {
    HttpResponse response = HttpGet("127.0.0.1", port_, "/api/v1/query?query=" + encoded, {}, std::chrono::seconds(5));
    if (response.status == 200) return nlohmann::json::parse(response.body)["data"]["result"];
  } catch (const std::exception&) {
    // not listening yet
  }
  return nlohmann::json::array();
}

nlohmann::json PrometheusServer::AwaitQuery(const std::string& query, int seconds) const {
  nlohmann::json result = nlohmann::json::array();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline && !process_->Exited()) {
    result = Query(query);
    if (!result.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return result;
}

}  // namespace hw_exporter::testing
