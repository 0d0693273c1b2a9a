#!/usr/bin/env python3
"""Checks that the SystemCallFilter= of deploy/hw_exporter.service allows every system call the exporter makes.

Runs the built exporter on this host's /proc and /sys with its default collectors and the example config, under
strace, on a port of 127.0.0.1 the kernel picks; scrapes it a few times (identity and gzip) and waits until every
collector has refreshed; stops it with SIGTERM; then expands the unit's filter with `systemd-analyze
syscall-filter` as systemd would and fails naming each call the filter would refuse.

usage: check_syscall_filter.py UNIT BINARY CONFIG
Exits 77 (skipped) when strace cannot trace here (a container without ptrace).
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP = 77
START_TIMEOUT = 15.0  # seconds until the exporter serves
REFRESH_TIMEOUT = 20.0  # seconds until every collector has refreshed once
STOP_TIMEOUT = 10.0  # seconds from SIGTERM to exit (the unit's TimeoutStopSec=)

# Allowed in allow-list mode whatever the filter says (systemd.exec(5)), besides the @default group systemd adds.
IMPLICITLY_ALLOWED = {"execve", "exit", "exit_group", "getrlimit", "rt_sigreturn", "sigreturn", "clock_gettime",
                      "clock_getres", "gettimeofday", "time", "nanosleep", "clock_nanosleep"}


def unit_settings(unit_path, key):
    """The values of every `key=` line of the unit's [Service] section, in order."""
    values, section = [], None
    with open(unit_path) as unit:
        for line in unit:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line
            elif section == "[Service]" and line.split("=", 1)[0].strip() == key:
                values.append(line.split("=", 1)[1].strip())
    return values


def syscall_groups():
    """Each @group of `systemd-analyze syscall-filter` with its members (calls and nested @groups)."""
    output = subprocess.run(["systemd-analyze", "syscall-filter"], check=True, capture_output=True,
                            text=True).stdout
    groups, current = {}, None
    for line in output.splitlines():
        if re.fullmatch(r"@[\w-]+", line):
            current = groups.setdefault(line, set())
        elif line.startswith("#"):  # the closing list of calls in no group
            current = None
        elif current is not None and line.strip() and not line.strip().startswith("#"):
            current.add(line.strip())
    return groups


def expand(name, groups, seen=()):
    if not name.startswith("@"):
        return {name}
    if name not in groups:
        sys.exit(f"SystemCallFilter names {name}, which systemd-analyze syscall-filter does not know")
    calls = set()
    for member in groups[name]:
        if member not in seen:
            calls |= expand(member, groups, seen + (name,))
    return calls


def effective_filter(assignments, groups):
    """(allow_list, calls, errors): systemd's reading of the SystemCallFilter= lines. The first non-empty one decides
    the mode; in allow-list mode, later ~ lists remove calls, in deny-list mode later plain lists remove calls. An
    empty assignment resets. errors: the deny-listed calls with an ":errno" of their own, which they fail with."""
    allow_list, calls, errors = None, set(), {}
    for value in assignments:
        if not value:
            allow_list, calls, errors = None, set(), {}
            continue
        invert = value.startswith("~")
        if allow_list is None:
            allow_list = not invert
            if allow_list:
                calls |= expand("@default", groups) | IMPLICITLY_ALLOWED
        for item in value.lstrip("~").split():
            name, _, error = item.partition(":")
            listed = expand(name, groups)
            if invert != allow_list:
                calls |= listed
                if not allow_list and error:
                    errors.update(dict.fromkeys(listed, error))
            else:
                calls -= listed
    return allow_list, calls, errors


