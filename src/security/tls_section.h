#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/security/web_config_file.h"

namespace hw_exporter::security_internal {

// tls_server_config, validated, with its files (relative to directory) read; nullopt when it turns TLS off, as
// exporter-toolkit decides that: none of the certificate, key, client CA or client auth type is set. Each file
// read is added to sources. Throws KeyError.
std::optional<TlsServerConfig> ReadTlsSection(const YAML::Node& node, const std::string& directory,
                                              std::vector<std::string>& sources);

}  // namespace hw_exporter::security_internal
