#!/usr/bin/env python3
"""Merges the Cobertura reports of every test project and checks each package against its floor.

Usage: coverage.py <results-dir> <floors-file> [--update]

A line counts as covered when any test project covered it; a line's branches count as the most any project covered
(a lower bound of their union: Cobertura does not say which branches). Prints one line per package and exits 1 when
a package falls below its floor by more than TOLERANCE (floors-file: "<package> <line %> <branch %>" per line, '#' comments). With --update,
raises each floor to the measured figure (floors only go up).
"""
import re
import sys

import xml.etree.ElementTree as ET
from pathlib import Path

# Percentage points a run may fall below a floor: the concurrency tests reach a few timing-dependent lines and
# branches in some runs and not in others.
TOLERANCE = 0.2


def merge(results: Path):
    lines = {}     # (package, file, line) -> hit?
    branches = {}  # (package, file, line) -> (covered, total)
    reports = sorted(p for p in results.glob("*/coverage.cobertura.xml"))
    for report in reports:
        root = ET.parse(report).getroot()
        # Each report names files relative to its own source roots; resolve them so that reports agree.
        sources = [Path(s.text) for s in root.iter("source") if s.text]
        for package in root.iter("package"):
            name = package.get("name")
            for cls in package.iter("class"):
                filename = resolve(sources, cls.get("filename"))
                for line in cls.findall("./lines/line"):
                    key = (name, filename, int(line.get("number")))
                    lines[key] = lines.get(key, False) or int(line.get("hits")) > 0
                    match = re.search(r"\((\d+)/(\d+)\)", line.get("condition-coverage") or "")
                    if line.get("branch") == "True" and match:
                        covered, total = int(match.group(1)), int(match.group(2))
                        old = branches.get(key, (0, total))
                        branches[key] = (max(old[0], covered), max(old[1], total))
    return reports, lines, branches


def resolve(sources, filename):
    for source in sources:
        candidate = source / filename
        if candidate.exists():
            return str(candidate.resolve())
    return filename


def totals(lines, branches):
    result = {}
    for (package, _, _), hit in lines.items():
        entry = result.setdefault(package, [0, 0, 0, 0])
        entry[0] += 1 if hit else 0
        entry[1] += 1
    for (package, _, _), (covered, total) in branches.items():
        entry = result.setdefault(package, [0, 0, 0, 0])
        entry[2] += covered
        entry[3] += total
    return result


def percent(part, whole):
    return 100.0 * part / whole if whole else 100.0


def main():
    results, floors_file = Path(sys.argv[1]), Path(sys.argv[2])
    update = "--update" in sys.argv[3:]
    reports, lines, branches = merge(results)
    if not reports:
        print(f"coverage: no coverage.cobertura.xml under {results}/", file=sys.stderr)
        return 1

    floors = {}
    for raw in floors_file.read_text().splitlines():
        text = raw.split("#", 1)[0].split()
        if text:
            floors[text[0]] = (float(text[1]), float(text[2]))

    failed = False
    measured = totals(lines, branches)
    for package in sorted(set(measured) | set(floors)):
        covered, total, bcovered, btotal = measured.get(package, [0, 0, 0, 0])
        line_pct, branch_pct = percent(covered, total), percent(bcovered, btotal)
        floor = floors.get(package)
        verdict = ""
        if package not in measured:
            verdict, failed = "  FAIL: no coverage was collected", True
        elif floor is None:
            verdict, failed = "  FAIL: no floor in " + str(floors_file), True
        elif line_pct + TOLERANCE < floor[0] or branch_pct + TOLERANCE < floor[1]:
            verdict, failed = f"  FAIL: below the floor {floor[0]:.1f} % / {floor[1]:.1f} %", True
        else:
            verdict = f"  (floor {floor[0]:.1f} % / {floor[1]:.1f} %)"
        print(f"coverage {package}: lines {line_pct:.1f} % ({covered}/{total}), branches {branch_pct:.1f} % ({bcovered}/{btotal}){verdict}")
        if update and package in measured:
            old = floor or (0.0, 0.0)
            floors[package] = (max(old[0], int(line_pct * 10) / 10), max(old[1], int(branch_pct * 10) / 10))

    if update:
        header = [l for l in floors_file.read_text().splitlines() if l.startswith("#")]
        body = [f"{p} {l:.1f} {b:.1f}" for p, (l, b) in sorted(floors.items())]
        floors_file.write_text("\n".join(header + body) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
