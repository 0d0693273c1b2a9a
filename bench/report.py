#!/usr/bin/env python3
"""Turns harness.py's results.json into the markdown of the README's performance section: the machine, the body
sizes, the load table with ratios against the floor and against node_exporter, the targets, the microbenchmarks."""

import json
import sys

CACHED = "hw_exporter (cached)"
RENDER = "hw_exporter (cache off)"
FLOOR = "floor (civetweb, fixed body)"
NODE = "node_exporter 1.5"
TARGET_CONNECTIONS = 8


def run_at(server, encoding, connections):
    for run in server["runs"][encoding]:
        if run["connections"] == connections:
            return run
    return None


def ratio(value, reference):
    return value / reference if reference else float("nan")


def kib(value):
    return f"{value / 1024:.1f} MiB"


def machine_section(results):
    machine = results["machine"]
    load_start = ", ".join(f"{value:.2f}" for value in machine["load_average"])
    load_end = ", ".join(f"{value:.2f}" for value in machine["load_average_end"])
    versions = results["versions"]
    lines = [
        f"Command: `{results['command']}` ({results['mode']} mode), {results['started']} to {results['finished']}.",
        "",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), kernel {machine['kernel']}; load average "
        f"{load_start} at the start and {load_end} at the end (1, 5, 15 min; other work shares the machine, "
        "which is why the ratios matter more than the absolute numbers).",
        "",
        f"Versions: {versions['hw_exporter']}; {versions['node_exporter']}; {versions['wrk']}.",
        "",
        f"Collectors (both exporters, same capture): {', '.join(results['collectors'])}.",
        "",
        "| server | body (identity) | body (gzip) | peak RSS (VmHWM) |",
        "|---|---:|---:|---:|",
    ]
    for server in results["servers"]:
        sizes = server["body_bytes"]
        lines.append(f"| {server['name']} | {sizes['identity']:,} B | {sizes['gzip']:,} B | "
                     f"{kib(server['peak_rss_kib'])} |")
    return lines


