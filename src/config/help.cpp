#include "hw_exporter/config/config.h"
#include "hw_exporter/core/strings.h"
#include "settings.h"

namespace hw_exporter {

using namespace config_internal;

namespace {

constexpr size_t kHelpColumn = 44;
constexpr size_t kLineWidth = 118;

// Appends words, wrapping before kLineWidth with continuation lines indented to kHelpColumn.
void AppendWrapped(std::string& text, std::string_view help) {
  size_t column = kHelpColumn;
  bool first = true;
  for (std::string_view word : SplitFields(help)) {
    if (!first && column + 1 + word.size() > kLineWidth) {
      text += "\n" + std::string(kHelpColumn, ' ');
      column = kHelpColumn;
    } else if (!first) {
      text += ' ';
      ++column;
    }
    text += word;
    column += word.size();
    first = false;
  }
  text += '\n';
}

// "  -h, --help" or "      --flag", as kingpin lays them out; the help starts in one column.
void AppendLine(std::string& text, const std::string& flags, std::string_view help) {
  const std::string left = (StartsWith(flags, "--") ? "      " : "  ") + flags;
  text += left;
  if (left.size() + 2 <= kHelpColumn) {  // at least two blanks between a flag and its help
    text.append(kHelpColumn - left.size(), ' ');
  } else {
    text += "\n" + std::string(kHelpColumn, ' ');
  }
  AppendWrapped(text, help);
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
  const Settings settings;
  std::string group = "General";
  for (const Setting& setting : settings.all()) {
    if (setting.group != group) {
      group = setting.group;
      text += "\n" + group + ":\n";
    }
    AppendSetting(text, setting, defaults);
  }
  return text;
}

}  // namespace hw_exporter
