#!/usr/bin/python3
# Checks deploy/kubernetes/ without a cluster (Debian's python3-kubernetes and python3-yaml live in the system
# interpreter, hence its path above):
# - every object against the Kubernetes API types of the python client: each key must be a field of the model
#   (the client itself ignores unknown keys, which the API server would reject or drop), of the right JSON type,
#   and every field the models require must be there; then the client deserializes it into its model class;
# - the ServiceMonitor, a custom resource the client does not know, against a schema written below from
#   prometheus-operator's documented fields (only those used here, and the required structure);
# - that the pieces fit: the DaemonSet's flags are the exporter's (its --help) and it starts with them, the
#   --path.* flags name the host's trees through read-only hostPath mounts, probes and ports agree, the Service
#   selects the pods, the ServiceMonitor the Service, and both scrape configurations keep the pods under job
#   hw_exporter (the alerts' job) with the node's name as instance;
# - that the probes DaemonSet is the default one plus only what the probes need, and its config file is valid;
# - deploy/prometheus-kubernetes.yml with promtool.
# Usage: check_kubernetes.py <deploy dir> <hw_exporter binary>
import copy
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

import kubernetes.client
import yaml

DEPLOY, BINARY = sys.argv[1], sys.argv[2]
MANIFESTS = os.path.join(DEPLOY, "kubernetes")
SCRAPE_CONFIG = os.path.join(DEPLOY, "prometheus-kubernetes.yml")
ALERTS = os.path.join(DEPLOY, "hw_exporter_alerts.yml")
HEALTHY_PATH = "/-/healthy"
# Where each --path.* flag must lead on the host: the exporter's defaults.
HOST_PATHS = {"path.procfs": "/proc", "path.sysfs": "/sys", "path.rootfs": "/", "path.udev.data": "/run/udev/data"}

errors = []


def fail(message):
    errors.append(message)


# --- Kubernetes API types -------------------------------------------------------------------------------------

MODELS = {("apps/v1", "DaemonSet"): "V1DaemonSet", ("v1", "Service"): "V1Service", ("v1", "ConfigMap"): "V1ConfigMap"}
PRIMITIVES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "datetime": (str,)}


def required_attributes(klass):
    """The attributes whose setter refuses None: the client's models raise for required fields."""
    instance = klass.__new__(klass)
    instance.local_vars_configuration = kubernetes.client.Configuration()
    required = []
    for attribute in klass.openapi_types:
        try:
            setattr(instance, attribute, None)
        except ValueError:
            required.append(attribute)
    return required


def check_value(value, type_name, path):
    if type_name.startswith("list["):
        if not isinstance(value, list):
            return fail(f"{path}: expected a list, got {type(value).__name__}")
        for i, item in enumerate(value):
            check_value(item, type_name[5:-1], f"{path}[{i}]")
    elif type_name.startswith("dict("):
        if not isinstance(value, dict):
            return fail(f"{path}: expected a map, got {type(value).__name__}")
        item_type = type_name[5:-1].split(", ", 1)[1]
        for key, item in value.items():
            check_value(item, item_type, f"{path}.{key}")
    elif type_name == "object":  # IntOrString and free-form fields
        if value is None:
            fail(f"{path}: empty value")
    elif type_name in PRIMITIVES:
        # Python's bool is an int: a YAML true is never taken for a number.
        kinds = PRIMITIVES[type_name]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            fail(f"{path}: expected {type_name}, got {type(value).__name__} {value!r}")
    else:
        check_model(value, type_name, path)


