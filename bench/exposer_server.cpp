// The prometheus-cpp peer: its own Exposer (pull library, Debian's build) serving a Registry that holds the same
// series as a hw_exporter body, read from a file: same names, HELP, labels and values, so both serve about the
// same bytes. Counters and gauges become prometheus-cpp counters and gauges; untyped series become gauges (the
// library has no untyped metric). The Exposer gets the options hw_exporter gives civetweb.
//
// usage: hw_exporter_bench_exposer <port> <text-format-body-file>
// Runs until SIGTERM or SIGINT.
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <signal.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "hw_exporter/core/daemon_signals.h"

namespace {

// Undoes the text format's escapes (\\, \n, and \" in label values).
std::string Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      ++i;
      out.push_back(text[i] == 'n' ? '\n' : text[i]);
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Reads `{name="value",...}` starting at text[at] (just after the '{'); leaves `at` after the '}'.
std::map<std::string, std::string> ReadLabels(std::string_view text, size_t& at) {
  std::map<std::string, std::string> labels;
  while (at < text.size() && text[at] != '}') {
    size_t equals = text.find('=', at);
    std::string name(text.substr(at, equals - at));
    size_t start = equals + 2;  // after ="
    size_t end = start;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
    labels.emplace(std::move(name), Unescape(text.substr(start, end - start)));
    at = end + 1;
    if (at < text.size() && text[at] == ',') ++at;
  }
  return labels;
}

double ReadValue(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// Registers every family of a body produced by hw_exporter's serializer (no timestamps, one HELP and TYPE per
// family before its samples). Returns the number of series.
size_t RegisterBody(prometheus::Registry& registry, std::istream& body) {
  std::map<std::string, std::string> help;
  std::map<std::string, prometheus::Family<prometheus::Counter>*> counters;
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> gauges;
  size_t series = 0;
  std::string line;
  while (std::getline(body, line)) {
    std::string_view text = line;
    if (text.starts_with("# HELP ")) {
      size_t space = text.find(' ', 7);
      help[std::string(text.substr(7, space - 7))] = Unescape(text.substr(space + 1));
    } else if (text.starts_with("# TYPE ")) {
      size_t space = text.find(' ', 7);
      std::string name(text.substr(7, space - 7));
      if (text.substr(space + 1) == "counter")
        counters[name] = &prometheus::BuildCounter().Name(name).Help(help[name]).Register(registry);
      else gauges[name] = &prometheus::BuildGauge().Name(name).Help(help[name]).Register(registry);
    } else if (!text.empty() && text.front() != '#') {
      size_t name_end = text.find_first_of("{ ");
      std::string name(text.substr(0, name_end));
      size_t at = name_end;
      std::map<std::string, std::string> labels;
      if (text[at] == '{') labels = ReadLabels(text, ++at);
      double value = ReadValue(text.substr(at + 1));
      if (auto counter = counters.find(name); counter != counters.end()) counter->second->Add(labels).Increment(value);
      else gauges.at(name)->Add(labels).Set(value);
      ++series;
    }
  }
  return series;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " <port> <text-format-body-file>\n";
    return 2;
  }
  sigset_t stop_signals = hw_exporter::BlockDaemonSignals();

  auto registry = std::make_shared<prometheus::Registry>();
  std::ifstream body(argv[2]);
  if (!body) {
    std::cerr << "cannot read " << argv[2] << "\n";
    return 1;
  }
  size_t series = 0;
  try {
    series = RegisterBody(*registry, body);
  } catch (const std::exception& error) {
    std::cerr << argv[2] << ": " << error.what() << "\n";
    return 1;
  }
  std::cerr << "serving " << series << " series\n";

  prometheus::Exposer exposer({"listening_ports", std::string("127.0.0.1:") + argv[1], "num_threads", "16",
                               "tcp_nodelay", "1", "enable_keep_alive", "yes", "keep_alive_timeout_ms", "30000",
                               "request_timeout_ms", "10000"});
  exposer.RegisterCollectable(registry);

  hw_exporter::WaitForSignal(stop_signals);
  return 0;
}
