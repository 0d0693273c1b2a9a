#!/usr/bin/env bash
# Installs what building and testing hw_exporter needs on Debian 12, and fetches civetweb's Debian source package
# into the cache outside the tree (see cmake/Civetweb.cmake). Safe to run again: it only does what is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config dpkg-dev git curl openssl ccache python3 clang-format
  prometheus-cpp-dev nlohmann-json3-dev libspdlog-dev zlib1g-dev libdeflate-dev libssl-dev libcrypt-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev libgoogle-perftools-dev google-perftools
  prometheus prometheus-node-exporter smartmontools ipmitool freeipmi-tools wrk hyperfine systemd python3-yaml
  python3-kubernetes strace debhelper lintian help2man man-db python3-prometheus-client chromium python3-websocket
  lld valgrind
)
cache="${HW_EXPORTER_CIVETWEB_CACHE:-$HOME/.cache/hw_exporter}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# deb-src for civetweb: a sources entry beside Debian's own, with the same mirror and key.
ensure_deb_src() {
  if apt-get source --print-uris -qq civetweb >/dev/null 2>&1; then return; fi
  local list=/etc/apt/sources.list.d/debian.sources uri=http://deb.debian.org/debian
  if [ -f "$list" ]; then uri=$(awk '/^URIs:/ {print $2; exit}' "$list"); fi
  as_root tee /etc/apt/sources.list.d/hw_exporter-deb-src.sources >/dev/null <<SOURCES
Types: deb-src
URIs: $uri
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  as_root apt-get update -qq
}

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! compgen -G "$cache/civetweb-*/src/civetweb.c" >/dev/null; then
  ensure_deb_src
  mkdir -p "$cache"
  (cd "$cache" && apt-get source -qq civetweb)
fi