def check_model(value, class_name, path):
    klass = getattr(kubernetes.client.models, class_name)
    if not isinstance(value, dict):
        return fail(f"{path}: expected an object ({class_name}), got {type(value).__name__}")
    by_key = {key: attribute for attribute, key in klass.attribute_map.items()}
    for key, item in value.items():
        if key not in by_key:
            fail(f"{path}.{key}: unknown field of {class_name}")
            continue
        attribute = by_key[key]
        check_value(item, klass.openapi_types[attribute], f"{path}.{key}")
        if klass.openapi_types[attribute] in PRIMITIVES:  # enumerations and patterns the client checks
            instance = klass.__new__(klass)
            instance.local_vars_configuration = kubernetes.client.Configuration()
            try:
                setattr(instance, attribute, item)
            except ValueError as error:
                fail(f"{path}.{key}: {error}")
    for attribute in required_attributes(klass):
        if klass.attribute_map[attribute] not in value:
            fail(f"{path}.{klass.attribute_map[attribute]}: required field of {class_name} missing")


class Raw:
    """What ApiClient.deserialize reads: a response with a JSON body."""

    def __init__(self, document):
        self.data = json.dumps(document)


def check_kubernetes_object(document, where):
    key = (document.get("apiVersion"), document.get("kind"))
    class_name = MODELS[key]
    before = len(errors)
    check_model(document, class_name, where)
    if len(errors) == before:
        try:
            kubernetes.client.ApiClient().deserialize(Raw(document), class_name)
        except (ValueError, TypeError) as error:
            fail(f"{where}: the client cannot build a {class_name}: {error}")


# --- ServiceMonitor (monitoring.coreos.com/v1), from prometheus-operator's API reference ----------------------


class Obj:
    def __init__(self, fields, required=()):
        self.fields, self.required = fields, required


class ListOf:
    def __init__(self, item):
        self.item = item


class Enum:
    def __init__(self, *values):
        self.values = values


class Model:
    def __init__(self, name):
        self.name = name


# Each action in Prometheus' spelling and in the operator's CamelCase one.
RELABEL_ACTIONS = ("Replace", "Keep", "Drop", "HashMod", "LabelMap", "LabelDrop", "LabelKeep", "Lowercase",
                   "Uppercase", "KeepEqual", "DropEqual")
RELABEL_CONFIG = Obj({
    "sourceLabels": ListOf(str), "separator": str, "targetLabel": str, "regex": str, "modulus": int,
    "replacement": str, "action": Enum(*RELABEL_ACTIONS, *(action.lower() for action in RELABEL_ACTIONS)),
})
SERVICE_MONITOR = Obj({
    "apiVersion": Enum("monitoring.coreos.com/v1"),
    "kind": Enum("ServiceMonitor"),
    "metadata": Model("V1ObjectMeta"),
    "spec": Obj({
        "selector": Model("V1LabelSelector"),
        "namespaceSelector": Obj({"any": bool, "matchNames": ListOf(str)}),
        "jobLabel": str,
        "endpoints": ListOf(Obj({
            "port": str, "path": str, "scheme": Enum("http", "https"), "interval": str, "scrapeTimeout": str,
            "relabelings": ListOf(RELABEL_CONFIG), "metricRelabelings": ListOf(RELABEL_CONFIG),
        })),
    }, required=("selector", "endpoints")),
}, required=("apiVersion", "kind", "metadata", "spec"))


def check_schema(value, schema, path):
    if isinstance(schema, Model):
        check_model(value, schema.name, path)
    elif isinstance(schema, Enum):
        if value not in schema.values:
            fail(f"{path}: {value!r} is not one of {', '.join(map(str, schema.values))}")
    elif isinstance(schema, ListOf):
        if not isinstance(value, list):
            return fail(f"{path}: expected a list")
        for i, item in enumerate(value):
            check_schema(item, schema.item, f"{path}[{i}]")
    elif isinstance(schema, Obj):
        if not isinstance(value, dict):
            return fail(f"{path}: expected an object")
        for key, item in value.items():
            if key not in schema.fields:
                fail(f"{path}.{key}: unknown field (or one this check's schema does not know yet)")
            else:
                check_schema(item, schema.fields[key], f"{path}.{key}")
        for key in schema.required:
            if key not in value:
                fail(f"{path}.{key}: required field missing")
    elif not isinstance(value, schema) or (isinstance(value, bool) and schema is not bool):
        fail(f"{path}: expected {schema.__name__}, got {type(value).__name__} {value!r}")


