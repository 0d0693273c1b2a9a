#pragma once

#include <stdexcept>
#include <string>

namespace hw_exporter {

// A request the exporter refuses, with the status to answer (400, 406 ...) and a message for the client.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

}  // namespace hw_exporter
