#!/usr/bin/env python3
"""Checks that each library of src/ includes only itself and the libraries it links, and links only what it
includes.

Usage: include_rules.py PROJECT_DIR RULE...   where a RULE is "<library>:<dependency>,<dependency>..." as
CMakeLists.txt declares them (dependencies written hw_exporter::<name>).

Public headers of a library live in include/hw_exporter/<library>/; its private headers beside its sources, where
no other library can name them.
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def parse_rules(arguments):
    rules = {}
    for rule in arguments:
        library, _, dependencies = rule.partition(":")
        rules[library] = {d.removeprefix("hw_exporter::") for d in dependencies.split(",") if d}
    return rules


def library_files(project, library):
    yield from sorted((project / "src" / library).glob("*.[ch]*"))
    yield from sorted((project / "include" / "hw_exporter" / library).glob("*.h"))


def check(project, rules):
    problems = []
    for library, allowed in rules.items():
        used = set()
        for path in library_files(project, library):
            for name in INCLUDE.findall(path.read_text(encoding="utf-8")):
                where = path.relative_to(project)
                if name.startswith("hw_exporter/"):
                    target = name.split("/")[1]
                    if target != library and target not in allowed:
                        problems.append(f"{where}: includes {name}, but {library} does not link {target}")
                    used.add(target)
                elif "/" in name or not (project / "src" / library / name).exists():
                    problems.append(f"{where}: \"{name}\" is neither a public header nor a private one of {library}")
        for unused in sorted(allowed - used):
            problems.append(f"src/{library}: links {unused} but includes none of its headers")
    for folder in sorted(p.name for p in (project / "include" / "hw_exporter").iterdir()):
        if folder not in rules:
            problems.append(f"include/hw_exporter/{folder}: no library of that name")
    return problems


def main():
    project = pathlib.Path(sys.argv[1])
    rules = parse_rules(sys.argv[2:])
    if not rules:
        print("include_rules: no rules given")
        return 2
    problems = check(project, rules)
    for problem in problems:
        print(problem)
    print(f"include_rules: {len(rules)} libraries checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
