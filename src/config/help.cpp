#include "hw_exporter/config.h"
#include "settings.h"

namespace hw_exporter {

using namespace config_internal;

namespace {

constexpr size_t kHelpColumn = 42;

void AppendLine(std::string& text, const std::string& flags, const std::string& help) {
  text += "  " + flags;
  if (flags.size() + 2 < kHelpColumn) {
    text.append(kHelpColumn - 2 - flags.size(), ' ');
  } else {
    text += "\n" + std::string(kHelpColumn, ' ');
  }
  text += help + "\n";
}

void AppendSetting(std::string& text, const Setting& setting, const Draft& defaults) {
  if (setting.is_bool) {
    AppendLine(text, "--[no-]" + setting.flag, setting.help + " (default: " + setting.show(defaults) + ")");
    return;
  }
  AppendLine(text, "--" + setting.flag + "=" + setting.show(defaults) + (setting.repeatable ? " ..." : ""),
             setting.help);
}

}  // namespace

std::string HelpText() {
  Draft defaults = DefaultDraft();
  Finish(defaults);
  std::string text =
      "usage: hw_exporter [<flags>]\n"
      "\n"
      "Prometheus exporter for a Linux host's hardware. Each collector refreshes in the background on its own\n"
      "TTL; scrapes are answered from that cache. Every flag except --config.file, --help and --version can also\n"
      "be set in the JSON config file (see config/README.md); flags override the file.\n"
      "\n"
      "General:\n";
  AppendLine(text, "-h, --help", "Show this help and exit.");
  AppendLine(text, "--version", "Show the version and exit.");
  std::string group = "General";
  for (const Setting& setting : Settings().all()) {
    if (setting.group != group) {
      group = setting.group;
      text += "\n" + group + ":\n";
    }
    AppendSetting(text, setting, defaults);
  }
  return text;
}

}  // namespace hw_exporter
