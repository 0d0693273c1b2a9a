#pragma once

// What /hardware shows, before it is HTML: sections of rows, each row judged ok, warning or critical against the
// limits its own series carry (a sensor's max and crit) or the few fixed ones listed in README.md.

#include <optional>
#include <string>
#include <vector>

#include "hw_exporter/cache/family_cache.h"

namespace hw_exporter {

// Ordered: a worse state compares greater, so that sorting by it puts bad news first.
enum class Severity { kOk, kWarning, kCritical };

// One sample shown on the page, with what names it in /metrics: `series` and `value` are the text format's
// (TextSample), `number` the value itself, `text` the value written for people ("47.0 °C").
struct Reading {
  std::string series;
  std::string value;
  double number = 0;
  std::string text;
};

// One cell: a reading, or plain text (a status word, a model name) when there is none.
struct Field {
  std::optional<Reading> reading;
  std::string text;
};

struct Row {
  Severity severity = Severity::kOk;
  std::string subject;        // what the row is about: "coretemp Core 0", "/dev/sda", "cpu"
  std::vector<Field> fields;  // one per column of its section after the subject
  std::string finding;        // why it is not ok, for the row and the summary; empty when ok
};

struct Section {
  std::string id;                    // the HTML anchor
  std::string title;                 // "Temperatures"
  std::vector<std::string> columns;  // the subject's heading first
  std::vector<Row> rows;             // worst first, then in the order of the series
  std::string note;                  // a line under the table: what it leaves out
};

struct HardwareReport {
  std::vector<Section> sections;
};

// The report of one snapshot: its families merged as /metrics merges them, with the hw_exporter_collector_*
// metrics of the same snapshot. Rows are sorted worst first within each section.
HardwareReport BuildHardwareReport(const FamilySnapshot& snapshot);

}  // namespace hw_exporter
