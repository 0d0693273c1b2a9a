#!/usr/bin/env python3
"""The front door under load: hostile clients, and what TLS and basic auth cost a cached scrape.

1. Hostile clients. With 1,000 connections open that send nothing and 1,000 that send half a request line (with
   TLS: half a client hello), from 16 source addresses (127.0.0.2-17) and again all from one, 20 scrapes from
   127.0.0.1, each on a new connection: their latency, and the server's resident memory before and during.
   hw_exporter with its defaults, with the per-client cap raised past the flood (so that every connection is
   held), and node_exporter 1.5 beside it.
2. A cached scrape over keep-alive (wrk): plain HTTP, TLS, TLS with basic auth, and node_exporter with the same
   web-config file. Ratios against plain HTTP of the same server, measured in the same run.

    bench/front_door.py --hw-exporter build-bench/hw_exporter --tree build-bench/fixtures/node_exporter [--quick]
"""
import argparse
import base64
import os
import resource
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from harness import free_port, status_kib

SOURCES_16 = [f"127.0.0.{i}" for i in range(2, 18)]
# node_exporter's collectors that hw_exporter's defaults replace.
NODE_COLLECTORS = ["cpu", "meminfo", "loadavg", "hwmon", "thermal_zone", "diskstats", "netdev", "stat", "vmstat",
                   "edac", "nvme", "powersupplyclass", "pressure", "rapl", "cpufreq", "filesystem", "dmi"]
USER, PASSWORD = "prometheus", "bench-password"


def bcrypt(password):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt  # deprecated since Python 3.11, still in Debian 12's 3.11
    return crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 10))


def make_pki(directory):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", f"{directory}/server.key", "-out", f"{directory}/server.crt", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)


def web_config(directory, tls, auth):
    text = ""
    if tls:
        text += f"tls_server_config:\n  cert_file: {directory}/server.crt\n  key_file: {directory}/server.key\n"
    if auth:
        text += f"basic_auth_users:\n  {USER}: {bcrypt(PASSWORD)}\n"
    path = f"{directory}/web-{int(tls)}{int(auth)}.yml"
    with open(path, "w") as file:
        file.write(text)
    return path


def client_hello():
    """The first flight of a TLS client, as Python's ssl module writes it."""
    context = ssl.create_default_context()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    connection = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        connection.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


