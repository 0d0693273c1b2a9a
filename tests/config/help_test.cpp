#include <gtest/gtest.h>

#include "hw_exporter/collectors/collector_table.h"
#include "hw_exporter/config/config.h"
#include "hw_exporter/core/duration.h"
#include "hw_exporter/core/strings.h"

namespace hw_exporter {
namespace {

// Help lines are wrapped: compare with every run of blanks as one space.
std::string Words(std::string_view text) {
  std::string words;
  for (std::string_view word : SplitFields(text)) words += (words.empty() ? "" : " ") + std::string(word);
  return words;
}

bool Mentions(const std::string& text, const std::string& part) {
  return Words(text).find(Words(part)) != std::string::npos;
}

TEST(HelpText, MentionsEveryGlobalFlagWithItsDefault) {
  const std::string help = HelpText();
  for (const char* flag : {"-h, --help",
                           "--version",
                           "--config.file=",
                           "--web.listen-address=:9877 ...",
                           "--web.telemetry-path=\"/metrics\"",
                           "--web.threads=16",
                           "--web.scrape-timeout=10s",
                           "--web.timeout-offset=500ms",
                           "--web.keep-alive-timeout=30s",
                           "--web.request-timeout=10s",
                           "--log.level=info",
                           "--log.format=logfmt",
                           "--path.procfs=\"/proc\"",
                           "--path.sysfs=\"/sys\"",
                           "--path.rootfs=\"/\"",
                           "--path.udev.data=\"/run/udev/data\"",
                           "--[no-]cache.enabled",
                           "--cache.ttl=5s",
                           "--cache.max-entries=256",
                           "--cache.max-bytes=32MiB",
                           "--probe.max-processes=2",
                           "--[no-]collector.disable-defaults"}) {
    EXPECT_TRUE(Mentions(help, flag)) << flag << "\n" << help;
  }
}

TEST(HelpText, DescribesEveryCollectorAndItsOptions) {
  const std::string help = HelpText();
  for (const CollectorInfo& info : CollectorTable()) {
    const std::string flag = "--collector." + info.name;
    EXPECT_NE(help.find("\nCollector " + info.name + ":\n"), std::string::npos) << info.name;
    EXPECT_TRUE(Mentions(help, "--[no-]collector." + info.name + " ")) << info.name;
    EXPECT_TRUE(Mentions(help, info.help)) << info.name;
    EXPECT_TRUE(Mentions(help, flag + ".ttl=" + FormatDuration(info.default_ttl))) << info.name;
    EXPECT_TRUE(Mentions(help, flag + ".timeout=" + FormatDuration(info.default_timeout))) << info.name;
    EXPECT_TRUE(Mentions(help, flag + ".max-staleness=" + FormatDuration(4 * info.default_ttl))) << info.name;
    const std::string enabled = info.enabled_by_default ? "true" : "false";
    EXPECT_TRUE(Mentions(help, info.help + " (default: " + enabled + ")")) << info.name;
    for (const CollectorOption& option : info.options) {
      EXPECT_TRUE(Mentions(help, flag + "." + option.name + "=")) << info.name << " " << option.name;
      EXPECT_TRUE(Mentions(help, option.help)) << info.name << " " << option.name;
    }
  }
}

TEST(HelpText, LinesAreWrapped) {
  const std::string help = HelpText();
  EXPECT_EQ(help.back(), '\n');
  EXPECT_EQ(help.find('\t'), std::string::npos);
  EXPECT_EQ(help.find("\n\n\n"), std::string::npos);
  // Only a default value longer than the line (a long regexp) may overflow it.
  for (std::string_view line : Split(help, '\n')) {
    if (line.find("=\"") == std::string_view::npos) {
      EXPECT_LE(line.size(), 120u) << line;
    }
  }
}

}  // namespace
}  // namespace hw_exporter
