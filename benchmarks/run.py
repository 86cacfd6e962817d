"""Benchmark harness: every comparison of the performance targets in one run.

Each pair of commands runs interleaved (A B A B …) after a warm-up, at least five times;
the harness prints medians, the ratio per pair and peak memory, and writes the figures to a
JSON file. It measures; it asserts nothing (the machines are shared and noisy).

    python benchmarks/run.py                 # full run (takes several minutes)
    python benchmarks/run.py --quick         # tiny sizes, for the smoke test
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
PLAYBOOKGEN = [sys.executable, "-m", "playbookgen"]


@dataclass
class Run:
    """One timed command: wall seconds, CPU seconds and peak memory of the process tree."""

    wall: float
    cpu: float
    max_rss_mib: float


@dataclass
class Measure:
    name: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.max_rss_mib for r in self.runs)

    @property
    def cores_used(self) -> float:
        """CPU seconds per wall second: about 2 when both cores are busy."""
        return statistics.median(r.cpu / r.wall for r in self.runs if r.wall > 0)


@dataclass
class Comparison:
    target: str
    a: Measure
    b: Measure
    limit: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.a.median / self.b.median


def timed(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` once; wall time, CPU time and peak RSS of the child (via wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        stderr = process.stderr.read() if process.stderr else ""
        raise RuntimeError(f"{' '.join(command)} failed: {stderr[-2000:]}")
    if process.stderr:
        process.stderr.close()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def pair(
    target: str,
    a: Measure,
    b: Measure,
    repeats: int,
    *,
    limit: float | None = None,
    before: Callable[[], None] | None = None,
    note: str = "",
) -> Comparison:
    """A and B interleaved, one warm-up each, then ``repeats`` rounds."""
    for measure in (a, b):
        if before:
            before()
        timed(measure.command)
    for _ in range(repeats):
        for measure in (a, b):
            if before:
                before()
            measure.runs.append(timed(measure.command))
    return Comparison(target, a, b, limit, note)


def report(comparisons: list[Comparison], extra: dict[str, object], out: Path) -> None:
    lines = [f"{'target':<44} {'A median':>9} {'B median':>9} {'ratio':>7} {'limit':>6}  peak MiB (A/B)"]
    for c in comparisons:
        limit = f"{c.limit:.2f}" if c.limit is not None else "-"
        verdict = "" if c.limit is None else ("  ok" if c.ratio <= c.limit else "  MISSED")
        lines.append(
            f"{c.target:<44} {c.a.median:>8.3f}s {c.b.median:>8.3f}s {c.ratio:>7.3f} {limit:>6}"
            f"  {c.a.peak_mib:.0f}/{c.b.peak_mib:.0f}{verdict}"
        )
        lines.append(f"    A: {c.a.name}; B: {c.b.name}")
        if c.note:
            lines.append(f"    {c.note}")
    for key, value in extra.items():
        lines.append(f"{key}: {value}")
    print("\n".join(lines))
    payload = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "comparisons": [
            {
                "target": c.target,
                "ratio": c.ratio,
                "limit": c.limit,
                "a": {**asdict(c.a), "median": c.a.median, "peak_mib": c.a.peak_mib},
                "b": {**asdict(c.b), "median": c.b.median, "peak_mib": c.b.peak_mib},
            }
            for c in comparisons
        ],
        "extra": extra,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {out}")


def floor_command(root: Path) -> list[str]:
    """Parse every YAML file of a playbook with PyYAML's C loader, in one process."""
    code = (
        "import sys, yaml, pathlib\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
        "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
    )
    return [sys.executable, "-c", code, str(root)]


def check_pairs(work: Path, size: int, repeats: int) -> list[Comparison]:
    root = generate(size, work / f"pb-{size}")
    categories = sorted(str(p) for p in (root / "categories").glob("*.yaml"))
    check = [*PLAYBOOKGEN, "check", str(root)]
    jsonschema = [
        str(BIN / "check-jsonschema"),
        "--schemafile",
        str(REPO / "schemas" / "category.schema.json"),
        *categories,
    ]
    return [
        pair(
            f"1. check vs check-jsonschema ({size} categories)",
            Measure("playbookgen check, all files and rules", check),
            Measure("check-jsonschema, category files only", jsonschema),
            repeats,
            limit=0.25,
        ),
        pair(
            f"2. check vs C-loader parse floor ({size})",
            Measure("playbookgen check, all files and rules", check),
            Measure("PyYAML CSafeLoader over the same files, one process", floor_command(root)),
            repeats,
            limit=3.0,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes and 2 repeats (smoke test)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "results.json")
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else max(5, args.repeats)
    size = 25 if args.quick else 1000
    work = Path(tempfile.mkdtemp(prefix="playbookgen-bench-"))
    try:
        comparisons = check_pairs(work, size, repeats)
        report(comparisons, {}, args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