# --- Relabelling, as Prometheus does it (the subset used: replace, keep, drop) -----------------------------------


def relabel(labels, rules):
    """The target's labels after the rules, or None when a rule drops it. Keys are Prometheus' snake_case."""
    labels = dict(labels)
    for rule in rules:
        value = rule.get("separator", ";").join(labels.get(name, "") for name in rule.get("source_labels", []))
        match = re.fullmatch(rule.get("regex", "(.*)"), value)
        action = rule.get("action", "replace").lower()
        if action not in ("replace", "keep", "drop"):
            fail(f"relabelling action {action!r}: not one this check can follow")
        if action == "keep" and not match or action == "drop" and match:
            return None
        if action == "replace" and match:
            replacement = re.sub(r"\$\{?(\d+)\}?", lambda m: match.group(int(m.group(1))) or "",
                                 rule.get("replacement", "$1"))
            labels[rule["target_label"]] = replacement
    return labels


def operator_rules(relabelings):
    keys = {"sourceLabels": "source_labels", "targetLabel": "target_label"}
    return [{keys.get(key, key): value for key, value in rule.items()} for rule in relabelings]


def meta_label(prefix, name):
    return prefix + re.sub(r"[^a-zA-Z0-9_]", "_", name)


# --- Loading ----------------------------------------------------------------------------------------------------


def load_manifests():
    objects = []  # (file relative to deploy/kubernetes, document)
    for directory in (MANIFESTS, os.path.join(MANIFESTS, "probes")):
        for name in sorted(os.listdir(directory)):
            if not name.endswith((".yaml", ".yml")):
                continue
            relative = os.path.relpath(os.path.join(directory, name), MANIFESTS)
            with open(os.path.join(directory, name)) as stream:
                for i, document in enumerate(yaml.safe_load_all(stream)):
                    if document is not None:
                        objects.append((f"{relative}#{i}", document))
    return objects


def find(objects, kind, directory):
    found = [(where, o) for where, o in objects if o.get("kind") == kind and os.path.dirname(where) == directory]
    if len(found) != 1:
        fail(f"expected one {kind} in deploy/kubernetes/{directory}, found {len(found)}")
        return None, {}
    return found[0]


def help_flags():
    output = subprocess.run([BINARY, "--help"], capture_output=True, text=True, check=True).stdout
    flags = set()
    for match in re.finditer(r"^\s+(?:-\w, )?--(\[no-\])?([a-z0-9][a-z0-9._-]*)", output, re.M):
        flags.add(match.group(2))
        if match.group(1):
            flags.add("no-" + match.group(2))
    return flags


def flag_values(args):
    values = {}
    for arg in args:
        name, _, value = arg[2:].partition("=")
        values.setdefault(name, []).append(value)
    return values


# --- Consistency ------------------------------------------------------------------------------------------------


def container_of(daemonset):
    return daemonset["spec"]["template"]["spec"]["containers"][0]


