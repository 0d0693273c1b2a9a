#!/usr/bin/python3
"""Checks the Grafana dashboard deploy/grafana/hw_exporter_host.json, first as a document, then against real data.

The document: valid JSON with a schemaVersion; unique panel ids; every panel, row and target on the
`${datasource}` variable, a data source variable of type prometheus; targets with a refId unique in their panel
and an expression; every template variable used, and no query naming one that does not exist; every metric
selector restricted to job="$job" and instance="$instance"; every range (rates) [$__rate_interval].

The data: the built exporter runs on the shared node_exporter capture, with smartctl and ipmitool stand-ins that
print real captured outputs (an ATA hard disk, a SATA SSD and an NVMe drive; an HPE ProLiant's BMC), and a real
Prometheus scrapes it every second over loopback. The $job and $instance variables are resolved as Grafana does
(label_values through the label values API), and every query, with the variables substituted, must return data
within a minute. The same Prometheus loads deploy/'s alert rules, which must all evaluate without error on those
series. Processes are the test's own, on free 127.0.0.1 ports, stopped at the end.

Usage: check_dashboard.py <dashboard.json> <deploy dir> <hw_exporter> <node_exporter capture> <shared fixtures>
Exits 0, 1 with every problem listed, or 77 (skipped) without prometheus or the captures.
"""
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from loopback_port import free_port  # noqa: E402

PROMETHEUS = "/usr/bin/prometheus"
SKIP = 77

# What Grafana puts in place of its own variables; ranges fit a scrape every second.
BUILTINS = {"__rate_interval": "15s", "__interval": "5s", "__range": "1m", "__range_s": "60", "__interval_ms": "5000"}

# Queries allowed to return nothing on the captures, by panel title and refId, each with the reason. The entry
# must still be a query Prometheus accepts, and an entry whose query returns data fails the test (it is no
# longer needed).
ALLOWED_EMPTY = {
    ("IPMI fans", "A"): "the BMC capture used (HPE iLO) reports its fans as duty cycles only (ipmi_fan_speed_ratio, "
                        "query B); no capture at hand has both RPM fans and the power sensors the power panels need",
}

# The captures the stand-ins print, under ../shared/fixtures.
SMARTCTL_OUTPUTS = {
    "/dev/sda": ("sat", "smartctl/sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json"),
    "/dev/sdb": ("sat", "smartctl/sat-Samsung_based_SSDs-SAMSUNG_MZ7LH1T9HMLT-00005-sda.json"),
    "/dev/nvme0": ("nvme", "smartctl/nvme-null-Samsung_SSD_970_EVO_Plus_250GB-nvme0.json"),
}
IPMITOOL_OUTPUT = "ipmitool/hpe-proliant-sensor.txt"

KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
            "inf", "nan"}


# ------------------------------------------------------------------------------------------------ the document

def all_panels(dashboard):
    for panel in dashboard.get("panels", []):
        yield panel
        for inner in panel.get("panels", []):  # a collapsed row holds its panels
            yield inner


def variable_references(text):
    """Names of the variables a text refers to: $name, ${name}, ${name:format}, [[name]]."""
    names = set()
    for match in re.finditer(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]", text):
        name = match.group(1) or match.group(2) or match.group(3)
        if not name.isdigit():  # "$1" in label_replace is a regular expression's group
            names.add(name)
    return names


def bare_metric_names(expr):
    """Identifiers of an expression that can only be metric names written without a selector."""
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', expr)  # strings
    text = re.sub(r"\{[^{}]*\}", "{}", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "[]", text)  # ranges
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)  # label lists
    names = []
    for match in re.finditer(r"(?<![\w.])[A-Za-z_:][A-Za-z0-9_:]*", text):  # not the unit of 5m, not 1e3's e3
        name = match.group(0)
        following = text[match.end():].lstrip()
        if following.startswith("(") or name.lower() in KEYWORDS:
            continue  # a function, or a keyword
        if following.startswith("{"):
            continue  # a selector, checked on its own
        names.append(name)
    return names