def load_section(results):
    settings = results["settings"]
    servers = {server["name"]: server for server in results["servers"]}
    lines = [
        "",
        f"wrk over 127.0.0.1, keep-alive, {settings['duration_s']} s per run after a {settings['warmup_s']} s "
        "warm-up; CPU is the server process's utime + stime from /proc/<pid>/stat around the run. All servers run "
        "at once; at each load the cached daemon and the floor take turns, "
        f"{settings.get('rounds', 1)} run(s) each, and each shows its median run (every run's req/s in the last "
        "column).",
        "",
        "| server | encoding | conns | req/s | × floor | × node_exporter | p50 ms | p99 ms | max ms "
        "| CPU ms / 1k req | errors | req/s of each round |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for encoding in ("identity", "gzip"):
        for connections in settings["connections"]:
            floor = run_at(servers[FLOOR], encoding, connections)
            node = run_at(servers[NODE], encoding, connections)
            for server in results["servers"]:
                run = run_at(server, encoding, connections)
                lines.append(
                    f"| {server['name']} | {encoding} | {connections} | {run['requests_per_s']:,.0f} "
                    f"| {ratio(run['requests_per_s'], floor['requests_per_s']):.2f} "
                    f"| {ratio(run['requests_per_s'], node['requests_per_s']):.1f} "
                    f"| {run['p50_s'] * 1e3:.3f} | {run['p99_s'] * 1e3:.3f} | {run['max_s'] * 1e3:.1f} "
                    f"| {run['cpu_s_per_1k'] * 1e3:.1f} | {run['non_2xx'] + run['socket_errors']} "
                    f"| {rounds(run)} |")
    return lines


def rounds(run):
    return ", ".join(f"{value:,.0f}" for value in run.get("rounds_requests_per_s", [])) or "one run"


def micro_by_name(results):
    return {entry["name"]: entry for entry in results["micro"]["benchmarks"]}


def per_series_ns(entry):
    return 1e9 / entry["items_per_second"]


class Targets:
    """Each target of the README: what was measured, and whether it is met."""

    def __init__(self, results):
        self.results = results
        self.servers = {server["name"]: server for server in results["servers"]}
        connections = results["settings"]["connections"]
        self.connections = TARGET_CONNECTIONS if TARGET_CONNECTIONS in connections else connections[-1]
        self.rows = []

    def add(self, target, measured, met):
        self.rows.append(f"| {target} | {measured} | {'met' if met else '**missed**'} |")

    def rate(self, name, encoding):
        return run_at(self.servers[name], encoding, self.connections)["requests_per_s"]

    def of_floor(self, encoding):
        """The burst target: the cached daemon at 0.9 × the floor or more at every connection count."""
        connections = self.results["settings"]["connections"]
        ratios = [ratio(run_at(self.servers[CACHED], encoding, count)["requests_per_s"],
                        run_at(self.servers[FLOOR], encoding, count)["requests_per_s"]) for count in connections]
        measured = ", ".join(f"{value:.2f} ×" for value in ratios)
        counts = ", ".join(str(count) for count in connections)
        self.add(f"cached, {encoding}: ≥ 0.9 × floor at {counts} conns", f"{measured} (medians)",
                 all(value >= 0.9 for value in ratios))

    def http(self):
        at = f"{self.connections} conns"
        for encoding in ("identity", "gzip"):
            self.of_floor(encoding)
            cached = self.rate(CACHED, encoding)
            of_node = ratio(cached, self.rate(NODE, encoding))
            self.add(f"cached, {encoding}: ≥ 100 × node_exporter", f"{of_node:.0f} × ({at})", of_node >= 100)
            p99 = run_at(self.servers[CACHED], encoding, self.connections)["p99_s"] * 1e3
            self.add(f"cached, {encoding}: p99 < 2 ms at 8 conns", f"{p99:.3f} ms ({at})", p99 < 2)
        for encoding in ("identity", "gzip"):
            of_node = ratio(self.rate(RENDER, encoding), self.rate(NODE, encoding))
            self.add(f"cache off, {encoding}: ≥ 5 × node_exporter", f"{of_node:.1f} × ({at})", of_node >= 5)

    def serializer(self):
        micro = micro_by_name(self.results)
        ours = micro.get("BM_SerializeText")
        theirs = micro.get("BM_PrometheusCppTextSerializer")
        if not ours or not theirs or ours.get("error_occurred") or theirs.get("error_occurred"):
            message = (ours or {}).get("error_message", "not run")
            self.add("serializer: ≥ 3 × TextSerializer per series, byte-identical", message, False)
            return
        speedup = per_series_ns(theirs) / per_series_ns(ours)
        self.add("serializer: ≥ 3 × faster per series than TextSerializer",
                 f"{per_series_ns(ours):.0f} ns vs {per_series_ns(theirs):.0f} ns per series: {speedup:.1f} ×",
                 speedup >= 3)
        self.add("serializer: byte-identical output across runs", "identical (checked by BM_SerializeText)", True)
        openmetrics = micro.get("BM_SerializeOpenMetrics")
        if not openmetrics or openmetrics.get("error_occurred"):
            self.add("OpenMetrics: within 1.2 × of the text serializer per series", "not run", False)
            return
        ratio = per_series_ns(openmetrics) / per_series_ns(ours)
        self.add("OpenMetrics: within 1.2 × of the text serializer per series",
                 f"{per_series_ns(openmetrics):.0f} ns vs {per_series_ns(ours):.0f} ns per series: {ratio:.2f} ×",
                 ratio <= 1.2)

    def memory(self):
        memory = self.results["memory"]
        half = memory["scrapes"] // 2
        self.add(f"RSS < 10 MiB after {memory['scrapes']:,} scrapes", kib(memory["rss_end_kib"]),
                 memory["rss_end_kib"] < 10 * 1024)
        # Flat: the second half's highest sample no higher than the first half's, give or take allocator noise
        # (the heap is trimmed and regrown by a few hundred KiB from one render to the next).
        growth = memory["max_second_half_kib"] - memory["max_first_half_kib"]
        samples = memory["rss_samples_kib"]
        self.add(f"RSS flat across the second {half:,} scrapes (after {memory['warmup_s']} s warm-up)",
                 f"highest sample {growth:+d} KiB vs the first half; samples {kib(min(samples))}–{kib(max(samples))}",
                 growth <= 128)

    def idle_and_startup(self):
        idle = self.results["idle"]
        self.add("idle CPU < 0.5 % of one core (default TTLs, no scrapes)",
                 f"{idle['cpu_percent_of_one_core']:.3f} % ({idle['cpu_s']:.2f} s CPU over {idle['seconds']:.0f} s)",
                 idle["cpu_percent_of_one_core"] < 0.5)
        startup = sorted(self.results["startup_s"])
        median = startup[len(startup) // 2]
        self.add("first 200 on /metrics within 100 ms of start",
                 f"median {median * 1e3:.0f} ms, max {startup[-1] * 1e3:.0f} ms ({len(startup)} starts)",
                 median < 0.1)

    def section(self):
        self.http()
        self.serializer()
        self.memory()
        self.idle_and_startup()
        return ["", "| target | measured | status |", "|---|---|---|", *self.rows]


def micro_section(results):
    lines = ["", "| microbenchmark | time | per item | notes |", "|---|---:|---:|---|"]
    for entry in results["micro"]["benchmarks"]:
        if entry.get("error_occurred"):
            lines.append(f"| {entry['name']} | | | error: {entry['error_message']} |")
            continue
        time = f"{entry['real_time']:,.2f} {entry['time_unit']}"
        per_item = f"{per_series_ns(entry):.0f} ns/series" if "items_per_second" in entry else ""
        if "bytes_per_second" in entry:
            per_item = f"{entry['bytes_per_second'] / 2**20:.0f} MiB/s"
        notes = ", ".join(f"{key} {entry[key]:,.0f}" for key in ("series", "body_bytes", "gzip_bytes", "collectors")
                          if key in entry)
        lines.append(f"| {entry['name']} | {time} | {per_item} | {notes} |")
    return lines


def main():
    with open(sys.argv[1]) as file:
        results = json.load(file)
    lines = machine_section(results)
    lines += ["", "### Targets", *Targets(results).section()]
    lines += ["", "### HTTP load", *load_section(results)]
    lines += ["", "### Microbenchmarks (Google Benchmark, in process)", *micro_section(results)]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
