#pragma once

#include <string>

#include "support/test_support.h"

namespace hw_exporter::testing {

// A certificate authority and certificates it signs, made by the openssl command in a directory of their own.
// Keys are EC P-256: made in milliseconds, and never committed.
class TestPki {
 public:
  TestPki();  // makes ca.crt and ca.key; throws std::runtime_error when openssl fails

  const std::string& directory() const { return directory_.path(); }
  std::string ca() const { return directory() + "/ca.crt"; }

  // Makes (or replaces) <name>.crt and <name>.key, signed by the CA, with subject CN=<common_name> and these
  // subject alternative names ("IP:127.0.0.1,DNS:localhost"). Returns directory()/<name>.
  std::string Issue(const std::string& name, const std::string& common_name, const std::string& alt_names) const;

  // Makes <name>.crt and <name>.key, signed by themselves: from no CA anyone trusts.
  std::string SelfSigned(const std::string& name) const;

 private:
  TempDir directory_;
};

}  // namespace hw_exporter::testing