class Server:
    def __init__(self, argv, port, scheme="http"):
        self.port, self.scheme = port, scheme
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.context = ssl._create_unverified_context() if scheme == "https" else None
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                self.get("/metrics", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # an answer, if a refusal (401 without credentials)
            except Exception:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{argv[0]} did not answer")

    def get(self, path, timeout=30, headers=None):
        request = urllib.request.Request(f"{self.scheme}://127.0.0.1:{self.port}{path}", headers=headers or {})
        with urllib.request.urlopen(request, timeout=timeout, context=self.context) as response:
            return response.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def flood(port, sources, idle, half, half_bytes):
    held = []
    for i in range(idle + half):
        s = socket.socket()
        s.bind((sources[i % len(sources)], 0))
        try:
            s.connect(("127.0.0.1", port))
            if i >= idle:
                s.send(half_bytes)
        except OSError:
            pass  # refused or reset: the server's business
        held.append(s)
    return held


def scrape_latencies(server, count):
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        try:
            server.get("/metrics")
            latencies.append(time.perf_counter() - started)
        except Exception:
            latencies.append(float("inf"))
    return latencies


def hostile_clients(args, directory):
    rows = []
    tls_config = web_config(directory, tls=True, auth=False)
    cases = [
        ("hw_exporter (defaults)", lambda port: [args.hw_exporter, *args.paths(port)], "http"),
        ("hw_exporter (cap 2000)", lambda port: [args.hw_exporter, *args.paths(port),
                                                 "--web.max-connections-per-client=2000"], "http"),
        ("hw_exporter TLS (defaults)", lambda port: [args.hw_exporter, *args.paths(port),
                                                     f"--web.config.file={tls_config}"], "https"),
        ("node_exporter 1.5", lambda port: [args.node_exporter, f"--web.listen-address=127.0.0.1:{port}",
                                            "--collector.disable-defaults", "--collector.loadavg",
                                            f"--path.procfs={args.tree}/proc", f"--path.sysfs={args.tree}/sys"],
         "http"),
    ]
    hello = client_hello()
    for name, argv, scheme in cases:
        for sources, label in ((SOURCES_16, "16 addresses"), (["127.0.0.2"], "1 address")):
            port = free_port()
            server = Server(argv(port), port, scheme)
            scrape_latencies(server, 3)
            before = status_kib(server.process.pid, "VmRSS")
            half_bytes = hello[:len(hello) // 2] if scheme == "https" else b"GET /metrics HT"
            try:
                held = flood(port, sources, args.idle, args.half, half_bytes)
                time.sleep(1)
                latencies = scrape_latencies(server, 20)
                during = status_kib(server.process.pid, "VmRSS")
                for s in held:
                    s.close()
            finally:
                server.stop()
            rows.append((name, label, max(latencies), statistics.median(latencies), before, during))
            print(f"  {name}, {label}: slowest {max(latencies) * 1000:.1f} ms, "
                  f"RSS {before} -> {during} KiB", flush=True)
    return rows


def wrk(url, seconds, headers):
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", *sum((["-H", h] for h in headers), []), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(output)


def keep_alive_costs(args, directory):
    auth = "Authorization: Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    tls_only = web_config(directory, tls=True, auth=False)
    tls_auth = web_config(directory, tls=True, auth=True)
    rows = []
    for name, program in (("hw_exporter", args.hw_exporter), ("node_exporter 1.5", args.node_exporter)):
        results = {}
        for label, config, scheme, headers in (("plain HTTP", None, "http", []),
                                               ("TLS", tls_only, "https", []),
                                               ("TLS + basic auth", tls_auth, "https", [auth])):
            port = free_port()
            # Both with their default hardware collectors on the capture: a body of real size.
            argv = ([program, f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn", *args.tree_paths]
                    if program == args.hw_exporter else
                    [program, f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                     "--collector.disable-defaults", *(f"--collector.{c}" for c in NODE_COLLECTORS),
                     *args.tree_paths[:2]])
            if config:
                argv.append(f"--web.config.file={config}")
            server = Server(argv, port, scheme)
            url = f"{scheme}://127.0.0.1:{port}/metrics"
            try:
                wrk(url, 1, headers)  # warm-up: the response cache, and one bcrypt per connection
                results[label] = wrk(url, args.seconds, headers)
            finally:
                server.stop()
            print(f"  {name}, {label}: {results[label]:.0f} req/s", flush=True)
        rows.append((name, results))
    return rows


def report(hostile, keep_alive, args):
    lines = [f"Hostile clients: {args.idle} idle and {args.half} half-sent connections, then 20 scrapes on new "
             "connections from 127.0.0.1.", "",
             "| server | flood from | slowest scrape | median scrape | RSS before | RSS during |",
             "|---|---|---|---|---|---|"]
    for name, label, slowest, median, before, during in hostile:
        shown = "no answer in 30 s" if slowest == float("inf") else f"{slowest * 1000:.1f} ms"
        lines.append(f"| {name} | {label} | {shown} | {median * 1000:.1f} ms | {before / 1024:.1f} MiB | "
                     f"{during / 1024:.1f} MiB |")
    lines += ["", "A cached scrape over keep-alive (wrk, 2 threads, 8 connections):", "",
              "| server | plain HTTP | TLS | TLS + basic auth |", "|---|---|---|---|"]
    for name, results in keep_alive:
        plain = results["plain HTTP"]
        cells = [f"{results[label]:.0f} req/s ({results[label] / plain:.2f})" for label in
                 ("plain HTTP", "TLS", "TLS + basic auth")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hw-exporter", required=True)
    parser.add_argument("--node-exporter", default="/usr/bin/prometheus-node-exporter")
    parser.add_argument("--tree", required=True, help="the unpacked node_exporter capture")
    parser.add_argument("--quick", action="store_true", help="a tenth of the flood, 2 s of load")
    args = parser.parse_args()
    args.idle = args.half = 100 if args.quick else 1000
    args.seconds = 2 if args.quick else 10
    args.tree_paths = [f"--path.procfs={args.tree}/proc", f"--path.sysfs={args.tree}/sys",
                       f"--path.rootfs={args.tree}", f"--path.udev.data={args.tree}/udev/data"]
    args.paths = lambda port: [f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                               "--collector.disable-defaults", "--collector.loadavg", *args.tree_paths]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with tempfile.TemporaryDirectory() as directory:
        make_pki(directory)
        print("hostile clients:", flush=True)
        hostile = hostile_clients(args, directory)
        print("keep-alive costs:", flush=True)
        keep_alive = keep_alive_costs(args, directory)
    report(hostile, keep_alive, args)


if __name__ == "__main__":
    sys.exit(main())
