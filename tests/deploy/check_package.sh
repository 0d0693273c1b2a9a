#!/usr/bin/env bash
# Builds the Debian package with scripts/package.sh, holds it to lintian (no error, no warning), installs it, checks
# what it installed, and purges it, which must leave nothing of it behind. Purges on every way out, so that the
# machine is left as found; skips (77) where it cannot install packages or the package is installed already.
set -euo pipefail
root=$1
skip=77

if [ "$(id -u)" -ne 0 ]; then
  echo "installing a package needs root: skipped"
  exit $skip
fi
if dpkg-query -W -f='${Status}' hw-exporter 2>/dev/null | grep -q installed; then
  echo "hw-exporter is installed on this machine already, and this test would remove it: skipped"
  exit $skip
fi

work=$(mktemp -d)
installed=no
cleanup() {
  if [ "$installed" = yes ]; then dpkg --purge hw-exporter >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

start=$SECONDS
deb=$("$root/scripts/package.sh" "$work/out" | tail -n 1)
echo "built $(basename "$deb") in $((SECONDS - start)) s"

lintian_output=$(lintian --display-info "$deb" 2>&1) || true
echo "lintian:${lintian_output:+$'\n'}$lintian_output"
if grep -qE '^[EW]: ' <<<"$lintian_output"; then fail "lintian reports errors or warnings"; fi

# Each path the package holds, and whether it was there before (shared directories such as /usr/bin).
mapfile -t paths < <(dpkg-deb -c "$deb" | awk '{print substr($6, 2)}' | grep -v '^/$' | sed 's|/$||')
absent=()
for path in "${paths[@]}"; do [ -e "$path" ] || absent+=("$path"); done

installed=yes
dpkg -i "$deb" || fail "dpkg -i failed"

/usr/bin/hw_exporter --version || fail "/usr/bin/hw_exporter --version failed"
[ -f /usr/share/man/man1/hw_exporter.1.gz ] || fail "no man page /usr/share/man/man1/hw_exporter.1.gz"
# verify runs man on the unit's Documentation=man:hw_exporter(1): the page just installed.
output=$(systemd-analyze verify /lib/systemd/system/hw_exporter.service /lib/systemd/system/hw_exporter.socket 2>&1) ||
  true
[ -z "$output" ] || fail "systemd-analyze verify of the installed units: $output"
conffiles=$(dpkg-query -W -f='${Conffiles}' hw-exporter)
grep -q '^ /etc/hw_exporter/hw_exporter.json ' <<<"$conffiles" ||
  fail "/etc/hw_exporter/hw_exporter.json is not a conffile: ${conffiles:-none}"
# The examples debian/hw-exporter.examples lists, uncompressed and as in the tree: the README names them so.
while read -r example; do
  target=/usr/share/doc/hw-exporter/examples/$(basename "$example")
  cmp -s "$root/$example" "$target" || fail "$target is not $example"
done <"$root/debian/hw-exporter.examples"

dpkg --purge hw-exporter || fail "dpkg --purge failed"
installed=no
left=()
for path in "${absent[@]}"; do [ ! -e "$path" ] && [ ! -L "$path" ] || left+=("$path"); done
# What the maintainer scripts made: the enablement symlink and deb-systemd-helper's record of it.
for path in /etc/systemd/system/multi-user.target.wants/hw_exporter.service \
  /var/lib/systemd/deb-systemd-helper-enabled/hw_exporter.service.dsh-also \
  /var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/hw_exporter.service; do
  [ ! -e "$path" ] && [ ! -L "$path" ] || left+=("$path")
done
[ ${#left[@]} -eq 0 ] || fail "left behind after purge: ${left[*]}"
echo "installed, checked and purged without a trace in $((SECONDS - start)) s"
