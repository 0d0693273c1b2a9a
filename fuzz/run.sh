#!/usr/bin/env bash
# Fuzzes every parser of untrusted text (kernel files, probe output, HTTP request parts, textfiles) with libFuzzer,
# ASan and UBSan: builds fuzz/parsers_fuzz.cpp with clang in build-fuzz, seeds each parser's corpus from the shared captures
# and the project's fixtures, and runs each parser for a number of executions. A crash, a leak, undefined behaviour
# or unbounded memory stops the run with libFuzzer's report; the input that caused it is kept in
# build-fuzz/findings/. Not part of the test suite: it takes a few minutes per parser.
#
#   fuzz/run.sh                              every parser, 10,000,000 executions each
#   fuzz/run.sh --runs 100000 stat mountinfo  the named parsers only
#   fuzz/run.sh --runs -1 --time 600 textfile  one parser for 10 minutes (-1: no bound on executions)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-fuzz"
runs=10000000
seconds=0  # libFuzzer's -max_total_time; 0: no bound
parsers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift ;;
    --time) seconds="$2"; shift ;;
    -*) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
    *) parsers+=("$1") ;;
  esac
  shift
done

"$root/scripts/setup.sh"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHW_EXPORTER_BUILD_TESTS=OFF \
  -DHW_EXPORTER_BUILD_BENCH=OFF -DHW_EXPORTER_BUILD_FUZZ=ON -DHW_EXPORTER_SANITIZE=fuzzer-no-link,address,undefined \
  >/dev/null
cmake --build "$build" -j"$(nproc)" --target hw_exporter_fuzz

# ASan holds freed memory back for 256 MiB before reusing it, to catch a late use of it. Over a long run that made
# every allocation touch a page not touched lately: web_config fell from 5,000 to 500 executions a second past half
# a million, with 1 GiB resident. 16 MiB still holds what one input frees many times over.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=16}"

tree="$build/fixtures/node_exporter"
shared="$root/../shared/fixtures"
fixtures="$root/tests/fixtures"

# The files a parser's corpus starts from: what that parser reads on real hosts and in the fixtures.
seed_files() {
  local roots=("$tree" "$fixtures")
  case "$1" in
    cpuinfo|diskstats|loadavg|meminfo|stat|vmstat)
      find "${roots[@]}" -path "*/proc/$1" -type f 2>/dev/null ;;
    mountinfo) find "${roots[@]}" -name mountinfo -type f 2>/dev/null ;;
    netdev) find "${roots[@]}" -path '*/proc/net/dev' -type f 2>/dev/null ;;
    pressure) find "${roots[@]}" -path '*/proc/pressure/*' -type f 2>/dev/null ;;
    process_stat) find "${roots[@]}" -path '*/self/stat' -type f 2>/dev/null; echo /proc/self/stat ;;
    process_limits) find "${roots[@]}" -path '*/self/limits' -type f 2>/dev/null; echo /proc/self/limits ;;
    cpulist) find "${roots[@]}" -path '*/devices/system/cpu/*' \( -name isolated -o -name online -o -name offline \
      -o -name possible -o -name present \) -type f 2>/dev/null ;;
    udev) find "${roots[@]}" -path '*/udev/data/*' -type f 2>/dev/null ;;
    smartctl) find "$shared/smartctl" "$fixtures/probe_smartctl" -name '*.json' -type f 2>/dev/null ;;
    smartctl_scan) find "$fixtures/probe_smartctl" -name '*scan*' -type f 2>/dev/null ;;
    ipmitool) find "$shared/ipmitool" "$fixtures/probe_ipmitool" -type f 2>/dev/null
      find "$shared/ipmi" -name 'ipmitool_sensor*' -type f 2>/dev/null ;;
    ipmimonitoring) find "$shared/ipmi" "$fixtures/probe_freeipmi" -name 'ipmimonitoring*' -type f 2>/dev/null ;;
    freeipmi_bmc_info) find "$shared/ipmi" -name 'bmc-info*' -type f 2>/dev/null ;;
    ipmitool_bmc_info) find "$shared/ipmi" \( -name 'ipmitool_bmc_info*' -o -name 'ipmitool_mc_info*' \) -type f \
      2>/dev/null ;;
    freeipmi_chassis) find "$shared/ipmi" "$fixtures/probe_freeipmi" -name 'ipmi-chassis*' -type f 2>/dev/null ;;
    ipmitool_chassis) find "$shared/ipmi" -name 'ipmitool_chassis_status*' -type f 2>/dev/null ;;
    freeipmi_dcmi) find "$fixtures/probe_freeipmi" -name 'ipmi-dcmi*' -type f 2>/dev/null ;;
    ipmitool_dcmi) find "$shared/ipmi" -name 'ipmitool_dcmi*' -type f 2>/dev/null ;;
    freeipmi_sel) find "$shared/ipmi" "$fixtures/probe_freeipmi" -name 'ipmi-sel_*' -type f 2>/dev/null ;;
    ipmitool_sel) find "$shared/ipmi" -name 'ipmitool_sel_info*' -type f 2>/dev/null ;;
    web_config) find "$root/fuzz/seeds/web_config" -type f ;;
    textfile) find "$root/fuzz/seeds/textfile" -type f ;;
  esac
}