def check_daemonset(where, daemonset, flags):
    pod = daemonset["spec"]["template"]
    spec = pod["spec"]
    container = container_of(daemonset)
    labels = pod["metadata"].get("labels", {})
    for key, value in daemonset["spec"]["selector"].get("matchLabels", {}).items():
        if labels.get(key) != value:
            fail(f"{where}: the selector's {key}={value} is not a label of the pod template")

    args = container.get("args", [])
    for arg in args:
        name = arg[2:].partition("=")[0] if arg.startswith("--") else None
        if name not in flags:
            fail(f"{where}: argument {arg!r} is not a flag of {os.path.basename(BINARY)} (see its --help)")
    values = flag_values(args)

    ports = {port.get("name"): port for port in container.get("ports", [])}
    metrics = ports.get("metrics")
    if metrics is None:
        return fail(f"{where}: no container port named metrics")
    listen = values.get("web.listen-address", [":9877"])
    if [address.rpartition(":")[2] for address in listen] != [str(metrics["containerPort"])]:
        fail(f"{where}: --web.listen-address {listen} is not the metrics port {metrics['containerPort']}")
    for probe_name in ("readinessProbe", "livenessProbe"):
        http = container.get(probe_name, {}).get("httpGet")
        if not http:
            fail(f"{where}: no {probe_name} with httpGet")
        elif http.get("path") != HEALTHY_PATH or http.get("port") not in ("metrics", metrics["containerPort"]):
            fail(f"{where}: {probe_name} asks {http.get('port')}{http.get('path')}, not metrics{HEALTHY_PATH}")
    if values.get("web.telemetry-path", ["/metrics"]) != ["/metrics"]:
        fail(f"{where}: --web.telemetry-path differs from the /metrics the scrape configurations ask for")

    volumes = {volume["name"]: volume for volume in spec.get("volumes", [])}
    mounts = container.get("volumeMounts", [])
    for mount in mounts:
        if "hostPath" in volumes.get(mount["name"], {}) and not mount.get("readOnly"):
            fail(f"{where}: hostPath mount {mount['mountPath']} is not read-only")
    for flag, host_path in HOST_PATHS.items():
        path = values.get(flag, [None])[0]
        if path is None:
            fail(f"{where}: --{flag} not given: the exporter would read the container's own tree")
            continue
        under = [m for m in mounts if path == m["mountPath"] or path.startswith(m["mountPath"].rstrip("/") + "/")]
        mount = max(under, key=lambda m: len(m["mountPath"]), default=None)
        source = volumes.get(mount["name"], {}).get("hostPath", {}).get("path") if mount else None
        if source is None:
            fail(f"{where}: --{flag}={path} is under no hostPath mount")
            continue
        resolved = os.path.normpath(os.path.join(source, path[len(mount["mountPath"]):].lstrip("/")))
        if resolved != host_path:
            fail(f"{where}: --{flag}={path} is the host's {resolved}, not {host_path}")
        if flag == "path.rootfs" and mount.get("mountPropagation") != "HostToContainer":
            fail(f"{where}: the host's root is mounted without mountPropagation HostToContainer")

    resources = container.get("resources", {})
    for kind in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if resource not in resources.get(kind, {}):
                fail(f"{where}: no {resource} in resources.{kind}")
    if not container.get("securityContext", {}).get("readOnlyRootFilesystem"):
        fail(f"{where}: the root filesystem is not read-only")


