# Sourced by the deploy tests. unit_tree DIR DEPLOY BINARY [probes]: writes DIR/hw_exporter.service from DEPLOY's,
# with ExecStart running BINARY instead of /usr/bin/hw_exporter (which systemd-analyze wants to exist), and with
# "probes" the probes drop-in beside it as hw_exporter.service.d/probes.conf. systemd-analyze reads the drop-in
# when run in DIR with SYSTEMD_UNIT_PATH="DIR:".
unit_tree() {
  local dir=$1 deploy=$2 binary=$3 with=${4:-}
  sed "s|^ExecStart=/usr/bin/hw_exporter |ExecStart=$binary |" "$deploy/hw_exporter.service" > "$dir/hw_exporter.service"
  if ! grep -q "^ExecStart=$binary " "$dir/hw_exporter.service"; then
    echo "$deploy/hw_exporter.service: no ExecStart=/usr/bin/hw_exporter line" >&2
    return 1
  fi
  if [ "$with" = probes ]; then
    mkdir -p "$dir/hw_exporter.service.d"
    cp "$deploy/hw_exporter-probes.conf" "$dir/hw_exporter.service.d/probes.conf"
  fi
}