def get(url, gzip=False):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def main():
    unit, binary, config = sys.argv[1:4]
    probe = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"strace cannot trace here: {probe.stderr.strip()}: skipped")
        return SKIP

    with tempfile.TemporaryDirectory() as work:
        trace_path, log_path = os.path.join(work, "trace"), os.path.join(work, "log")
        # The notification socket and watchdog interval systemd would give it (nothing listens on the socket), so
        # that the calls of those paths are traced too.
        # RUNTIME_DIRECTORY too, where the profiles of SIGUSR2 go.
        env = dict(os.environ, NOTIFY_SOCKET=os.path.join(work, "notify"), WATCHDOG_USEC="2000000",
                   RUNTIME_DIRECTORY=work)
        env.pop("WATCHDOG_PID", None)
        with open(log_path, "w") as log:
            tracer = subprocess.Popen(
                ["strace", "-f", "-qq", "-e", "trace=all", "-o", trace_path, binary, f"--config.file={config}",
                 "--web.listen-address=127.0.0.1:0", "--log.level=debug"],
                stdout=log, stderr=log, env=env, start_new_session=True)
        try:
            status = exercise(tracer, log_path)
        finally:
            exit_status = stop(tracer)
        if status:
            return status
        if exit_status != 0:
            print(open(log_path).read(), file=sys.stderr)
            print(f"the exporter exited with status {exit_status} on SIGTERM", file=sys.stderr)
            return 1
        with open(trace_path) as trace:
            used = traced_calls(trace)

    allow_list, calls, errors = effective_filter(unit_settings(unit, "SystemCallFilter"), syscall_groups())
    if allow_list is None:
        print(f"{unit} has no SystemCallFilter=: nothing to check")
        return 0
    refused = sorted(used - calls if allow_list else used & calls)
    default_error = (unit_settings(unit, "SystemCallErrorNumber") or ["kill"])[-1]
    print(f"the exporter made {len(used)} distinct system calls: {' '.join(sorted(used))}")
    if refused:
        for call in refused:
            error = errors.get(call, default_error)
            outcome = "kills the exporter with SIGSYS" if error == "kill" else f"fails with {error}"
            print(f"{unit}: SystemCallFilter= refuses {call}, which {outcome}", file=sys.stderr)
        return 1
    print(f"{unit}'s SystemCallFilter= allows all of them")
    return 0


def exercise(tracer, log_path):
    """Waits for the port, scrapes, reloads, waits for every collector; 0, or the exit status of a failure."""
    deadline = time.monotonic() + START_TIMEOUT
    port = None
    while port is None:
        if tracer.poll() is not None or time.monotonic() > deadline:
            print(open(log_path).read(), file=sys.stderr)
            print("the exporter did not start serving", file=sys.stderr)
            return 1
        match = re.search(r'msg="hw_exporter started".* on ports? (\d+)', open(log_path).read())
        port = match and match.group(1)
        time.sleep(0.1)
    base = f"http://127.0.0.1:{port}"
    for path in ("/", "/-/healthy", "/cache/stats"):
        get(base + path)
    # A reload (systemctl reload sends SIGHUP), so that its calls are traced too.
    signal_exporter(tracer, signal.SIGHUP)
    while 'msg="configuration reloaded"' not in open(log_path).read():
        if tracer.poll() is not None or time.monotonic() > deadline + START_TIMEOUT:
            print(open(log_path).read(), file=sys.stderr)
            print("the exporter did not reload on SIGHUP", file=sys.stderr)
            return 1
        time.sleep(0.1)
    # Profiling on (SIGUSR2) for the scrapes below, so that the profiler's calls (its timer, its signal, writing the
    # profile) are traced too; off again at the end.
    signal_exporter(tracer, signal.SIGUSR2)
    deadline = time.monotonic() + REFRESH_TIMEOUT
    while True:
        body = get(base + "/metrics").decode()
        get(base + "/metrics", gzip=True)
        waiting = re.findall(r'^hw_exporter_collector_success\{collector="([^"]+)"\} 0$', body, re.M)
        if not waiting:
            break
        if time.monotonic() > deadline:
            # Outside any sandbox, so not the filter's doing; the calls made so far are still checked.
            print(f"collectors without a successful refresh on this host: {' '.join(waiting)}")
            break
        time.sleep(1)
    signal_exporter(tracer, signal.SIGUSR2)
    while 'msg="profiling stopped"' not in open(log_path).read():
        if tracer.poll() is not None or time.monotonic() > deadline + START_TIMEOUT:
            print(open(log_path).read(), file=sys.stderr)
            print("the exporter did not stop profiling on the second SIGUSR2", file=sys.stderr)
            return 1
        time.sleep(0.1)
    return 0


def signal_exporter(tracer, number):
    for pid in exporter_pids(tracer):
        os.kill(pid, number)


def exporter_pids(tracer):
    """The exporter: strace's child."""
    children = subprocess.run(["pgrep", "-P", str(tracer.pid)], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in children]


def stop(tracer):
    """SIGTERM to the exporter, strace's child (strace itself ignores it), then SIGKILL to strace's session if they
    have not ended in time. strace's exit status, which is the exporter's."""
    if tracer.poll() is None:
        for pid in exporter_pids(tracer):
            os.kill(pid, signal.SIGTERM)
        try:
            tracer.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            print("the exporter did not stop within the unit's TimeoutStopSec", file=sys.stderr)
            os.killpg(tracer.pid, signal.SIGKILL)
            tracer.wait()
    return tracer.returncode


def traced_calls(trace):
    """The names of the calls in strace -f output: "PID name(...", "PID <... name resumed>"."""
    calls = set()
    for line in trace:
        match = re.match(r"\d+ +(?:<\.\.\. )?([a-z0-9_]+)(?:\(| resumed>)", line)
        if match:
            calls.add(match.group(1))
    return calls


if __name__ == "__main__":
    sys.exit(main())
