#!/usr/bin/env bash
# Checks the files under deploy/ with the tools that will read them: promtool for the scrape config and alert
# rules, systemd-analyze for the unit and its probe drop-in (against the built binary).
set -euo pipefail
deploy=$1 binary=$2
source "$(dirname "$0")/unit_tree.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

promtool check config "$deploy/prometheus.yml"
promtool check rules "$deploy/hw_exporter_alerts.yml" "$deploy/hardware_alerts.yml"

if command -v systemd-analyze >/dev/null; then
  unit_tree "$work" "$deploy" "$binary" probes
  cp "$deploy/hw_exporter.socket" "$work/"
  # verify prints problems and exits non-zero on errors; anything it prints is a problem. The man page named in
  # Documentation= comes with the package (the deploy_package test verifies the installed unit with it).
  output=$(cd "$work" && SYSTEMD_UNIT_PATH="$work:" systemd-analyze verify --man=no ./hw_exporter.service \
    ./hw_exporter.socket 2>&1) || true
  if [ -n "$output" ]; then
    echo "$output"
    exit 1
  fi
  echo "systemd-analyze: hw_exporter.service (with probes.conf) and hw_exporter.socket verified"
else
  echo "systemd-analyze not installed: unit not verified"
fi
