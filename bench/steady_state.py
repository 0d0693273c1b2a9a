#!/usr/bin/env python3
"""What a host pays per day: hw_exporter and node_exporter side by side, each scraped as Prometheus servers scrape.

For each scraping pattern (n scrapers every t seconds, the scrapers' phases spread evenly over the interval), one
hw_exporter with its defaults and one node_exporter with the same collectors run at once over the same capture, each
scraped by its own n threads on keep-alive connections with Prometheus 2.42's headers (Accept, Accept-Encoding:
gzip, X-Prometheus-Scrape-Timeout-Seconds), node_exporter's scrapes halfway between hw_exporter's. The patterns take
turns: on a machine where a wake after a pause is dear, an exporter whose work follows another's on the same tree
finds the machine warmed by it (hw_exporter_bench_idle_touch), so each exporter's work is kept apart from the
others'. After a warm-up, each process's CPU time (its threads', from their schedstat, and its waited-for children's)
is read at the start and the end of its pattern's window and scaled to a day. Then, all scrapers stopped, after a
pause every process is measured unscraped. Everything started is stopped by pid.

  steady_state.py --hw-exporter B --tree T --out DIR [--window-s 300] [--pause-s 60] [--unscraped-s 300]
"""

import argparse
import http.client
import json
import os
import sys
import threading
import time
from contextlib import ExitStack

from harness import (CLOCK_TICKS, Commands, enabled_collectors, free_port, get, server, status_kib, version_of,
                     wait_ready)

# Prometheus 2.42's scrape request, as its scrape loop sends it.
ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
PATTERNS = [(2, 15.0), (1, 60.0), (4, 5.0)]  # (scrapers, interval in seconds); the first is the target's


