#!/usr/bin/env python3
"""Writes cmake/code_order.txt: the daemon's functions in the order the linker lays them out.

The kernel maps the pages of the binary around each page of code a thread runs, and a wake after a pause pays for
every page it touches, so the code that scrapes and refreshes run is laid out together at the start of the text,
then the cold parts the compiler split off those functions (their error paths), then the code that runs only to
start (whose pages the daemon unmaps once started), then the rest. Which code runs when is observed, not guessed:
the daemon runs under callgrind on the node_exporter capture; what it ran until it unmapped its start is the start.
What it ran from then on, past its first refreshes, while scraped by two scrapers at a cadence with Prometheus'
headers and refreshing its collectors, is the steady state, laid out first: every interval of a host scraped by
Prometheus runs all of it, so no function it does not run belongs among its pages. What it ran after that, while
scraped in every other way (one request after another, as curl and Prometheus without OpenMetrics ask, and wrk's 16
keep-alive connections at once), comes next. The daemon runs with --cache.ttl=1s, so that the second of the two
scrapers, 2 s after the first, comes after the first one's response has expired, as the second of two Prometheus
servers 7.5 s apart does with the defaults.

  scripts/code_order.py --binary build/hw_exporter --tree build/fixtures/node_exporter [--seconds 40]

Run it again when the code has changed much: a function it does not list is laid out with the rest, and a name it
lists that the binary no longer has is passed over by the linker.
"""

import argparse
import collections
import glob
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "cmake", "code_order.txt")
STARTED = "code run only to start unmapped"
SCRAPES = [
    {},
    {"Accept-Encoding": "gzip"},
    {"Accept": "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1",
     "Accept-Encoding": "gzip", "X-Prometheus-Scrape-Timeout-Seconds": "10"},
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, headers, timeout=60):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def wait_started(log_path, process, deadline_s=120):
    """Until the daemon logs that it unmapped its start; under callgrind it starts some fifty times slower."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"code_order: the daemon ended with {process.returncode}; see {log_path}")
        with open(log_path) as log:
            if STARTED in log.read():
                return
        time.sleep(0.5)
    sys.exit(f"code_order: the daemon did not log {STARTED!r} within {deadline_s} s")


def scrape_at_cadence(port, arrivals, interval_s=4.0):
    """Two scrapers on keep-alive connections, each every `interval_s`, half of it apart, with Prometheus' headers:
    the refreshes they share, and the responses rendered ahead for both."""
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _ in range(2)]
    next_at = time.monotonic()
    for arrival in range(arrivals):
        time.sleep(max(0.0, next_at - time.monotonic()))
        connections[arrival % 2].request("GET", "/metrics", headers=SCRAPES[-1])
        connections[arrival % 2].getresponse().read()
        next_at += interval_s / 2
    for connection in connections:
        connection.close()


def scrape_otherwise(port, seconds):
    """Requests one after another in each of the ways Prometheus and curl ask, then wrk's concurrent ones."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for headers in SCRAPES:
            get(port, headers)
        time.sleep(1)
    for headers in ([], ["-H", "Accept-Encoding: gzip"]):
        subprocess.run(["wrk", "-t2", "-c16", "-d3s", *headers, f"http://127.0.0.1:{port}/metrics"], check=True,
                       stdout=subprocess.DEVNULL)


def dump(pid):
    """Has callgrind write what ran since its last dump and start counting anew."""
    subprocess.run(["callgrind_control", "--dump", str(pid)], check=True, stdout=subprocess.DEVNULL)


def costs(path, binary):
    """Instructions run per function of the binary, by its (mangled) symbol, from a callgrind output file."""
    per_function = collections.Counter()
    in_binary, function, call = False, None, False
    with open(path) as lines:
        for line in lines:
            if line.startswith("ob="):
                in_binary = os.path.realpath(line[3:].strip()) == binary
            elif line.startswith("fn="):
                # "name'2" is the function's recursion at depth 2; "(below main)" is callgrind's, not a symbol.
                function = line[3:].strip().split("'")[0] if in_binary else None
                if function and function.startswith("("):
                    function = None
            elif line.startswith("calls="):
                call = True  # the line after it is what the call cost, not the function's own
            elif call:
                call = False
            elif function and line[:1].isdigit():
                fields = line.split()
                if len(fields) >= 2:
                    per_function[function] += int(fields[1])
    return per_function


def observe(binary, tree, seconds, workdir):
    port = free_port()
    # The start ends where the daemon unmaps its pages: what runs from there on, even once, comes back resident.
    command = ["valgrind", "--tool=callgrind", "--demangle=no", "--compress-strings=no", "--compress-pos=no",
               "--dump-before=*ReleaseStartupPages*",
               f"--callgrind-out-file={workdir}/callgrind.out.%p", binary,
               f"--web.listen-address=127.0.0.1:{port}", "--log.level=debug", "--cache.ttl=1s",
               f"--path.procfs={tree}/proc", f"--path.sysfs={tree}/sys", f"--path.rootfs={tree}",
               f"--path.udev.data={tree}/udev/data"]
    log_path = os.path.join(workdir, "daemon.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_started(log_path, process)
        scrape_at_cadence(port, arrivals=2)  # the first refreshes, which build what later ones reuse
        dump(process.pid)
        scrape_at_cadence(port, arrivals=12)
        dump(process.pid)
        scrape_otherwise(port, seconds)
        dump(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
    parts = sorted(glob.glob(f"{workdir}/callgrind.out.{process.pid}.*"), key=lambda p: int(p.rsplit(".", 1)[1]))
    if len(parts) < 4:
        sys.exit(f"code_order: callgrind wrote {len(parts)} dumps, not 4")
    start, _, steady, otherwise = (costs(part, binary) for part in parts[:4])
    return start, steady, otherwise


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--tree", required=True, help="the unpacked node_exporter capture")
    parser.add_argument("--seconds", type=int, default=40, help="how long the daemon is scraped")
    parser.add_argument("--output", default=OUTPUT)
    args = parser.parse_args()
    binary = os.path.realpath(args.binary)
    with tempfile.TemporaryDirectory() as workdir:
        start, steady, otherwise = observe(binary, os.path.abspath(args.tree), args.seconds, workdir)
    hot = [name for name, _ in steady.most_common()]
    warm = [name for name, _ in otherwise.most_common() if name not in steady]
    ran = set(steady) | set(otherwise)
    cold_parts = [name + ".cold" for name in hot + warm if name + ".cold" not in ran]
    only_start = sorted(set(start) - ran - set(cold_parts))
    with open(args.output, "w") as out:
        for name in hot + warm + cold_parts + only_start:
            out.write(name + "\n")
    print(f"code_order: {len(hot)} functions run in the steady state, {len(warm)} more in other scrapes, "
          f"{len(only_start)} only to start; written to {os.path.relpath(args.output)}")


if __name__ == "__main__":
    main()
