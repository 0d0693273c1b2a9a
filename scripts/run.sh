#!/usr/bin/env bash
# Set up, build (Release) and start hw_exporter in the foreground on its embedded defaults (:9877).
# Arguments are passed to hw_exporter, e.g. scripts/run.sh --log.level=debug
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target hw_exporter
exec build/hw_exporter "$@"