def cpu_seconds(pid):
    """CPU time of the process's threads, to the nanosecond (each thread's schedstat: clock ticks of 10 ms are too
    coarse for an idle exporter), plus that of the children it has waited for (probes)."""
    threads_ns = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as schedstat:
                threads_ns += int(schedstat.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended meanwhile
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return threads_ns / 1e9 + (int(fields[13]) + int(fields[14])) / CLOCK_TICKS


def cpu_over(runs, seconds):
    """Each run's CPU seconds over the next `seconds`, by id, and the seconds that really passed."""
    before = {id(run): cpu_seconds(run["process"].pid) for run in runs}
    started = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - started
    return {id(run): cpu_seconds(run["process"].pid) - before[id(run)] for run in runs}, elapsed


class Scraper(threading.Thread):
    """Scrapes one port every `interval` seconds from `offset` on, until stopped, as one Prometheus server does."""

    def __init__(self, port, interval, offset, stop):
        super().__init__(daemon=True)
        self.port, self.interval, self.offset, self.stop = port, interval, offset, stop
        self.scrapes = 0
        self.failures = []
        self.slowest_s = 0.0

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Accept": ACCEPT, "Accept-Encoding": "gzip",
                   "X-Prometheus-Scrape-Timeout-Seconds": str(min(self.interval, 10.0))}
        next_at = time.monotonic() + self.offset
        while not self.stop.wait(max(0.0, next_at - time.monotonic())):
            started = time.monotonic()
            try:
                try:
                    response = self.get(connection, headers)
                except (ConnectionResetError, BrokenPipeError):  # http.client.RemoteDisconnected among them
                    # The server closed the idle connection (hw_exporter's keep-alive timeout is 30 s): Go's HTTP
                    # client, Prometheus', sends a GET again on a new connection then, and so does this one.
                    connection.close()
                    response = self.get(connection, headers)
                if response.status != 200:
                    self.failures.append(response.status)
            except OSError as error:
                self.failures.append(str(error))
                connection.close()
            self.slowest_s = max(self.slowest_s, time.monotonic() - started)
            self.scrapes += 1
            next_at += self.interval
        connection.close()

    @staticmethod
    def get(connection, headers):
        connection.request("GET", "/metrics", headers=headers)
        response = connection.getresponse()
        response.read()
        return response


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hw-exporter", required=True)
    parser.add_argument("--node-exporter", default="/usr/bin/prometheus-node-exporter")
    parser.add_argument("--tree", required=True, help="a node_exporter capture: proc, sys, udev/data")
    parser.add_argument("--out", required=True)
    parser.add_argument("--warmup-s", type=float, default=60)
    parser.add_argument("--window-s", type=float, default=300)
    parser.add_argument("--pause-s", type=float, default=60, help="unscraped time before the unscraped window")
    parser.add_argument("--unscraped-s", type=float, default=300)
    parser.add_argument("--command", default="", help="the command line to quote in the report")
    args = parser.parse_args()
    args.bench_bin = ""
    os.makedirs(args.out, exist_ok=True)
    commands = Commands(args)
    log = os.path.join(args.out, "steady_state.log")

    # The collectors hw_exporter runs by default on this tree: node_exporter is given the same.
    port = free_port()
    with server(commands.hw_exporter(port), log) as process:
        wait_ready(port, process)
        collectors = [name.decode() for name in enabled_collectors(get(port)[1])]

    results = {"command": args.command, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
               "versions": {"node_exporter": version_of([args.node_exporter, "--version"]),
                            "hw_exporter": version_of([args.hw_exporter, "--version"])},
               "collectors": collectors, "warmup_s": args.warmup_s, "window_s": args.window_s,
               "pause_s": args.pause_s, "unscraped_s": args.unscraped_s, "patterns": []}
    with ExitStack() as stack:
        runs = []
        for scrapers, interval in PATTERNS:
            stop = threading.Event()  # one per pattern: its scrapers stop when its window ends
            for name in ("hw_exporter", "node_exporter"):
                port = free_port()
                command = (commands.hw_exporter(port) if name == "hw_exporter"
                           else commands.node_exporter(port, collectors))
                process = stack.enter_context(server(command, log))
                wait_ready(port, process)
                # node_exporter's scrapes fall halfway between hw_exporter's: each exporter's work then starts on a
                # machine the other has not just warmed (caches, the kernel's paths through the same tree).
                shift = interval / scrapers / 2 if name == "node_exporter" else 0.0
                threads = [Scraper(port, interval, interval * index / scrapers + shift, stop)
                           for index in range(scrapers)]
                runs.append({"exporter": name, "scrapers": scrapers, "interval_s": interval, "process": process,
                             "threads": threads, "stop": stop})
        scraped = {}
        for scrapers, interval in PATTERNS:
            pattern = [run for run in runs if (run["scrapers"], run["interval_s"]) == (scrapers, interval)]
            for run in pattern:
                for thread in run["threads"]:
                    thread.start()
            print(f"{scrapers} x {interval:.0f} s: warm-up {args.warmup_s:.0f} s, then {args.window_s:.0f} s scraped",
                  flush=True)
            time.sleep(args.warmup_s)
            cpu, elapsed = cpu_over(pattern, args.window_s)
            scraped.update({key: (cpu_s, elapsed) for key, cpu_s in cpu.items()})
            pattern[0]["stop"].set()
            for run in pattern:
                for thread in run["threads"]:
                    thread.join()
        print(f"pause {args.pause_s:.0f} s, then {args.unscraped_s:.0f} s unscraped", flush=True)
        time.sleep(args.pause_s)
        unscraped, unscraped_s = cpu_over(runs, args.unscraped_s)
        for run in runs:
            pid = run["process"].pid
            results["patterns"].append({
                "exporter": run["exporter"], "scrapers": run["scrapers"], "interval_s": run["interval_s"],
                "scrapes": sum(thread.scrapes for thread in run["threads"]),
                "failures": [failure for thread in run["threads"] for failure in thread.failures],
                "slowest_scrape_s": max(thread.slowest_s for thread in run["threads"]),
                "cpu_s": scraped[id(run)][0], "cpu_s_per_day": scraped[id(run)][0] / scraped[id(run)][1] * 86400,
                "unscraped_cpu_s": unscraped[id(run)],
                "unscraped_percent_of_one_core": unscraped[id(run)] / unscraped_s * 100,
                "rss_kib": status_kib(pid, "VmRSS")})
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    with open(os.path.join(args.out, "steady_state.json"), "w") as file:
        json.dump(results, file, indent=1)
    print_table(results)
    failed = [entry for entry in results["patterns"] if entry["failures"]]
    return 1 if failed else 0


def print_table(results):
    print(f"\nSteady state: `{results['command']}`, {results['started']} to {results['finished']}; "
          f"{results['window_s']:.0f} s scraped after {results['warmup_s']:.0f} s of warm-up, then "
          f"{results['unscraped_s']:.0f} s unscraped after a {results['pause_s']:.0f} s pause.\n")
    print("| scrapers × interval | node_exporter CPU/day | hw_exporter CPU/day | ratio | node_exporter unscraped "
          "| hw_exporter unscraped | hw_exporter RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    entries = results["patterns"]
    for scrapers, interval in PATTERNS:
        pair = {entry["exporter"]: entry for entry in entries
                if entry["scrapers"] == scrapers and entry["interval_s"] == interval}
        node, hw = pair["node_exporter"], pair["hw_exporter"]
        ratio = hw["cpu_s_per_day"] / node["cpu_s_per_day"] if node["cpu_s_per_day"] else float("nan")
        print(f"| {scrapers} × {interval:g} s | {node['cpu_s_per_day']:.0f} s | {hw['cpu_s_per_day']:.1f} s | "
              f"{ratio:.2f} × | {node['unscraped_percent_of_one_core']:.3f} % | "
              f"{hw['unscraped_percent_of_one_core']:.4f} % | {hw['rss_kib'] / 1024:.1f} MiB |")


if __name__ == "__main__":
    sys.exit(main())