def check_document(dashboard, add):
    if not isinstance(dashboard.get("schemaVersion"), int):
        add("schemaVersion missing or not a number")
    variables = dashboard.get("templating", {}).get("list", [])
    names = [variable.get("name") for variable in variables]
    datasource_variables = [v for v in variables if v.get("type") == "datasource"]
    if [v.get("query") for v in datasource_variables] != ["prometheus"]:
        add("needs exactly one data source variable, of query prometheus")
    expected_datasource = "${%s}" % datasource_variables[0]["name"] if datasource_variables else None

    def datasource_ok(datasource):
        return isinstance(datasource, dict) and datasource.get("uid") == expected_datasource and \
            datasource.get("type") == "prometheus"

    ids = {}
    targets = []
    for panel in all_panels(dashboard):
        where = f"panel {panel.get('id')} ({panel.get('title')!r})"
        if panel.get("id") in ids:
            add(f"{where}: id also used by {ids[panel.get('id')]}")
        ids[panel.get("id")] = panel.get("title")
        grid = panel.get("gridPos", {})
        if not all(isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")) or grid["x"] + grid["w"] > 24:
            add(f"{where}: gridPos {grid} is not within 24 columns")
        if not datasource_ok(panel.get("datasource")):
            add(f"{where}: datasource {panel.get('datasource')} is not the {expected_datasource} variable")
        if panel.get("type") != "row" and not panel.get("targets"):
            add(f"{where}: no targets")
        refs = set()
        for target in panel.get("targets", []):
            ref = target.get("refId")
            if not ref or ref in refs:
                add(f"{where}: refId {ref!r} missing or repeated")
            refs.add(ref)
            if not datasource_ok(target.get("datasource")):
                add(f"{where} {ref}: datasource {target.get('datasource')} is not {expected_datasource}")
            expr = target.get("expr", "")
            if not expr.strip():
                add(f"{where} {ref}: no expression")
                continue
            targets.append((panel.get("title"), ref, expr))
            for unknown in variable_references(expr) - set(names) - set(BUILTINS):
                add(f"{where} {ref}: ${unknown} is no variable")
            for selector in re.findall(r"\{[^{}]*\}", expr):
                if 'job="$job"' not in selector or 'instance="$instance"' not in selector:
                    add(f"{where} {ref}: selector {selector} lacks job=\"$job\" or instance=\"$instance\"")
            for name in bare_metric_names(expr):
                add(f"{where} {ref}: {name} has no selector (job=\"$job\", instance=\"$instance\")")
            unquoted = re.sub(r'"(?:\\.|[^"\\])*"', '""', expr)
            for window in re.findall(r"\[([^\]]*)\]", unquoted):
                if window != "$__rate_interval":
                    add(f"{where} {ref}: range [{window}] instead of [$__rate_interval]")

    # Every variable is used: by a panel, a target or another variable's query.
    for variable in variables:
        elsewhere = json.dumps([p for p in all_panels(dashboard)]) + json.dumps(
            [v.get("query") for v in variables if v is not variable])
        if variable.get("name") not in variable_references(elsewhere):
            add(f"variable {variable.get('name')} is never used")
    return targets, [v for v in variables if v.get("type") == "query"]


# ------------------------------------------------------------------------------------------------ the data

def http_get(port, path, timeout=5):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
        return response.status, response.read().decode()


def api(port, path, **parameters):
    """The data of a Prometheus API answer; raises with Prometheus' error for a refused query."""
    query = urllib.parse.urlencode(parameters, doseq=True)
    try:
        _, body = http_get(port, f"{path}?{query}")
    except urllib.error.HTTPError as error:
        answer = json.loads(error.read().decode() or "{}")
        raise ValueError(answer.get("error", str(error))) from None
    return json.loads(body)["data"]


def write_executable(path, text):
    with open(path, "w") as file:
        file.write(text)
    os.chmod(path, 0o755)
    return path


def quoted(text):
    return "'" + text.replace("'", "'\\''") + "'"


def write_stand_ins(directory, shared):
    """smartctl answers the collector's scan (a list written here: the captures hold none) and, per device, prints
    the captured report of that device; ipmitool answers `sensor` with the captured table."""
    scan = {"json_format_version": [1, 0],
            "smartctl": {"version": [7, 3], "svn_revision": "5338", "exit_status": 0},
            "devices": [{"name": name, "info_name": name, "type": kind, "protocol": "NVMe" if kind == "nvme" else "ATA"}
                        for name, (kind, _) in SMARTCTL_OUTPUTS.items()]}
    cases = "".join(f"  {name}) exec cat {quoted(os.path.join(shared, output))} ;;\n"
                    for name, (_, output) in SMARTCTL_OUTPUTS.items())
    smartctl = write_executable(os.path.join(directory, "smartctl"), f"""#!/bin/sh
if [ "$1 $2" = "--scan-open --json" ]; then
  cat <<'SCAN'
{json.dumps(scan)}
SCAN
  exit 0
fi
for device; do :; done
[ "$1" = --json ] || {{ echo "unexpected arguments: $*" >&2; exit 2; }}
case "$device" in
{cases}esac
echo "no capture for $device" >&2
exit 2
""")
    ipmitool = write_executable(os.path.join(directory, "ipmitool"), f"""#!/bin/sh
[ "$*" = sensor ] || {{ echo "unexpected arguments: $*" >&2; exit 1; }}
exec cat {quoted(os.path.join(shared, IPMITOOL_OUTPUT))}
""")
    return smartctl, ipmitool


def procfs_with_net_dev(directory, capture_proc):
    """The capture's /proc holds no net/dev, which the netdev collector needs: a copy of its tree as symbolic
    links, with net/dev from this host (always there, and moving with the test's own loopback traffic)."""
    if os.path.exists(os.path.join(capture_proc, "net", "dev")):
        return capture_proc
    root = os.path.join(directory, "proc")
    os.makedirs(os.path.join(root, "net"))
    for entry in os.listdir(capture_proc):
        if entry != "net":
            os.symlink(os.path.join(capture_proc, entry), os.path.join(root, entry))
    for entry in os.listdir(os.path.join(capture_proc, "net")):
        os.symlink(os.path.join(capture_proc, "net", entry), os.path.join(root, "net", entry))
    os.symlink("/proc/net/dev", os.path.join(root, "net", "dev"))
    return root


def die_with_parent():
    """For a child: SIGTERM when the test's process ends, however it ends (prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def wait_for(predicate, seconds, process=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            if predicate():
                return True
        except (OSError, ValueError):
            pass
        time.sleep(0.25)
    return False


def stop(process):
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def log_tail(path, lines=30):
    try:
        with open(path, errors="replace") as file:
            return "".join(file.readlines()[-lines:])
    except OSError:
        return ""


def label_values(port, query):
    """Grafana's label_values(metric, label) and label_values(label), through the label values API as it does."""
    match = re.fullmatch(r"\s*label_values\(\s*(?:(.+?)\s*,\s*)?(\w+)\s*\)\s*", query)
    if not match:
        raise ValueError(f"not a label_values() query: {query}")
    selector, label = match.groups()
    parameters = {"match[]": selector} if selector else {}
    return api(port, f"/api/v1/label/{label}/values", **parameters)


def substitute(text, values):
    def replace(match):
        name = match.group(1) or match.group(2) or match.group(3)
        return values.get(name, match.group(0))
    return re.sub(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)\]\]", replace, text)


