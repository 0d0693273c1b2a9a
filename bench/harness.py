#!/usr/bin/env python3
"""Puts hw_exporter and its reference points under the same HTTP load and measures what the README claims.

Servers: hw_exporter with its response cache, hw_exporter without it, the civetweb floor, node_exporter 1.5 and
prometheus-cpp's Exposer, all on 127.0.0.1, on ports the kernel picked, over the same node_exporter capture.
All run at once, and each is loaded in turn with wrk (keep-alive; several connection counts; with and without
Accept-Encoding: gzip) while its CPU time is read from /proc/<pid>/stat; the cached daemon and the floor take turns
several times at each load, and each is reported by its median run. Then, on fresh daemons: the time from start to
the first 200 on /metrics, idle CPU, and resident memory across 100,000 scrapes (after a warm-up). Last, the
in-process microbenchmarks. Everything started is stopped by pid, on every way out. Results go to
<out>/results.json; report.py turns them into the tables.
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager

# The tests' choice of a free loopback port, below the ports the kernel gives outgoing connections.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
from loopback_port import free_port  # noqa: E402,F401

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGESIZE")


class Settings:
    """How long and how hard each phase runs: the full run, --quick, or --smoke (a test that it all works)."""

    def __init__(self, mode):
        self.mode = mode
        full = mode == "full"
        quick = mode == "quick"
        self.connections = [1, 8, 16] if full else [8] if quick else [1]
        self.duration_s = 8 if full else 3 if quick else 1
        # The cached daemon and the floor take turns this many times at each load, and each is reported by its
        # median run: their ratio is the burst target, and one run each, minutes apart, moved it by a fifth here.
        self.rounds = 3 if full else 1
        self.warmup_s = 1 if full else 1 if quick else 0
        self.startup_runs = 5 if full else 3 if quick else 1
        self.idle_s = 60 if full else 15 if quick else 2
        self.scrapes = 100_000 if full else 20_000 if quick else 1_000
        # Past the longest TTL of the collectors refreshed on demand (cpufreq's minute), so that each has refreshed
        # more than once before the samples start.
        self.memory_warmup_s = 65 if full else 10 if quick else 0
        self.micro_min_time_s = 0.5 if full else 0.1 if quick else 0.01


def cpu_ticks(pid):
    """utime + stime of every thread of the process, finished ones included, in clock ticks."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def get(port, path="/metrics", gzip=False, timeout=5.0):
    """One request on a new connection: (status, body bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_ready(port, process, deadline_s=30.0):
    """Polls /metrics every millisecond until it answers 200; seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < deadline_s:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            status, _ = get(port, timeout=1.0)
            if status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.001)
    raise RuntimeError(f"{process.args[0]} did not answer 200 on /metrics within {deadline_s} s")


@contextmanager
def server(command, log_path, env=None):
    """Starts a server (in `env`, or this process's environment), yields its Popen, and stops it by pid (SIGTERM,
    then SIGKILL after 5 s)."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


UNITS_S = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def seconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(number) * UNITS_S[unit]


def parse_wrk(output):
    """Requests, requests/s, latency percentiles and max (seconds), errors, from wrk --latency's output."""
    result = {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "max_s": seconds(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", output).group(1)),
        "non_2xx": 0,
        "socket_errors": 0,
    }
    for percentile in ("50", "99"):
        result[f"p{percentile}_s"] = seconds(re.search(rf"\s{percentile}%\s+(\S+)", output).group(1))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["non_2xx"] = int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result["socket_errors"] = sum(int(group) for group in match.groups())
    return result


def wrk(port, connections, duration_s, gzip):
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration_s}s", "--latency",
               "--timeout", "5s"]
    if gzip:
        command += ["-H", "Accept-Encoding: gzip"]
    command.append(f"http://127.0.0.1:{port}/metrics")
    return subprocess.run(command, capture_output=True, text=True, check=True,
                          timeout=duration_s + 30).stdout


def load_once(process, port, connections, settings, gzip):
    """One wrk run (after its warm-up), with the server's CPU time per 1,000 requests."""
    if settings.warmup_s:
        wrk(port, connections, settings.warmup_s, gzip)
    before = cpu_ticks(process.pid)
    output = wrk(port, connections, settings.duration_s, gzip)
    after = cpu_ticks(process.pid)
    run = parse_wrk(output)
    run["connections"] = connections
    run["cpu_s_per_1k"] = (after - before) / CLOCK_TICKS / max(run["requests"], 1) * 1000
    return run


