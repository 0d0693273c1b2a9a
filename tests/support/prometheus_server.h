#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "support/child_process.h"
#include "support/test_support.h"

namespace hw_exporter::testing {

inline constexpr const char* kPrometheus = "/usr/bin/prometheus";

// The real Prometheus server on a free loopback port, scraping every second what `scrape_configs` (the YAML list
// under that key, indented by two spaces) names, with its data in a directory of its own.
class PrometheusServer {
 public:
  explicit PrometheusServer(const std::string& scrape_configs);

  // An instant query through the HTTP API: the result's samples, or an empty array (not up yet, or no data).
  nlohmann::json Query(const std::string& query) const;

  // Queries until the result is not empty or `seconds` pass; returns the last result.
  nlohmann::json AwaitQuery(const std::string& query, int seconds = 60) const;

  ChildProcess& process() { return *process_; }

 private:
  TempDir directory_;
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace hw_exporter::testing
