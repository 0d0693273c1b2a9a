"""A free TCP port of 127.0.0.1 for a test's daemon, chosen below the kernel's ephemeral ports.

The kernel hands out ports of its ephemeral range (ip_local_port_range) both to a listener on port 0 and to the
local end of every outgoing connection, so a port it chose a moment ago may be another test's client connection by
the time a daemon binds it. Below that range it hands out none.
"""
import itertools
import os
import socket
import time


def _lowest_ephemeral_port():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as port_range:
            return int(port_range.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


_END = _lowest_ephemeral_port()
_FIRST = _END // 2
# Each process starts at its own place, so that tests running side by side rarely try the same port.
_NEXT = itertools.count(os.getpid() * 7919 + time.monotonic_ns())


def free_port():
    count = _END - _FIRST
    for _ in range(count):
        port = _FIRST + next(_NEXT) % count
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise OSError(f"no free loopback port in [{_FIRST}, {_END})")
