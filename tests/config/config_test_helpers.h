#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hw_exporter/config/config.h"

namespace hw_exporter::testing {

// Whether LoadConfig rejects the arguments with a ConfigError at where, whose reason contains reason_part.
inline ::testing::AssertionResult FailsWith(const std::vector<std::string>& arguments, const std::string& where,
                                            const std::string& reason_part) {
  try {
    LoadConfig(arguments);
  } catch (const ConfigError& error) {
    if (error.where() == where && std::string(error.what()).find(reason_part) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "got " << error.where() << ": " << error.what();
  }
  return ::testing::AssertionFailure() << "no error";
}

}  // namespace hw_exporter::testing
