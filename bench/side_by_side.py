#!/usr/bin/env python3
"""Two (or more) hw_exporter builds, or one build under two environments, side by side in the steady state: what
each pays per day and which of its threads pays it.

Each daemon runs on the capture and is scraped by its own n threads every t seconds as in steady_state.py, the
daemons' phases spread over the interval (1/n of it divided among them), so that no daemon's work lands on
another's. After the warm-up, each thread's CPU time (schedstat) and voluntary context switches are read at the
start and the end of the window. A build given as ENV@PATH runs with GLIBC_TUNABLES=ENV. The daemon listed first
has its work follow no other's in the interval: on a machine where a wake after a pause is dear, that position
costs more, so compare two runs with the order swapped.

  side_by_side.py [--scrapers 2] [--interval-s 15] [--warm-up-s 45] [--window-s 420] --tree T BUILD BUILD...

Everything started is stopped by pid.
"""

import argparse
import collections
import os
import threading
import time
from contextlib import ExitStack

from harness import Commands, free_port, server, status_kib, wait_ready
from steady_state import Scraper


def per_thread(pid):
    """CPU nanoseconds and voluntary context switches of the process's threads, summed by thread name."""
    cpu_ns, switches = collections.Counter(), collections.Counter()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as comm:
                name = comm.read().strip()
            with open(f"/proc/{pid}/task/{task}/schedstat") as schedstat:
                cpu_ns[name] += int(schedstat.read().split()[0])
            with open(f"/proc/{pid}/task/{task}/status") as status:
                switches[name] += int(status.read().split("voluntary_ctxt_switches:")[1].split()[0])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass  # a thread that ended meanwhile
    return cpu_ns, switches


def start(stack, build, tree, log_path):
    """Starts the build (ENV@PATH or PATH) on the capture; returns its process and port."""
    environment, _, path = build.rpartition("@")
    env = dict(os.environ)
    env.pop("GLIBC_TUNABLES", None)
    if environment:
        env["GLIBC_TUNABLES"] = environment
    port = free_port()
    command = Commands(argparse.Namespace(tree=tree, hw_exporter=path)).hw_exporter(port)
    process = stack.enter_context(server(command, log_path, env=env))
    wait_ready(port, process)
    return process, port


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scrapers", type=int, default=2)
    parser.add_argument("--interval-s", type=float, default=15.0)
    parser.add_argument("--warm-up-s", type=float, default=45.0)
    parser.add_argument("--window-s", type=float, default=420.0)
    parser.add_argument("--tree", required=True)
    parser.add_argument("--log", default="/dev/null")
    parser.add_argument("builds", nargs="+")
    args = parser.parse_args()

    stop = threading.Event()
    with ExitStack() as stack:
        runs = []
        for position, build in enumerate(args.builds):
            process, port = start(stack, build, args.tree, args.log)
            spacing = args.interval_s / args.scrapers
            scrapers = [Scraper(port, args.interval_s, spacing * i + spacing / len(args.builds) * position, stop)
                        for i in range(args.scrapers)]
            runs.append((build, process, scrapers))
        for _, _, scrapers in runs:
            for scraper in scrapers:
                scraper.start()
        try:
            time.sleep(args.warm_up_s)
            before = [per_thread(process.pid) for _, process, _ in runs]
            started = time.monotonic()
            time.sleep(args.window_s)
            elapsed = time.monotonic() - started
            after = [per_thread(process.pid) for _, process, _ in runs]
        finally:
            stop.set()
        for (build, process, scrapers), (cpu0, cs0), (cpu1, cs1) in zip(runs, before, after):
            total_ns = sum(cpu1.values()) - sum(cpu0.values())
            print(f"{build}: {total_ns / 1e9 / elapsed * 86400:.1f} s/day, "
                  f"{sum(s.scrapes for s in scrapers)} scrapes, RSS {status_kib(process.pid, 'VmRSS') / 1024:.1f} MiB")
            for name in sorted(cpu1):
                spent = cpu1[name] - cpu0.get(name, 0)
                if spent > 0:
                    print(f"  {name:16s} {spent / 1e6:8.1f} ms  {cs1[name] - cs0.get(name, 0):5d} wakes")


if __name__ == "__main__":
    main()
