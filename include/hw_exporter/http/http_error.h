#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace hw_exporter {

// A request the exporter refuses, with the status to answer (400, 406 ...) and a message for the client.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// What the client sent, quoted for an error message and cut short whatever it sent.
inline std::string QuotedForClient(std::string_view text) {
  constexpr size_t kShown = 64;
  return "\"" + std::string(text.substr(0, kShown)) + (text.size() > kShown ? "...\"" : "\"");
}

}  // namespace hw_exporter
