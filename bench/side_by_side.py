#!/usr/bin/env python3
"""Two (or more) hw_exporter builds, or one build under two environments, side by side in the steady state: what
each pays per day and which of its threads pays it.

Each daemon runs on the capture and is scraped by its own n threads every t seconds as in steady_state.py, the
daemons' phases spread over the interval (1/n of it divided among them), so that no daemon's work lands on
another's. After the warm-up, each thread's CPU time (schedstat) and voluntary context switches are read at the
start and the end of the window. A build given as ENV@PATH runs with GLIBC_TUNABLES=ENV. The daemon listed first
has its work follow no other's in the interval: on a machine where a wake after a pause is dear, that position
costs more, so compare two runs with the order swapped.

  side_by_side.py [--scrapers 2] [--interval-s 15] [--warm-up-s 45] [--window-s 420] [--pages]
                  [--node-exporter PATH] --tree T BUILD...

With --node-exporter, node_exporter runs beside them, listed last, with the collectors the first build runs, and
is scraped and measured the same way: what the same interval costs it, and with --pages what it touches.

With --pages, each daemon's accessed bits are cleared at the start of every interval of the window
(/proc/<pid>/clear_refs) and its pages referenced by the interval's end summed by mapping (`Referenced` in
/proc/<pid>/smaps): on a machine where a page touched after a pause is what a wake costs, that count, unlike the
CPU time, hardly moves with the hour. Clearing the bits costs the daemon CPU, so its CPU figures are not comparable
with a run without --pages.

Everything started is stopped by pid.
"""

import argparse
import collections
import os
import threading
import time
from contextlib import ExitStack

from harness import Commands, enabled_collectors, free_port, get, server, status_kib, wait_ready
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


def mapping_kind(line, binary):
    """What a mapping line of smaps maps, for the pages-touched report: the daemon's code, a library's, the heap."""
    fields = line.split()
    path = fields[5] if len(fields) > 5 else ""
    if path == binary:
        return "exporter"
    if path.startswith("/"):
        return os.path.basename(path).split(".so")[0]
    return path or "anonymous"  # [heap], [stack]; an unnamed mapping is an arena, a thread's stack or an mmap


def referenced_kib(pid, binary):
    """KiB of the process's pages whose accessed bit is set, by mapping kind."""
    kib, kind = collections.Counter(), None
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            if line[0] in "0123456789abcdef" and "-" in line.split()[0]:
                kind = mapping_kind(line, binary)
            elif line.startswith("Referenced:"):
                kib[kind] += int(line.split()[1])
    return kib


def clear_referenced(pid):
    with open(f"/proc/{pid}/clear_refs", "w") as clear_refs:
        clear_refs.write("1")


def pages_over(runs, intervals, interval_s):
    """Each daemon's KiB touched per interval by mapping kind, averaged over `intervals` intervals."""
    totals = [collections.Counter() for _ in runs]
    for _ in range(intervals):
        for _, process, _, binary in runs:
            clear_referenced(process.pid)
        time.sleep(interval_s)
        for total, (_, process, _, binary) in zip(totals, runs):
            total.update(referenced_kib(process.pid, binary))
    return [{kind: kib / intervals for kind, kib in total.items()} for total in totals]


def start(stack, command, log_path, port, env=None):
    """Starts a server; returns its process once it answers on /metrics."""
    process = stack.enter_context(server(command, log_path, env=env))
    wait_ready(port, process)
    return process


def start_build(stack, build, tree, log_path):
    """Starts the build (ENV@PATH or PATH) on the capture; returns its process and port."""
    environment, _, path = build.rpartition("@")
    env = dict(os.environ)
    env.pop("GLIBC_TUNABLES", None)
    if environment:
        env["GLIBC_TUNABLES"] = environment
    port = free_port()
    command = Commands(argparse.Namespace(tree=tree, hw_exporter=path)).hw_exporter(port)
    return start(stack, command, log_path, port, env), port


def start_node_exporter(stack, path, tree, hw_exporter_port, log_path):
    """Starts node_exporter on the capture with the collectors the daemon on hw_exporter_port runs."""
    collectors = [name.decode() for name in enabled_collectors(get(hw_exporter_port)[1])]
    port = free_port()
    command = Commands(argparse.Namespace(tree=tree, node_exporter=path)).node_exporter(port, collectors)
    return start(stack, command, log_path, port), port


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scrapers", type=int, default=2)
    parser.add_argument("--interval-s", type=float, default=15.0)
    parser.add_argument("--warm-up-s", type=float, default=45.0)
    parser.add_argument("--window-s", type=float, default=420.0)
    parser.add_argument("--tree", required=True)
    parser.add_argument("--log", default="/dev/null")
    parser.add_argument("--pages", action="store_true", help="count the pages each interval touches")
    parser.add_argument("--node-exporter", help="node_exporter's binary, to run beside the builds")
    parser.add_argument("builds", nargs="+")
    args = parser.parse_args()

    stop = threading.Event()
    with ExitStack() as stack:
        servers = []  # (name, process, port, binary)
        for build in args.builds:
            process, port = start_build(stack, build, args.tree, args.log)
            servers.append((build, process, port, os.path.realpath(build.rpartition("@")[2])))
        if args.node_exporter:
            process, port = start_node_exporter(stack, args.node_exporter, args.tree, servers[0][2], args.log)
            servers.append((args.node_exporter, process, port, os.path.realpath(args.node_exporter)))
        spacing = args.interval_s / args.scrapers
        runs = []
        for position, (name, process, port, binary) in enumerate(servers):
            scrapers = [Scraper(port, args.interval_s, spacing * i + spacing / len(servers) * position, stop)
                        for i in range(args.scrapers)]
            runs.append((name, process, scrapers, binary))
        for _, _, scrapers, _ in runs:
            for scraper in scrapers:
                scraper.start()
        try:
            time.sleep(args.warm_up_s)
            before = [per_thread(process.pid) for _, process, _, _ in runs]
            started = time.monotonic()
            if args.pages:
                touched = pages_over(runs, max(1, int(args.window_s // args.interval_s)), args.interval_s)
            else:
                time.sleep(args.window_s)
            elapsed = time.monotonic() - started
            after = [per_thread(process.pid) for _, process, _, _ in runs]
        finally:
            stop.set()
        for index, ((build, process, scrapers, _), (cpu0, cs0), (cpu1, cs1)) in enumerate(zip(runs, before, after)):
            total_ns = sum(cpu1.values()) - sum(cpu0.values())
            print(f"{build}: {total_ns / 1e9 / elapsed * 86400:.1f} s/day, "
                  f"{sum(s.scrapes for s in scrapers)} scrapes, RSS {status_kib(process.pid, 'VmRSS') / 1024:.1f} MiB")
            for name in sorted(cpu1):
                spent = cpu1[name] - cpu0.get(name, 0)
                if spent > 0:
                    print(f"  {name:16s} {spent / 1e6:8.1f} ms  {cs1[name] - cs0.get(name, 0):5d} wakes")
            if args.pages:
                kinds = sorted(touched[index].items(), key=lambda item: -item[1])
                print(f"  touched per interval: {sum(touched[index].values()):.0f} KiB: "
                      + ", ".join(f"{kind} {kib:.0f}" for kind, kib in kinds if kib >= 4))


if __name__ == "__main__":
    main()