def check_hardened(where, daemonset):
    security = container_of(daemonset).get("securityContext", {})
    expected = {"runAsNonRoot": True, "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True}
    for key, value in expected.items():
        if security.get(key) is not value:
            fail(f"{where}: securityContext.{key} is not {value}")
    if not isinstance(security.get("runAsUser"), int) or security["runAsUser"] == 0:
        fail(f"{where}: securityContext.runAsUser is not a non-root user")
    if "ALL" not in security.get("capabilities", {}).get("drop", []) or security["capabilities"].get("add"):
        fail(f"{where}: not every capability is dropped")
    if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        fail(f"{where}: seccompProfile is not RuntimeDefault")


def check_probes_variant(where, probes, base, config_maps):
    """The probes DaemonSet is the default one plus --config.file, its ConfigMap volume and the privileges."""
    if (probes["metadata"]["name"], probes["metadata"].get("namespace")) != (
            base["metadata"]["name"], base["metadata"].get("namespace")):
        fail(f"{where}: not named as the default DaemonSet, which it is to replace")
    container = container_of(probes)
    config_file = flag_values(container.get("args", [])).get("config.file", [None])[0]
    if config_file is None:
        return fail(f"{where}: no --config.file")
    volumes = {volume["name"]: volume for volume in probes["spec"]["template"]["spec"].get("volumes", [])}
    config_mount = next((m for m in container.get("volumeMounts", [])
                         if os.path.dirname(config_file) == m["mountPath"].rstrip("/")), None)
    config_map_name = volumes.get(config_mount["name"], {}).get("configMap", {}).get("name") if config_mount else None
    config_map = config_maps.get(config_map_name)
    if config_map is None or os.path.basename(config_file) not in config_map.get("data", {}):
        fail(f"{where}: --config.file={config_file} is not a key of a ConfigMap of deploy/kubernetes/probes/")

    stripped = copy.deepcopy(probes)
    reduced = container_of(stripped)
    reduced["args"] = [arg for arg in reduced["args"] if not arg.startswith("--config.file=")]
    if config_mount:
        reduced["volumeMounts"].remove(config_mount)
        stripped["spec"]["template"]["spec"]["volumes"].remove(volumes[config_mount["name"]])
    reference = copy.deepcopy(base)
    for daemonset in (stripped, reference):
        container_of(daemonset).pop("securityContext", None)
    if stripped != reference:
        fail(f"{where}: differs from daemonset.yaml in more than --config.file, its volume and the securityContext")
    if not container.get("securityContext", {}).get("privileged"):
        fail(f"{where}: not privileged: the probes could not open the device nodes")
    return config_map.get("data", {}).get(os.path.basename(config_file)) if config_map else None


def check_service_and_monitor(service, monitor, daemonset):
    pod_labels = daemonset["spec"]["template"]["metadata"].get("labels", {})
    namespace = daemonset["metadata"].get("namespace")
    if service["metadata"].get("namespace") != namespace:
        fail("service.yaml: not in the DaemonSet's namespace")
    selector = service["spec"].get("selector", {})
    if not selector or any(pod_labels.get(k) != v for k, v in selector.items()):
        fail(f"service.yaml: selector {selector} does not select the DaemonSet's pods {pod_labels}")
    container = container_of(daemonset)
    port_numbers = {port.get("name"): port["containerPort"] for port in container.get("ports", [])}
    service_ports = {port.get("name"): port for port in service["spec"].get("ports", [])}
    metrics = service_ports.get("metrics")
    if metrics is None:
        return fail("service.yaml: no port named metrics")
    if metrics.get("targetPort") not in ("metrics", port_numbers.get("metrics")):
        fail(f"service.yaml: targetPort {metrics.get('targetPort')} is not the container's metrics port")

    spec = monitor.get("spec", {})
    service_labels = service["metadata"].get("labels", {})
    match_labels = spec.get("selector", {}).get("matchLabels", {})
    if not match_labels or any(service_labels.get(k) != v for k, v in match_labels.items()):
        fail(f"servicemonitor.yaml: selector {match_labels} does not select the Service's labels {service_labels}")
    names = spec.get("namespaceSelector", {})
    if not names.get("any") and namespace not in names.get("matchNames", [monitor["metadata"].get("namespace")]):
        fail(f"servicemonitor.yaml: its namespaceSelector leaves out namespace {namespace}")
    job = None
    for i, endpoint in enumerate(spec.get("endpoints", [])):
        where = f"servicemonitor.yaml: endpoints[{i}]"
        if endpoint.get("port") not in service_ports:
            fail(f"{where}: port {endpoint.get('port')!r} is not a port name of the Service")
        if endpoint.get("path", "/metrics") != "/metrics":
            fail(f"{where}: path {endpoint.get('path')} is not /metrics")
        target = {"job": service["metadata"]["name"], "__meta_kubernetes_pod_node_name": "node-a",
                  "instance": "10.0.0.1:9877"}
        result = relabel(target, operator_rules(endpoint.get("relabelings", [])))
        if result is None or result.get("instance") != "node-a":
            fail(f"{where}: relabelings do not set instance to the node's name")
        job = result and result.get("job")
    return job


def check_scrape_config(daemonset):
    """deploy/prometheus-kubernetes.yml: the kubernetes_sd job keeps the DaemonSet's pods and nothing else."""
    with open(SCRAPE_CONFIG) as stream:
        config = yaml.safe_load(stream)
    jobs = [job for job in config.get("scrape_configs", []) if "kubernetes_sd_configs" in job]
    if len(jobs) != 1:
        fail("prometheus-kubernetes.yml: expected one job with kubernetes_sd_configs")
        return None
    job = jobs[0]
    namespace = daemonset["metadata"].get("namespace")
    pod_labels = daemonset["spec"]["template"]["metadata"].get("labels", {})
    for sd in job["kubernetes_sd_configs"]:
        if namespace not in sd.get("namespaces", {}).get("names", [namespace]):
            fail(f"prometheus-kubernetes.yml: its namespaces leave out {namespace}")
        for selector in sd.get("selectors", []):
            for term in selector.get("label", "").split(","):
                key, _, value = term.partition("=")
                if term and pod_labels.get(key.strip()) != value.strip():
                    fail(f"prometheus-kubernetes.yml: selector {term} does not select the DaemonSet's pods")

    def target(port_name, labels, phase="Running"):
        meta = {meta_label("__meta_kubernetes_pod_label_", k): v for k, v in labels.items()}
        meta.update({"__meta_kubernetes_pod_container_port_name": port_name, "__meta_kubernetes_pod_phase": phase,
                     "__meta_kubernetes_pod_node_name": "node-a", "__meta_kubernetes_namespace": namespace,
                     "__address__": "10.0.0.1:9877", "job": job["job_name"]})
        return relabel(meta, job.get("relabel_configs", []))

    kept = target("metrics", pod_labels)
    if kept is None or kept.get("instance") != "node-a":
        fail(f"prometheus-kubernetes.yml: the DaemonSet's pod is not kept with instance node-a: {kept}")
    if target("metrics", {"app.kubernetes.io/name": "other"}) is not None:
        fail("prometheus-kubernetes.yml: keeps another application's pods")
    if target("metrics", pod_labels, phase="Succeeded") is not None:
        fail("prometheus-kubernetes.yml: keeps pods that have stopped")
    return job["job_name"]


# Fields of <kubernetes_sd_config> this file may use (Prometheus' configuration reference), for a promtool built
# without Kubernetes discovery, as Debian's is.
KUBERNETES_SD_CONFIG = Obj({
    "role": Enum("node", "service", "pod", "endpoints", "endpointslice", "ingress"),
    "api_server": str, "kubeconfig_file": str,
    "namespaces": Obj({"own_namespace": bool, "names": ListOf(str)}),
    "selectors": ListOf(Obj({"role": Enum("node", "service", "pod", "endpoints", "endpointslice", "ingress"),
                             "label": str, "field": str}, required=("role",))),
}, required=("role",))


def promtool_check(work):
    """promtool check config on the file as it is; where promtool has no Kubernetes discovery, on a copy with
    each kubernetes_sd_configs replaced by a static target, after checking those blocks against the schema."""
    shutil.copy(ALERTS, work)
    result = subprocess.run(["promtool", "check", "config", SCRAPE_CONFIG], capture_output=True, text=True)
    if result.returncode == 0:
        return print("promtool: prometheus-kubernetes.yml checked")
    if "field kubernetes_sd_configs not found" not in result.stdout + result.stderr:
        return fail(f"promtool check config prometheus-kubernetes.yml:\n{result.stdout}{result.stderr}")
    with open(SCRAPE_CONFIG) as stream:
        config = yaml.safe_load(stream)
    for i, job in enumerate(config.get("scrape_configs", [])):
        for j, sd in enumerate(job.pop("kubernetes_sd_configs", None) or []):
            where = f"prometheus-kubernetes.yml: scrape_configs[{i}].kubernetes_sd_configs[{j}]"
            check_schema(sd, KUBERNETES_SD_CONFIG, where)
            job["static_configs"] = [{"targets": ["node-a:9877"]}]
    substituted = os.path.join(work, "prometheus-kubernetes.yml")
    with open(substituted, "w") as stream:
        yaml.safe_dump(config, stream)
    result = subprocess.run(["promtool", "check", "config", substituted], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"promtool check config prometheus-kubernetes.yml (static targets):\n{result.stdout}{result.stderr}")
    else:
        print("promtool: prometheus-kubernetes.yml checked, its kubernetes_sd_configs against the schema here "
              "(this promtool has no Kubernetes discovery)")


def check_starts(where, args, work, config_text=None):
    """The exporter accepts the DaemonSet's arguments, values included (regexps, durations, the config file), up to
    the log line that says it serves; on loopback and an ephemeral port, with the probes pointed at /bin/false so
    that no disk of this machine is queried."""
    args = [arg for arg in args if not arg.startswith(("--web.listen-address=", "--config.file="))]
    args.append("--web.listen-address=127.0.0.1:0")
    if config_text is not None:
        config_file = os.path.join(work, "hw_exporter.json")
        with open(config_file, "w") as stream:
            stream.write(config_text)
        args += [f"--config.file={config_file}", "--collector.smartctl.path=/bin/false",
                 "--collector.ipmi.path=/bin/false"]
    # Unbuffered, so that select() sees every line that has not been read yet.
    process = subprocess.Popen([BINARY, *args], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, bufsize=0)
    log, started, deadline = [], False, time.monotonic() + 10
    try:
        while not started and time.monotonic() < deadline:
            if not select.select([process.stderr], [], [], 0.2)[0]:
                continue
            line = process.stderr.readline().decode(errors="replace")
            if not line:
                break
            log.append(line)
            started = 'msg="hw_exporter started"' in line
    finally:
        process.terminate()
        process.stderr.close()
        process.wait(timeout=10)
    if not started:
        fail(f"{where}: the exporter did not start with these arguments (status {process.returncode}):\n"
             + "".join(log[-5:]))


def main():
    objects = load_manifests()
    for where, document in objects:
        if (document.get("apiVersion"), document.get("kind")) in MODELS:
            check_kubernetes_object(document, where)
        elif document.get("kind") == "ServiceMonitor":
            check_schema(document, SERVICE_MONITOR, where)
        else:
            fail(f"{where}: {document.get('apiVersion')} {document.get('kind')} is of no type this check knows")
    if errors:  # the consistency checks below assume well-formed objects
        return

    flags = help_flags()
    base_where, base = find(objects, "DaemonSet", "")
    probes_where, probes = find(objects, "DaemonSet", "probes")
    _, service = find(objects, "Service", "")
    _, monitor = find(objects, "ServiceMonitor", "")
    config_maps = {o["metadata"]["name"]: o for w, o in objects
                   if o.get("kind") == "ConfigMap" and os.path.dirname(w) == "probes"}
    if errors:
        return
    check_daemonset(base_where, base, flags)
    check_hardened(base_where, base)
    check_daemonset(probes_where, probes, flags)
    config_text = check_probes_variant(probes_where, probes, base, config_maps)
    monitor_job = check_service_and_monitor(service, monitor, base)
    scrape_job = check_scrape_config(base)
    with open(ALERTS) as stream:
        alert_jobs = set(re.findall(r'job="([^"]*)"', stream.read()))
    for name, job in (("servicemonitor.yaml", monitor_job), ("prometheus-kubernetes.yml", scrape_job)):
        if job not in alert_jobs:
            fail(f"{name}: job {job!r} is not the job hw_exporter_alerts.yml selects ({', '.join(alert_jobs)})")

    work = tempfile.mkdtemp()
    try:
        promtool_check(work)
        check_starts(base_where, container_of(base)["args"], work)
        if config_text is not None:
            check_starts(probes_where, container_of(probes)["args"], work, config_text)
    finally:
        shutil.rmtree(work)


main()
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("deploy/kubernetes: every object valid and consistent")
