#!/usr/bin/env bash
# Set up, build everything with warnings as errors, and run the whole test suite (unit, integration, end-to-end
# with a real Prometheus, parity with node_exporter on the shared captures).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# ccache keys on paths relative to this: clones in other folders share the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(cd .. && pwd)}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHW_EXPORTER_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure --timeout 300 -j"$(nproc)"
