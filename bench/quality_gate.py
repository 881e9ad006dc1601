#!/usr/bin/env python3
"""The quality gate: runs every bench/eval_*.py, reads the figures each prints, and fails when
one is worse than its floor in floors.json. Floors are pinned just under the figures measured
when they were last raised; raise them when quality improves, never lower one to pass.
Exits 0 when every floor holds, 1 when one drops, 2 when ../shared is absent (nothing to measure)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLOORS = json.loads((HERE / "floors.json").read_text())


def run(script: str) -> dict[str, dict[str, float]] | None:
    p = subprocess.run([sys.executable, str(HERE / script)], capture_output=True, text=True, cwd=HERE)
    if p.returncode == 2:
        return None
    print(p.stdout.strip().splitlines()[0] if p.stdout.strip() else p.stderr[-800:])
    found = [line[8:] for line in p.stdout.splitlines() if line.startswith("FIGURES ")]
    return json.loads(found[-1]) if found and p.returncode == 0 else {}


def check(name: str, figures: dict[str, float]) -> list[str]:
    failures = []
    for key, (op, floor) in FLOORS[name].items():
        value = figures.get(key)
        ok = value is not None and (value >= floor if op == ">=" else value <= floor)
        print(f"  {'ok  ' if ok else 'DROP'} {name}.{key} = {value} (floor {op} {floor})")
        if not ok:
            failures.append(f"{name}.{key}")
    return failures


def main() -> int:
    failures: list[str] = []
    for name in FLOORS:
        figures = run(f"eval_{name}.py")
        if figures is None:
            print(f"quality gate skipped: the corpora are absent ({name})")
            return 2
        failures += check(name, figures.get(name, {}))
    print("quality gate: " + ("every floor holds" if not failures else "dropped: " + ", ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
