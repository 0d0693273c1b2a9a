#include "hw_exporter/procfs/cpuinfo.h"

#include <cstddef>

#include "hw_exporter/core/parse_error.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter::procfs {

namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  for (std::string_view word : SplitFields(text)) words.emplace_back(word);
  return words;
}

// Where the value of a "<key> : <value>" line goes, or nullptr for keys that are not kept.
std::string* TextSlot(std::string_view key, CpuInfo& cpu) {
  if (key == "vendor_id" || key == "vendor") return &cpu.vendor_id;
  if (key == "cpu family") return &cpu.cpu_family;
  if (key == "model") return &cpu.model;
  if (key == "model name") return &cpu.model_name;
  if (key == "stepping") return &cpu.stepping;
  if (key == "microcode") return &cpu.microcode;
  if (key == "cache size") return &cpu.cache_size;
  if (key == "physical id") return &cpu.physical_id;
  if (key == "core id") return &cpu.core_id;
  return nullptr;
}

void SetField(std::string_view key, std::string_view value, CpuInfo& cpu) {
  if (key == "flags") {
    cpu.flags = Words(value);
  } else if (key == "bugs") {
    cpu.bugs = Words(value);
  } else if (std::string* slot = TextSlot(key, cpu)) {
    *slot = value;
  }
}

}  // namespace

std::vector<CpuInfo> ParseCpuInfo(std::string_view text, std::string_view source) {
  std::vector<CpuInfo> cpus;
  auto lines = SplitLines(text);
  for (size_t index = 0; index < lines.size(); ++index) {
    const size_t line_number = index + 1;
    std::string_view line = lines[index];
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // blank lines between blocks
    std::string_view key = Trim(line.substr(0, colon));
    // Leading blanks only: node_exporter keeps a value's trailing blanks, and so do we.
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    if (key == "processor") {
      auto number = RequireUnsigned(value, "a processor number", source, line_number);
      cpus.emplace_back().processor = static_cast<unsigned>(number);
    } else if (!cpus.empty()) {
      SetField(key, value, cpus.back());
    }
  }
  return cpus;
}

}  // namespace hw_exporter::procfs
