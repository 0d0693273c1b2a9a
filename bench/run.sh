#!/usr/bin/env bash
# The whole benchmark in one command: set up, build (Release, in build-bench), put hw_exporter, the civetweb
# floor, node_exporter and prometheus-cpp's Exposer under the same load, measure start-up, idle CPU and memory,
# run the microbenchmarks, and print the report (also written to build-bench/bench-results-<mode>/report.md).
#
#   bench/run.sh                 full run (about 10 minutes on 2 cores)
#   bench/run.sh --quick         shorter runs, 8 connections only (about 2 minutes)
#   bench/run.sh --steady-state  what a host pays per day: hw_exporter and node_exporter side by side, scraped as
#                                Prometheus servers scrape, then unscraped (bench/steady_state.py; about 24 minutes)
#   bench/run.sh --smoke         a few seconds of everything, without setup or build (the bench-smoke test)
#
# Options: --build-dir DIR (default build-bench), --tree DIR (default <build dir>/fixtures/node_exporter, where
# configuring the build unpacks ../shared/fixtures/node_exporter.tar.gz).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode=full
build="$root/build-bench"
tree=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --steady-state) mode=steady-state ;;
    --build-dir) build="$2"; shift ;;
    --tree) tree="$2"; shift ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
command="bench/run.sh$([ "$mode" = full ] || echo " --$mode")"
tree="${tree:-$build/fixtures/node_exporter}"

# In smoke mode (a ctest test) a missing tool or capture is a skip (77), not a failure.
missing() {
  echo "bench/run.sh: $1" >&2
  if [ "$mode" = smoke ]; then exit 77; fi
  exit 2
}
if [ "$mode" = smoke ]; then
  [ -d "$tree/proc" ] || missing "no node_exporter capture at $tree (give --tree DIR)"
  for tool in wrk prometheus-node-exporter python3; do
    command -v "$tool" >/dev/null || missing "$tool is not installed (scripts/setup.sh installs it)"
  done
fi
if [ "$mode" != smoke ]; then
  "$root/scripts/setup.sh"
  # Warnings are the test suite's business (scripts/test.sh); a measurement must not stop on one.
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHW_EXPORTER_BUILD_BENCH=ON -DHW_EXPORTER_WERROR=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" --target hw_exporter hw_exporter_bench_floor hw_exporter_bench_exposer \
    hw_exporter_bench_micro
  # Configuring the build unpacked the capture, if its archive is there.
  [ -d "$tree/proc" ] || missing "no node_exporter capture at $tree (give --tree DIR)"
fi

out="$build/bench-results-$mode"
rm -rf "$out"
mkdir -p "$out"
steady_state() {
  python3 "$root/bench/steady_state.py" --command "$command" --hw-exporter "$build/hw_exporter" \
    --tree "$(cd "$tree" && pwd)" --out "$out" "$@" | tee "$out/steady_state.md"
}
if [ "$mode" = steady-state ]; then
  steady_state
  exit
fi
# A microbenchmark that fails (the serializer's output changed between runs) fails the run, after the report.
status=0
python3 "$root/bench/harness.py" --mode "$mode" --command "$command" --hw-exporter "$build/hw_exporter" \
  --bench-bin "$build/bench" --tree "$(cd "$tree" && pwd)" --out "$out" || status=$?
[ -f "$out/results.json" ] && python3 "$root/bench/report.py" "$out/results.json" | tee "$out/report.md"
if [ "$mode" = smoke ]; then
  steady_state --warmup-s 1 --window-s 3 --pause-s 1 --unscraped-s 2 || status=$?
fi
exit "$status"