def check_data(targets, query_variables, arguments, add):
    _, deploy, binary, capture, shared = (os.path.abspath(argument) for argument in arguments)
    if not os.access(PROMETHEUS, os.X_OK):
        print(f"{PROMETHEUS} is not installed (Debian package prometheus): queries not run")
        return SKIP
    for path in (os.path.join(capture, "proc"), os.path.join(shared, IPMITOOL_OUTPUT)):
        if not os.path.exists(path):
            print(f"{path} is missing (the shared captures, ../shared/fixtures): queries not run")
            return SKIP

    work = tempfile.mkdtemp(prefix="check_dashboard.")
    daemon = prometheus = None
    try:
        smartctl, ipmitool = write_stand_ins(work, shared)
        port = free_port()
        daemon_log = os.path.join(work, "hw_exporter.log")
        with open(daemon_log, "w") as log:
            daemon = subprocess.Popen(
                [binary, f"--web.listen-address=127.0.0.1:{port}",
                 f"--path.procfs={procfs_with_net_dev(work, os.path.join(capture, 'proc'))}",
                 f"--path.sysfs={capture}/sys", f"--path.rootfs={capture}", f"--path.udev.data={capture}/udev/data",
                 "--collector.smartctl", f"--collector.smartctl.path={smartctl}",
                 "--collector.ipmi", f"--collector.ipmi.path={ipmitool}",
                 # lo included: the only interface every test host has
                 "--collector.netdev.device-exclude=^$"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        if not wait_for(lambda: http_get(port, "/-/healthy")[0] == 200, 15, daemon):
            add(f"hw_exporter did not come up:\n{log_tail(daemon_log)}")
            return 1

        prometheus_port = free_port()
        rule_files = [os.path.join(deploy, name) for name in sorted(os.listdir(deploy)) if name.endswith("alerts.yml")]
        config = os.path.join(work, "prometheus.yml")
        with open(config, "w") as file:
            file.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                       "rule_files:\n" + "".join(f"  - {json.dumps(path)}\n" for path in rule_files) +
                       "scrape_configs:\n  - job_name: hw_exporter\n    static_configs:\n"
                       f"      - targets: ['127.0.0.1:{port}']\n")
        prometheus_log = os.path.join(work, "prometheus.log")
        with open(prometheus_log, "w") as log:
            prometheus = subprocess.Popen(
                [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={work}/data",
                 f"--web.listen-address=127.0.0.1:{prometheus_port}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        if not wait_for(lambda: api(prometheus_port, "/api/v1/query", query='up{job="hw_exporter"} == 1'),
                        30, prometheus):
            add(f"Prometheus never scraped hw_exporter:\n{log_tail(prometheus_log)}\n{log_tail(daemon_log)}")
            return 1

        # The variables, in order, each query with the ones before it substituted; the first value is taken.
        values = dict(BUILTINS)
        for variable in query_variables:
            query = variable["query"]["query"] if isinstance(variable["query"], dict) else variable["query"]
            found = []
            wait_for(lambda: found.extend(label_values(prometheus_port, substitute(query, values))) or found, 10)
            if not found:
                add(f"variable {variable['name']}: {query} finds no value")
                return 1
            values[variable["name"]] = found[0]
            print(f"${variable['name']} = {found[0]}")

        # Every query until it returns data, for at most a minute; those allowed to be empty as long as others
        # are pending, then once more.
        pending = {(title, ref): substitute(expr, values) for title, ref, expr in targets}
        errors = {}
        deadline = time.monotonic() + 60
        while any(key not in ALLOWED_EMPTY for key in pending) and time.monotonic() < deadline and \
                prometheus.poll() is None:
            for key, expr in list(pending.items()):
                try:
                    if api(prometheus_port, "/api/v1/query", query=expr)["result"]:
                        del pending[key]
                except ValueError as error:
                    errors[key] = str(error)
                    del pending[key]
            if pending:
                time.sleep(1)
        for key in [key for key in pending if key in ALLOWED_EMPTY]:
            try:
                if api(prometheus_port, "/api/v1/query", query=pending[key])["result"]:
                    del pending[key]
            except ValueError as error:
                errors[key] = str(error)
                del pending[key]
        for (title, ref), error in errors.items():
            add(f"{title!r} {ref}: Prometheus refuses the query: {error}")
        for (title, ref), expr in pending.items():
            if (title, ref) not in ALLOWED_EMPTY:
                add(f"{title!r} {ref}: no data for {expr}")
        if any(key not in ALLOWED_EMPTY for key in pending):
            scrape = api(prometheus_port, "/api/v1/targets")["activeTargets"]
            add("the scrape: " + "; ".join(f"{t['health']} {t['lastError']}" for t in scrape) +
                f"\nPrometheus' log:\n{log_tail(prometheus_log)}\nhw_exporter's log:\n{log_tail(daemon_log)}")
        for (title, ref), reason in ALLOWED_EMPTY.items():
            if (title, ref) not in pending and (title, ref) not in errors:
                add(f"{title!r} {ref} is allowed to be empty, but has data: drop it from ALLOWED_EMPTY")
            elif (title, ref) in pending:
                print(f"{title!r} {ref}: no data, as allowed: {reason}")
        answered = len(targets) - len(pending) - len(errors)
        print(f"{answered} of {len(targets)} queries returned data")

        # The alert rules, evaluated on these series: none may fail (a many-to-many match, a bad function call).
        def rules_evaluated():
            groups = api(prometheus_port, "/api/v1/rules")["groups"]
            rules = [rule for group in groups for rule in group["rules"]]
            return rules and all(not rule.get("lastEvaluation", "0001").startswith("0001") for rule in rules)
        if not wait_for(rules_evaluated, 15, prometheus):
            add("Prometheus has not evaluated every alert rule")
        else:
            rules = [rule for group in api(prometheus_port, "/api/v1/rules")["groups"] for rule in group["rules"]]
            for rule in rules:
                if rule.get("health") != "ok":
                    add(f"alert {rule['name']} fails on the capture's series: {rule.get('lastError')}")
            active = sorted({rule["name"] for rule in rules if rule.get("alerts")})
            print(f"{len(rules)} alert rules evaluated; active on the capture: {', '.join(active) or 'none'}")
        return 0
    finally:
        stop(prometheus)
        stop(daemon)
        shutil.rmtree(work, ignore_errors=True)


def main(arguments):
    if len(arguments) != 5:
        sys.exit(__doc__)
    problems = []
    add = problems.append
    with open(arguments[0]) as file:
        try:
            dashboard = json.load(file)
        except json.JSONDecodeError as error:
            sys.exit(f"{arguments[0]}: not JSON: {error}")
    targets, query_variables = check_document(dashboard, add)
    status = 1 if problems else 0
    if not problems:
        print(f"{arguments[0]}: {len(targets)} queries in {sum(1 for _ in all_panels(dashboard))} panels")
        status = check_data(targets, query_variables, arguments, add)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else status


if __name__ == "__main__":
    # Stopped from outside (ctest's timeout), the processes are stopped too: the finally clause runs on exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main(sys.argv[1:]))
