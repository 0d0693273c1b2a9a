#!/usr/bin/env bash
# Set up, build everything with warnings as errors, and run the whole test suite (unit, integration, end-to-end
# with a real Prometheus, parity with node_exporter on the shared captures); then build it again with
# AddressSanitizer and UndefinedBehaviorSanitizer (in build-asan), and with ThreadSanitizer (in build-tsan), and
# run the suite once more with each, where any finding fails the test that made it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# ccache keys on paths relative to this, so that clones in other folders share the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(cd .. && pwd)}"
# Nor on the build directory, which debug information (build-asan) would otherwise put into the key.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHW_EXPORTER_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
(cd build && ctest --output-on-failure --timeout 300 -j"$(nproc)")

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHW_EXPORTER_WERROR=ON -DHW_EXPORTER_BUILD_BENCH=OFF \
  -DHW_EXPORTER_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j"$(nproc)"
(cd build-asan && ctest --output-on-failure --timeout 300 -j"$(nproc)")

# ThreadSanitizer stops a process at its first report (a daemon under test too), except for civetweb's own races
# that scripts/tsan.supp lists with the reason each is benign.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHW_EXPORTER_WERROR=ON -DHW_EXPORTER_BUILD_BENCH=OFF \
  -DHW_EXPORTER_SANITIZE=thread >/dev/null
cmake --build build-tsan -j"$(nproc)"
(cd build-tsan && TSAN_OPTIONS="suppressions=$PWD/../scripts/tsan.supp halt_on_error=1" \
  ctest --output-on-failure --timeout 300 -j"$(nproc)")
