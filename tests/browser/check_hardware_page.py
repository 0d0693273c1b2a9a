#!/usr/bin/python3
"""/hardware in a real browser: headless Chromium loads the page from the built daemon on the shared capture.

Checks that the page loads with no console message, script error or request besides the page itself (no script, no
external asset), that every value it shows, as the browser parsed it, is the sample /metrics of the same daemon
serves and is written for people as that number, and saves a screenshot into the artifacts folder.

Usage: check_hardware_page.py <hw_exporter> <node_exporter capture> <artifacts folder>
Exit status 77 (skipped) when chromium is not installed. Talks to 127.0.0.1 only; stops the daemon and the browser
it started, by their process ids, within its time limit.
"""

import base64
import ctypes
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from loopback_port import free_port  # noqa: E402

import websocket  # Debian's python3-websocket

SKIP = 77
PR_SET_CHILD_SUBREAPER = 36
TIME_LIMIT = 120  # seconds for the whole check
WINDOW = (1280, 2000)


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8", "replace")


def wait_for(what, condition, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.1)
    fail("timed out waiting for " + what)


def start_daemon(binary, tree, port):
    arguments = [binary, f"--web.listen-address=127.0.0.1:{port}", f"--path.procfs={tree}/proc",
                 f"--path.sysfs={tree}/sys", f"--path.rootfs={tree}", f"--path.udev.data={tree}/udev/data"]
    daemon = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def every_collector_refreshed():
        stats = json.loads(get(base + "/cache/stats"))
        return all(c["refreshes"] > 0 for c in stats["family_cache"]["collectors"])

    wait_for("the daemon's first refreshes", every_collector_refreshed, 20)
    return daemon, base


def start_browser(profile):
    """Chromium with its DevTools endpoint on a loopback port of its own choice, in a process group of its own."""
    arguments = ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--metrics-recording-only", "--remote-debugging-address=127.0.0.1",
                 "--remote-debugging-port=0", f"--user-data-dir={profile}",
                 f"--window-size={WINDOW[0]},{WINDOW[1]}", "about:blank"]
    browser = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    active_port = os.path.join(profile, "DevToolsActivePort")
    wait_for("chromium's DevTools port", lambda: os.path.exists(active_port) and
             len(open(active_port).read().split("\n")) >= 2, 30)
    port = int(open(active_port).read().split("\n")[0])
    targets = json.loads(get(f"http://127.0.0.1:{port}/json/list"))
    pages = [t for t in targets if t.get("type") == "page"]
    if not pages:
        fail("chromium opened no page")
    return browser, pages[0]["webSocketDebuggerUrl"]


