#!/usr/bin/env bash
# Builds the Debian package hw-exporter_<version>_<arch>.deb with debhelper (debian/), from a copy of the tree as
# git sees it (tracked and untracked files, without ignored ones such as build directories), so that the tree stays
# clean. Writes the .deb (and hw-exporter-dbgsym's) into OUTPUT_DIR, build/package by default, and prints its path.
#
# usage: scripts/package.sh [OUTPUT_DIR]
# Needs what scripts/setup.sh installs. Compiles the daemon alone, with one job unless DEB_BUILD_OPTIONS says
# parallel=N, through ccache when it is installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
output=$(mkdir -p "${1:-$root/build/package}" && cd "${1:-$root/build/package}" && pwd)

version=$(sed -n 's/^project(hw_exporter VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
changelog_version=$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)
if [ "$version" != "$changelog_version" ]; then
  echo "package: CMakeLists.txt says version $version, debian/changelog $changelog_version: add a changelog entry" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source="$work/hw-exporter-$version"
mkdir "$source"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
  tar --null -T - -cf -) | tar -xf - -C "$source"

# The copy has no .git: name the revision, marked when the tree differs from it.
revision=$(git -C "$root" rev-parse --short=12 HEAD)
if [ -n "$(git -C "$root" status --porcelain)" ]; then revision+="-dirty"; fi
export HW_EXPORTER_REVISION=$revision
export HW_EXPORTER_CIVETWEB_CACHE="${HW_EXPORTER_CIVETWEB_CACHE:-$HOME/.cache/hw_exporter}"
# ccache's cache as the caller's HOME locates it (the build runs with a HOME of its own), and paths relative to the
# copy, whose name changes from run to run, so that a rebuild of unchanged sources is all hits.
if command -v ccache >/dev/null; then
  CCACHE_DIR=$(ccache -k cache_dir)
  export CCACHE_DIR CCACHE_BASEDIR=$work CCACHE_NOHASHDIR=1
fi

(cd "$source" && dpkg-buildpackage -b -us -uc --no-pre-clean >"$work/build.log" 2>&1) || {
  tail -n 50 "$work/build.log" >&2
  echo "package: dpkg-buildpackage failed (last 50 lines above)" >&2
  exit 1
}
cp "$work"/*.deb "$output/"
echo "$output/hw-exporter_${version}_$(dpkg-architecture -q DEB_HOST_ARCH).deb"
