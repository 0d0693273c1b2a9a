#!/usr/bin/env bash
# Holds deploy/hw_exporter.service to an overall exposure of at most 2.0 in `systemd-analyze security`, and prints
# the exposure of the unit with the probes drop-in, which grants devices and capabilities and so may score worse.
set -euo pipefail
deploy=$1 binary=$2
limit=2.0
source "$(dirname "$0")/unit_tree.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/unit" "$work/probes"
unit_tree "$work/unit" "$deploy" "$binary"
unit_tree "$work/probes" "$deploy" "$binary" probes

# The number of the "Overall exposure level for hw_exporter.service: 1.2 OK" line, with every directive's rating
# shown when the number is over the limit or missing.
exposure() {
  local dir=$1 report
  report=$(cd "$dir" && SYSTEMD_UNIT_PATH="$dir:" systemd-analyze security --offline=true ./hw_exporter.service 2>&1) \
    || true
  local number
  number=$(sed -n 's/.*Overall exposure level for hw_exporter\.service: \([0-9.]*\).*/\1/p' <<<"$report")
  if [ -z "$number" ]; then
    echo "$report" >&2
    echo "no overall exposure level in systemd-analyze's report" >&2
    return 1
  fi
  echo "$number"
}

unit=$(exposure "$work/unit")
probes=$(exposure "$work/probes")
echo "exposure: hw_exporter.service $unit, with the probes drop-in $probes (limit for the unit: $limit)"
if awk -v value="$unit" -v limit="$limit" 'BEGIN { exit !(value > limit) }'; then
  (cd "$work/unit" && SYSTEMD_UNIT_PATH="$work/unit:" systemd-analyze security --offline=true ./hw_exporter.service \
    2>&1 | grep -v '^  *✓') || true
  echo "hw_exporter.service: exposure $unit is above $limit" >&2
  exit 1
fi
