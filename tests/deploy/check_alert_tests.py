#!/usr/bin/python3
# Runs the unit tests of the alert rules under deploy/ with `promtool test rules`, after checking that they cover
# every alert (Debian's python3-yaml lives in the system interpreter, hence its path above):
# - every rule file the example prometheus.yml loads has a test file beside this script, <rule file>_test.yml,
#   which loads exactly that rule file;
# - every alert of it is evaluated at least once where it must fire (exp_alerts not empty, labels and annotations
#   as promtool compares them: all of them) and at least once where it must not (exp_alerts empty);
# - no test names an alert the rule file does not have.
# Exits non-zero, naming what is missing, or with promtool's own report of a failed test.
import os
import shutil
import subprocess
import sys

import yaml


def main(deploy, tests):
    if not shutil.which("promtool"):
        print("promtool not installed (Debian package prometheus): rules not tested")
        return 77
    with open(os.path.join(deploy, "prometheus.yml")) as file:
        rule_files = yaml.safe_load(file)["rule_files"]
    problems = []
    test_files = []
    for rule_file in rule_files:
        stem = os.path.splitext(os.path.basename(rule_file))[0]
        test_file = os.path.join(tests, stem + "_test.yml")
        if not os.path.exists(test_file):
            problems.append(f"{rule_file}: no test file {test_file}")
            continue
        test_files.append(test_file)
        with open(os.path.join(deploy, rule_file)) as file:
            alerts = [rule["alert"] for group in yaml.safe_load(file)["groups"] for rule in group["rules"]
                      if "alert" in rule]
        with open(test_file) as file:
            suite = yaml.safe_load(file)
        loaded = [os.path.realpath(os.path.join(tests, path)) for path in suite.get("rule_files", [])]
        if loaded != [os.path.realpath(os.path.join(deploy, rule_file))]:
            problems.append(f"{test_file}: rule_files should be exactly {rule_file}, not {suite.get('rule_files')}")
        before = len(problems)
        firing, quiet = set(), set()
        for case in suite.get("tests", []):
            for check in case.get("alert_rule_test", []):
                name = check["alertname"]
                if name not in alerts:
                    problems.append(f"{test_file}: test {case.get('name')!r} checks {name}, which {rule_file} lacks")
                (firing if check.get("exp_alerts") else quiet).add(name)
        for alert in alerts:
            if alert not in firing:
                problems.append(f"{rule_file}: {alert} is never tested firing")
            if alert not in quiet:
                problems.append(f"{rule_file}: {alert} is never tested where it must not fire")
        if len(problems) == before:
            print(f"{rule_file}: each of its {len(alerts)} alerts is tested firing and not firing")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not test_files:
        return 1
    result = subprocess.run(["promtool", "test", "rules", *test_files])
    return 1 if problems or result.returncode != 0 else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} <deploy directory> <directory of the rule tests>")
    sys.exit(main(sys.argv[1], sys.argv[2]))