# Seeds for the parsers of request parts, which no capture holds.
seed_texts() {
  case "$1" in
    scrape_query) printf '%s\n' 'collect[]=cpu&collect[]=meminfo' 'exclude[]=hwmon' 'collect%5B%5D=cpu' ;;
    accept_encoding) printf '%s\n' 'gzip' 'gzip;q=0.8, identity;q=0.2' 'x-gzip, *;q=0' 'identity;q=0, gzip;q=0' ;;
    path) printf '%s\n' '/metrics' '/cache/stats' '/%6detrics' '/-/healthy' ;;
    basic_credentials) printf '%s\n' 'Basic YWxpY2U6d29uZGVybGFuZA==' 'basic Ym9iOjpwYXNz' 'Basic =' 'Bearer x' ;;
    request_head) printf '%s\n' $'GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n' $'GET / HTTP/1.0\n\n' \
      $'\x16\x03\x01\x02\x00\x01' ;;
  esac
}

all=(accept_encoding basic_credentials cpuinfo cpulist diskstats freeipmi_bmc_info freeipmi_chassis freeipmi_dcmi
  freeipmi_sel ipmimonitoring ipmitool ipmitool_bmc_info ipmitool_chassis ipmitool_dcmi ipmitool_sel loadavg meminfo
  mountinfo netdev path pressure process_limits process_stat request_head scrape_query smartctl smartctl_scan stat
  textfile udev vmstat web_config)
[ ${#parsers[@]} -gt 0 ] || parsers=("${all[@]}")
mkdir -p "$build/findings"
for parser in "${parsers[@]}"; do
  corpus="$build/corpus/$parser"
  mkdir -p "$corpus"
  while IFS= read -r file; do
    [ -n "$file" ] && cp -L "$file" "$corpus/seed-$(printf '%s' "$file" | md5sum | cut -c1-16)"
  done < <(seed_files "$parser")
  n=0
  while IFS= read -r text; do
    printf '%s' "$text" >"$corpus/text-$n"
    n=$((n + 1))
  done < <(seed_texts "$parser")
  echo "== $parser: $(ls "$corpus" | wc -l) inputs in the corpus, $runs executions"
  HW_EXPORTER_FUZZ_PARSER="$parser" "$build/hw_exporter_fuzz" -runs="$runs" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix="$build/findings/$parser-" -print_final_stats=1 "$corpus" 2>"$build/findings/$parser.log" ||
    { tail -n 40 "$build/findings/$parser.log"; exit 1; }
  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb' "$build/findings/$parser.log"
done
