#!/usr/bin/env bash
# Checks the files under deploy/ with the tools that will read them: promtool for the scrape config and alert
# rules, systemd-analyze for the unit and its probe drop-in (against the built binary).
set -euo pipefail
deploy=$1 binary=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

promtool check config "$deploy/prometheus.yml"
promtool check rules "$deploy/hw_exporter_alerts.yml"

if command -v systemd-analyze >/dev/null; then
  sed "s|/usr/local/bin/hw_exporter|$binary|" "$deploy/hw_exporter.service" > "$work/hw_exporter.service"
  mkdir "$work/hw_exporter.service.d"
  cp "$deploy/hw_exporter-probes.conf" "$work/hw_exporter.service.d/probes.conf"
  # verify prints problems and exits non-zero on errors; anything it prints is a problem.
  # The unit path makes systemd read the drop-in beside the unit.
  output=$(cd "$work" && SYSTEMD_UNIT_PATH="$work:" systemd-analyze verify ./hw_exporter.service 2>&1) || true
  if [ -n "$output" ]; then
    echo "$output"
    exit 1
  fi
  echo "systemd-analyze: hw_exporter.service (with probes.conf) verified"
else
  echo "systemd-analyze not installed: unit not verified"
fi
