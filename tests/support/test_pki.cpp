#include "support/test_pki.h"

#include <stdexcept>

#include "support/run_command.h"

namespace hw_exporter::testing {

namespace {

constexpr const char* kOpenssl = "/usr/bin/openssl";

void Openssl(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), kOpenssl);
  CommandResult result = RunCommand(arguments);
  if (result.exit_code != 0) throw std::runtime_error("openssl failed: " + result.output);
}

}  // namespace

TestPki::TestPki() {
  Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           directory() + "/ca.key", "-out", ca(), "-days", "2", "-subj", "/CN=hw_exporter test CA"});
}

std::string TestPki::Issue(const std::string& name, const std::string& common_name,
                           const std::string& alt_names) const {
  std::string base = directory() + "/" + name;
  std::string extensions = directory_.Write(name + ".ext", "subjectAltName=" + alt_names +
                                                               "\nextendedKeyUsage=serverAuth,clientAuth\n");
  Openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           base + ".key", "-out", base + ".csr", "-subj", "/CN=" + common_name});
  Openssl({"x509", "-req", "-in", base + ".csr", "-CA", ca(), "-CAkey", directory() + "/ca.key", "-CAcreateserial",
           "-days", "2", "-out", base + ".crt", "-extfile", extensions});
  return base;
}

std::string TestPki::SelfSigned(const std::string& name) const {
  std::string base = directory() + "/" + name;
  Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           base + ".key", "-out", base + ".crt", "-days", "2", "-subj", "/CN=" + name, "-addext",
           "subjectAltName=DNS:" + name});
  return base;
}

}  // namespace hw_exporter::testing