def median_run(runs):
    """The run of median throughput, with every run's throughput beside it."""
    ordered = sorted(runs, key=lambda run: run["requests_per_s"])
    run = dict(ordered[(len(ordered) - 1) // 2])
    run["rounds_requests_per_s"] = [each["requests_per_s"] for each in runs]
    return run


def measure_servers(plan, settings, log_path, alternating):
    """Starts every server of the plan at once and loads them in turn at each encoding and connection count. The
    servers named in `alternating` run `settings.rounds` times each, taking turns (in reverse order every other
    round, so that neither always follows the other), and are reported by their median run; the others once."""
    with ExitStack() as stack:
        started = []
        for name, command in plan:
            port = free_port()
            process = stack.enter_context(server(command(port), log_path))
            wait_ready(port, process)
            started.append((name, process, port))
        results = {}
        for name, process, port in started:
            sizes = {}
            for gzip in (False, True):
                status, body = get(port, gzip=gzip)
                if status != 200:
                    raise RuntimeError(f"{name}: /metrics answered {status}")
                sizes["gzip" if gzip else "identity"] = len(body)
            results[name] = {"name": name, "body_bytes": sizes, "runs": {"identity": [], "gzip": []}}
        turns = [entry for entry in started if entry[0] in alternating]
        once = [entry for entry in started if entry[0] not in alternating]
        for gzip in (False, True):
            encoding = "gzip" if gzip else "identity"
            for connections in settings.connections:
                runs = {name: [] for name, _, _ in turns}
                for round_index in range(settings.rounds):
                    for name, process, port in (turns if round_index % 2 == 0 else turns[::-1]):
                        runs[name].append(load_once(process, port, connections, settings, gzip))
                for name, _, _ in turns:
                    results[name]["runs"][encoding].append(median_run(runs[name]))
                for name, process, port in once:
                    results[name]["runs"][encoding].append(load_once(process, port, connections, settings, gzip))
                for name in results:
                    run = results[name]["runs"][encoding][-1]
                    print(f"    {name} {encoding} c={connections}: {run['requests_per_s']:.0f} req/s, "
                          f"p99 {run['p99_s'] * 1e3:.2f} ms", flush=True)
        for name, process, _ in started:
            results[name]["peak_rss_kib"] = status_kib(process.pid, "VmHWM")
        return [results[name] for name, _ in plan]


class Commands:
    """The command line of each server, on a given port."""

    def __init__(self, args):
        self.args = args
        tree = args.tree
        self.paths = [f"--path.procfs={tree}/proc", f"--path.sysfs={tree}/sys", f"--path.rootfs={tree}",
                      f"--path.udev.data={tree}/udev/data"]

    def hw_exporter(self, port, *extra):
        return [self.args.hw_exporter, f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                *self.paths, *extra]

    def node_exporter(self, port, collectors):
        return [self.args.node_exporter, f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                "--collector.disable-defaults", *(f"--collector.{name}" for name in collectors), *self.paths]

    def floor(self, port, body, gzip_body):
        return [os.path.join(self.args.bench_bin, "hw_exporter_bench_floor"), str(port), body, gzip_body]

    def exposer(self, port, body):
        return [os.path.join(self.args.bench_bin, "hw_exporter_bench_exposer"), str(port), body]


def enabled_collectors(body):
    return sorted(set(re.findall(rb'^hw_exporter_collector_success\{collector="([^"]+)"', body, re.M)))


def capture_bodies(commands, out):
    """The bodies of a cached hw_exporter, for the floor and the Exposer to serve; the collectors it runs."""
    port = free_port()
    with server(commands.hw_exporter(port), os.path.join(out, "capture.log")) as process:
        wait_ready(port, process)
        _, identity = get(port)
        _, gzip_body = get(port, gzip=True)
    paths = {"identity": os.path.join(out, "body.txt"), "gzip": os.path.join(out, "body.txt.gz")}
    with open(paths["identity"], "wb") as file:
        file.write(identity)
    with open(paths["gzip"], "wb") as file:
        file.write(gzip_body)
    return paths, [name.decode() for name in enabled_collectors(identity)]


def measure_startup(commands, settings, out):
    """Seconds from starting the process to its first 200 on /metrics, one fresh daemon per run."""
    times = []
    for _ in range(settings.startup_runs):
        port = free_port()
        started = time.monotonic()
        with server(commands.hw_exporter(port), os.path.join(out, "startup.log")) as process:
            wait_ready(port, process)
            times.append(time.monotonic() - started)
    return times


@contextmanager
def idle_daemon(commands, out):
    """A daemon with default TTLs that nobody scrapes, past its start-up (its first collections)."""
    port = free_port()
    with server(commands.hw_exporter(port), os.path.join(out, "idle.log")) as process:
        time.sleep(2)
        yield process


def measure_memory(commands, settings, out):
    """RSS of a fresh cached daemon across `scrapes` keep-alive scrapes, gzip and identity alternating, sampled 20
    times. The scrapes start after a warm-up scraped once a second for a few refresh cycles (collectors refresh only
    when scraped), so that what the second half adds is growth, not the first collections settling; the samples are
    kept, so that a trend shows against allocator noise."""
    port = free_port()
    with server(commands.hw_exporter(port), os.path.join(out, "memory.log")) as process:
        wait_ready(port, process)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

        def scrape(index):
            connection.request("GET", "/metrics", headers={"Accept-Encoding": "gzip"} if index % 2 else {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"scrape {index} answered {response.status}")

        for second in range(int(settings.memory_warmup_s)):
            scrape(second)
            time.sleep(1.0)
        samples = [status_kib(process.pid, "VmRSS")]
        every = max(settings.scrapes // 20, 1)
        started = time.monotonic()
        for index in range(settings.scrapes):
            scrape(index)
            if (index + 1) % every == 0:
                samples.append(status_kib(process.pid, "VmRSS"))
        connection.close()
        half = len(samples) // 2
        return {"scrapes": settings.scrapes, "warmup_s": settings.memory_warmup_s,
                "seconds": time.monotonic() - started, "rss_samples_kib": samples, "rss_start_kib": samples[0],
                "rss_half_kib": samples[half], "rss_end_kib": samples[-1],
                "max_first_half_kib": max(samples[:half + 1]), "max_second_half_kib": max(samples[half:]),
                "peak_rss_kib": status_kib(process.pid, "VmHWM")}


def run_micro(args, settings, out):
    path = os.path.join(out, "micro.json")
    subprocess.run([os.path.join(args.bench_bin, "hw_exporter_bench_micro"), f"--benchmark_out={path}",
                    "--benchmark_out_format=json", f"--benchmark_min_time={settings.micro_min_time_s}"],
                   check=True, stdout=subprocess.DEVNULL, timeout=600,
                   env=dict(os.environ, HW_EXPORTER_BENCH_TREE=args.tree))  # the tree the servers read
    with open(path) as file:
        return json.load(file)


def machine():
    model = ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "load_average": os.getloadavg(), "wrk": shutil.which("wrk")}


def version_of(command):
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=10)
        return (result.stdout or result.stderr).splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hw-exporter", required=True)
    parser.add_argument("--bench-bin", required=True, help="directory of the bench executables")
    parser.add_argument("--node-exporter", default="/usr/bin/prometheus-node-exporter")
    parser.add_argument("--tree", required=True, help="a node_exporter capture: proc, sys, udev/data")
    parser.add_argument("--out", required=True)
    parser.add_argument("--mode", choices=["full", "quick", "smoke"], default="full")
    parser.add_argument("--command", default="", help="the command line to quote in the report")
    args = parser.parse_args()
    settings = Settings(args.mode)
    os.makedirs(args.out, exist_ok=True)
    commands = Commands(args)

    results = {"mode": args.mode, "command": args.command, "machine": machine(),
               "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
               "versions": {"node_exporter": version_of([args.node_exporter, "--version"]),
                            "hw_exporter": version_of([args.hw_exporter, "--version"]),
                            "wrk": version_of(["wrk", "--version"])},
               "settings": vars(settings)}
    print("capturing hw_exporter's body", flush=True)
    bodies, collectors = capture_bodies(commands, args.out)
    results["collectors"] = collectors

    print("load (idle daemon measured alongside)", flush=True)
    with idle_daemon(commands, args.out) as idle_process:
        idle_started = time.monotonic()
        idle_before = cpu_ticks(idle_process.pid)
        log = os.path.join(args.out, "servers.log")
        plan = [
            ("hw_exporter (cached)", lambda port: commands.hw_exporter(port)),
            ("hw_exporter (cache off)", lambda port: commands.hw_exporter(port, "--no-cache.enabled")),
            ("floor (civetweb, fixed body)", lambda port: commands.floor(port, bodies["identity"], bodies["gzip"])),
            ("node_exporter 1.5", lambda port: commands.node_exporter(port, collectors)),
            ("prometheus-cpp Exposer", lambda port: commands.exposer(port, bodies["identity"])),
        ]
        results["servers"] = measure_servers(plan, settings, log,
                                             alternating={"hw_exporter (cached)", "floor (civetweb, fixed body)"})
        # The idle daemon started before the load: let it reach the full idle window if the load was shorter.
        remaining = settings.idle_s - (time.monotonic() - idle_started)
        if remaining > 0:
            time.sleep(remaining)
        elapsed = time.monotonic() - idle_started
        ticks = cpu_ticks(idle_process.pid) - idle_before
        results["idle"] = {"seconds": elapsed, "cpu_s": ticks / CLOCK_TICKS,
                           "cpu_percent_of_one_core": ticks / CLOCK_TICKS / elapsed * 100}

    print("start-up", flush=True)
    results["startup_s"] = measure_startup(commands, settings, args.out)
    print(f"memory over {settings.scrapes} scrapes", flush=True)
    results["memory"] = measure_memory(commands, settings, args.out)
    print("microbenchmarks", flush=True)
    results["micro"] = run_micro(args, settings, args.out)
    results["machine"]["load_average_end"] = os.getloadavg()
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")

    with open(os.path.join(args.out, "results.json"), "w") as file:
        json.dump(results, file, indent=1)
    errors = [entry["name"] for entry in results["micro"]["benchmarks"] if entry.get("error_occurred")]
    if errors:
        print(f"microbenchmarks failed: {', '.join(errors)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