class DevTools:
    """The DevTools protocol over the page's websocket: commands, and every event kept for later."""

    def __init__(self, url):
        self.socket = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    fail(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_event(self, method, limit=30):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if any(e.get("method") == method for e in self.events):
                return
            self.events.append(json.loads(self.socket.recv()))
        fail("no " + method)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            fail(f"evaluating {expression}: {result['exceptionDetails']}")
        return result["result"]["value"]


# What the page shows, read from the DOM the browser built: each <data> element's value, title and text.
SHOWN = "Array.from(document.querySelectorAll('data')).map(d => [d.value, d.title, d.textContent])"


def scraped_samples(text):
    """series -> value text, from a text-format body."""
    samples = {}
    for line in text.split("\n"):
        if line and not line.startswith("#"):
            series, _, value = line.rpartition(" ")
            samples[series] = value
    return samples


def check_people_text(series, value, text):
    """Temperatures and fans: the text is the value rounded for people, with its unit."""
    units = {"node_hwmon_temp_celsius": ("°C", 0.05), "node_thermal_zone_temp": ("°C", 0.05),
             "node_hwmon_fan_rpm": ("rpm", 0.5)}
    name = series.split("{")[0]
    if name not in units:
        return
    unit, tolerance = units[name]
    match = re.fullmatch(r"(-?[0-9.]+) " + unit, text)
    if not match or abs(float(match.group(1)) - float(value)) > tolerance:
        fail(f"{series}: shows {text!r} for {value}")


def check_values(shown, samples):
    temperatures = fans = 0
    for value, series, text in shown:
        if series not in samples:
            fail(f"{series} is shown but not in /metrics")
        # A collector's data age moves with every render, its last success with every refresh; the rest is the
        # capture's.
        if not series.startswith("hw_exporter_collector_") and samples[series] != value:
            fail(f"{series}: the page shows {value}, /metrics {samples[series]}")
        check_people_text(series, value, text)
        temperatures += series.startswith(("node_hwmon_temp_celsius{", "node_thermal_zone_temp{"))
        fans += series.startswith("node_hwmon_fan_rpm{")
    if temperatures < 13 or fans < 3:
        fail(f"expected the capture's temperatures and fans, saw {temperatures} and {fans}")
    return temperatures, fans


def check_quiet(devtools, page_url):
    """No console message, no script error, no request but the page's own."""
    for event in devtools.events:
        method = event.get("method")
        params = event.get("params", {})
        if method in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown"):
            fail(f"console: {json.dumps(params)[:500]}")
        if method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            fail(f"console {params['entry']['level']}: {params['entry'].get('text')} {params['entry'].get('url')}")
        if method == "Network.requestWillBeSent" and params["request"]["url"] != page_url:
            fail("the page requested " + params["request"]["url"])


def check_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        fail(path + " is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    # A blank page compresses to a few kilobytes; tables of text do not.
    if (width, height) != WINDOW or len(data) < 50_000:
        fail(f"{path}: {width}x{height}, {len(data)} bytes: not the page")
    return width, height, len(data)


def stop(process, group=False):
    """Ends a process this script started; with group, also what it started in its process group (chromium's
    renderers and helpers), which may outlive it by a moment."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM) if group else process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if group:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # the whole group is gone


def reap_children():
    """Waits for every process left to this script (the browser's helpers, reparented here), at most 10 s."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            time.sleep(0.05)


def main():
    binary, tree, artifacts = sys.argv[1:4]
    if shutil.which("chromium") is None:
        print("chromium is not installed: skipped")
        return SKIP
    if not os.path.isdir(os.path.join(tree, "sys")):
        fail("no capture at " + tree)

    def out_of_time(*_):
        raise TimeoutError(f"over {TIME_LIMIT} s")

    # Chromium's helpers that outlive the browser by a moment come back to this script, which reaps them: none is
    # left behind, not even as a zombie.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(TIME_LIMIT)
    os.makedirs(artifacts, exist_ok=True)
    daemon = browser = None
    with tempfile.TemporaryDirectory() as profile:
        try:
            daemon, base = start_daemon(binary, tree, free_port())
            browser, page_socket = start_browser(profile)
            devtools = DevTools(page_socket)
            for domain in ("Page", "Runtime", "Log", "Network"):
                devtools.call(domain + ".enable")
            # The window's size inside, exactly, whatever room the headless window keeps for itself.
            devtools.call("Emulation.setDeviceMetricsOverride", width=WINDOW[0], height=WINDOW[1],
                          deviceScaleFactor=1, mobile=False)
            page_url = base + "/hardware"
            devtools.call("Page.navigate", url=page_url)
            devtools.wait_event("Page.loadEventFired")
            shown = devtools.evaluate(SHOWN)
            scripts = devtools.evaluate("document.scripts.length")
            title = devtools.evaluate("document.title")
            screenshot = os.path.join(artifacts, "hardware_page.png")
            png = devtools.call("Page.captureScreenshot", format="png")
            with open(screenshot, "wb") as file:
                file.write(base64.b64decode(png["data"]))
            time.sleep(0.5)  # let late console or network events arrive before judging them
            devtools.socket.settimeout(0.2)
            try:
                while True:
                    devtools.events.append(json.loads(devtools.socket.recv()))
            except websocket.WebSocketTimeoutException:
                pass
            samples = scraped_samples(get(base + "/metrics"))
            devtools.socket.close()
        finally:
            if browser:
                stop(browser, group=True)
            if daemon:
                stop(daemon)
            reap_children()
    check_quiet(devtools, page_url)
    if title != "hw_exporter: hardware" or scripts != 0:
        fail(f"title {title!r}, {scripts} scripts")
    temperatures, fans = check_values(shown, samples)
    width, height, size = check_png(screenshot)
    print(f"ok: {len(shown)} values equal to /metrics ({temperatures} temperatures, {fans} fans), no console "
          f"message, screenshot {screenshot} {width}x{height} ({size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
