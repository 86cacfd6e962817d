"""Benchmark harness: every comparison of the performance targets in one run.

Each pair of commands runs interleaved (A B A B …) after a warm-up, at least five times;
the harness prints medians, the ratio per pair and peak memory, and writes the figures to a
JSON file. It measures; it asserts nothing (the machines are shared and noisy).

    python benchmarks/run.py                 # every target at full size (about an hour)
    python benchmarks/run.py --only check    # one group: check, check-cache, build, growth, pdf, serve
    python benchmarks/run.py --only pdf-growth --only engines     # long, run only on request
    python benchmarks/run.py --only measure  # measure on a million tickets vs DuckDB's read
    python benchmarks/run.py --only languages   # two languages vs one (reference, 1,000 categories)
    python benchmarks/run.py --only pdf-baseline --baseline main  # cold PDF build vs a revision
    python benchmarks/run.py --quick         # tiny sizes, one round: the smoke test
    python benchmarks/run.py --only baseline --baseline v2026.11   # this tree vs a revision

Targets (see README, "Performance"):
  1. check of 1,000 categories vs check-jsonschema on the category files      ratio <= 0.25
  2. the same check vs parsing the same files with PyYAML's C loader           ratio <= 3
  3. build --no-pdf vs plain mkdocs build of the generated Markdown           ratio <= 1.3
  4. growth 500 -> 5,000 categories: time per category for check and build    ratio <= 1.2,
     peak memory at 5,000 categories                                          <= 1 GiB
  5. full build uses both cores; a rebuild with no change vs build --no-pdf    ratio <= 1.2
  7. one category's text changed: build with PDFs vs --no-pdf                  ratio <= 1.5
  8. cold build with PDFs vs the same at an earlier revision (pdf-baseline)    ratio <= 0.6
  9. build with PDFs, time per category at 1,000 vs 500 (pdf-growth)          ratio <= 1.2
 10. build --no-pdf with Zensical vs MkDocs, reference and 1,000 (engines)    measured
 11. measure on a 1,000,000-ticket Zendesk export vs DuckDB reading the CSV    ratio <= 5,
     peak memory                                                             <= 2 GiB (measure)
 12. check at 5,000 categories, one file changed, with the previous check's
     cache vs cold (check-cache)                                               warm <= 1 s
  6. serve: a changed category file is visible on its page                    <= 2 s
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import REFERENCE as BILINGUAL  # noqa: E402
from generate import generate, one_language  # noqa: E402

REFERENCE = BILINGUAL
"""The reference playbook the targets measure: in its source language only (set in main), so
that they measure what they measured before the playbook gained Dutch; the languages group
measures the two-language build (BILINGUAL)."""

WARM_UP = True
"""Run each command once, untimed, before timing it (off for the quick smoke run)."""
BIN = Path(sys.executable).parent
PLAYBOOKGEN = [sys.executable, "-m", "playbookgen"]


@dataclass
class Run:
    """One timed command: wall seconds, CPU seconds and peak memory of the process tree."""

    wall: float
    cpu: float
    max_rss_mib: float
    own_cpu: float = 0.0
    """CPU seconds of the command's own process tree (user + system), less noisy than the wall
    time on a shared machine."""


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
    per: tuple[int, int] | None = None
    """For growth: the sizes of A and B; the ratio is then of time per unit."""

    @property
    def ratio(self) -> float:
        if self.per is not None:
            return (self.a.median / self.per[0]) / (self.b.median / self.per[1])
        return self.a.median / self.b.median


def busy_seconds() -> float:
    """CPU seconds all cores of the machine have spent busy so far (from /proc/stat): the
    PDF workers are grandchildren a parent's rusage never sees, so cores in use are read here."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def timed(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` once; wall time, machine-wide busy CPU time and the peak RSS of the
    largest process in the child's tree (via wait4)."""
    # Standard error goes to a file: a pipe read only after the command ends would fill
    # (64 KiB of progress lines at 1,000 categories) and stop the command mid-run.
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        busy = busy_seconds()
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        cpu = busy_seconds() - busy
        log.seek(0)
        stderr = log.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {stderr[-2000:]}")
    return Run(wall, cpu, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def pair(
    target: str,
    a: Measure,
    b: Measure,
    repeats: int,
    *,
    limit: float | None = None,
    before: Callable[[], None] | None = None,
    note: str = "",
    per: tuple[int, int] | None = None,
) -> Comparison:
    """A and B interleaved, one warm-up each (not in a quick run), then ``repeats`` rounds."""
    print(f"  {target} …", flush=True)
    for measure in (a, b) if WARM_UP else ():
        if before:
            before()
        timed(measure.command)
    for _ in range(repeats):
        for measure in (a, b):
            if before:
                before()
            measure.runs.append(timed(measure.command))
    return Comparison(target, a, b, limit, note, per)


def report(comparisons: list[Comparison], extra: dict[str, object], out: Path) -> None:
    lines = [f"{'target':<48} {'A median':>9} {'B median':>9} {'ratio':>7} {'limit':>6}  peak MiB (A/B)"]
    for c in comparisons:
        limit = f"{c.limit:.2f}" if c.limit is not None else "-"
        verdict = "" if c.limit is None else ("  ok" if c.ratio <= c.limit else "  MISSED")
        lines.append(
            f"{c.target:<48} {c.a.median:>8.3f}s {c.b.median:>8.3f}s {c.ratio:>7.3f} {limit:>6}"
            f"  {c.a.peak_mib:.0f}/{c.b.peak_mib:.0f}{verdict}"
        )
        lines.append(f"    A: {c.a.name}; B: {c.b.name}")
        if c.note:
            lines.append(f"    {c.note}")
    for key, value in extra.items():
        lines.append(f"{key}: {value}")
    print("\n" + "\n".join(lines))
    payload = {
        "machine": machine(),
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


def machine() -> dict[str, object]:
    memory = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    return {
        "platform": platform.platform(),
        "cpu": model,
        "cpus": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }


def floor_command(root: Path) -> list[str]:
    """Parse every YAML file of a playbook with PyYAML's C loader, in one process."""
    code = (
        "import sys, yaml, pathlib\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
        "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
    )
    return [sys.executable, "-c", code, str(root)]


def check_command(root: Path) -> list[str]:
    return [*PLAYBOOKGEN, "check", str(root)]


def build_command(root: Path, out: Path, *, pdf: bool = False) -> list[str]:
    return [*PLAYBOOKGEN, "build", str(root), "--out", str(out), *([] if pdf else ["--no-pdf"])]


def check_pairs(work: Path, size: int, repeats: int) -> list[Comparison]:
    root = generate(size, work / f"pb-{size}")
    categories = sorted(str(p) for p in (root / "categories").glob("*.yaml"))
    jsonschema = [
        str(BIN / "check-jsonschema"),
        "--schemafile",
        str(REPO / "schemas" / "category.schema.json"),
        *categories,
    ]
    return [
        pair(
            f"1. check vs check-jsonschema ({size} categories)",
            Measure("playbookgen check, all files and rules", check_command(root)),
            Measure("check-jsonschema, category files only", jsonschema),
            repeats,
            limit=0.25,
        ),
        pair(
            f"2. check vs C-loader parse floor ({size})",
            Measure("playbookgen check, all files and rules", check_command(root)),
            Measure("PyYAML CSafeLoader over the same files, one process", floor_command(root)),
            repeats,
            limit=3.0,
        ),
    ]


def check_cache_pair(work: Path, size: int, repeats: int) -> Comparison:
    """Issue 19, target 5: ``check`` of a large playbook with one category file changed since
    the previous check (its cache present) against a cold check (no check cache; the compiled
    validators stay cached in both). Each round: edit, cold check (which writes the cache),
    edit again, warm check; both see a real change."""
    root = generate(size, work / f"pb-{size}")
    cache = work / "check-cache"
    env = {**os.environ, "PLAYBOOKGEN_CACHE_DIR": str(cache)}
    category = sorted((root / "categories").glob("*.yaml"))[size // 2]
    original = category.read_text(encoding="utf-8")
    flips = iter(range(1_000_000))

    def edit() -> None:
        marker = f"summary: (edit {next(flips)}) "
        category.write_text(original.replace("summary: ", marker, 1), encoding="utf-8")

    print(f"  {size}: check, one file changed, with and without the check cache …", flush=True)
    cold = Measure("check, no check cache", check_command(root))
    warm = Measure("check, cache of the previous check, one category changed", check_command(root))
    for round_ in range(repeats + (1 if WARM_UP else 0)):
        edit()
        shutil.rmtree(cache / "check", ignore_errors=True)
        cold_run = timed(cold.command, env=env)
        edit()
        warm_run = timed(warm.command, env=env)
        if round_ or not WARM_UP:
            cold.runs.append(cold_run)
            warm.runs.append(warm_run)
    own = statistics.median(r.own_cpu for r in warm.runs), statistics.median(r.own_cpu for r in cold.runs)
    return Comparison(
        f"12. check, one file changed, cache vs cold ({size})",
        warm,
        cold,
        note=f"CPU seconds of the check itself (median): warm {own[0]:.2f}, cold {own[1]:.2f}; "
        f"target: warm <= 1 s",
    )


def write_source(root: Path, target: Path) -> Path:
    """The Markdown and mkdocs.yml that ``build --no-pdf`` generates, for plain MkDocs."""
    from playbookgen.check import check
    from playbookgen.render.site import write_site

    checked = check(root)
    if not checked.ok:
        raise RuntimeError(f"{root} does not pass check")
    shutil.rmtree(target, ignore_errors=True)
    write_site(checked.playbook, target, pdf=False)
    return target / "mkdocs.yml"


def build_pairs(work: Path, size: int, repeats: int) -> list[Comparison]:
    comparisons = []
    for label, root in (("reference playbook", REFERENCE), (f"{size} categories", None)):
        root = root or generate(size, work / f"pb-{size}")
        config = write_source(root, work / f"source-{root.name}")
        mkdocs = [str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "-d", str(work / "mkdocs-site")]
        comparisons.append(
            pair(
                f"3. build --no-pdf vs mkdocs build ({label})",
                Measure("playbookgen build --no-pdf", build_command(root, work / "site")),
                Measure("mkdocs build of the generated Markdown", mkdocs),
                repeats,
                limit=1.3,
            )
        )
    return comparisons


def growth_pairs(work: Path, small: int, large: int, repeats: int) -> list[Comparison]:
    roots = {size: generate(size, work / f"pb-{size}") for size in (small, large)}
    comparisons = []
    for what, command in (
        ("check", lambda root: check_command(root)),
        ("build --no-pdf", lambda root: build_command(root, work / f"site-{root.name}")),
    ):
        comparison = pair(
            f"4. {what}: time per category, {large} vs {small}",
            Measure(f"{what}, {large} categories", command(roots[large])),
            Measure(f"{what}, {small} categories", command(roots[small])),
            repeats,
            limit=1.2,
            per=(large, small),
        )
        comparison.note = (
            f"peak memory at {large} categories: {comparison.a.peak_mib:.0f} MiB (limit 1024 MiB: "
            f"{'ok' if comparison.a.peak_mib <= 1024 else 'MISSED'})"
        )
        comparisons.append(comparison)
    return comparisons


def pdf_pairs(work: Path, repeats: int) -> list[Comparison]:
    out, cache = work / "pdf" / "site", work / "pdf" / ".playbookgen-cache"

    def cold() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    full = Measure("build with PDFs, empty PDF cache", build_command(REFERENCE, out, pdf=True))
    nopdf = Measure("build --no-pdf", build_command(REFERENCE, work / "pdf" / "nopdf"))
    cold_run = pair("5a. full build with PDFs (cold) vs --no-pdf", full, nopdf, repeats, before=cold)
    cold_run.note = (
        f"cores busy during the full build: {full.cores_used:.2f} of {os.cpu_count()} "
        f"({'ok' if full.cores_used >= 0.75 * (os.cpu_count() or 1) else 'MISSED'}: both cores)"
    )
    timed(full.command)  # fill the cache
    warm = pair(
        "5b. rebuild with no change vs --no-pdf",
        Measure("build with PDFs, nothing changed (all cached)", full.command),
        Measure("build --no-pdf", nopdf.command),
        repeats,
        limit=1.2,
    )
    return [cold_run, warm, edit_pair(work, repeats)]


def edit_pair(work: Path, repeats: int) -> Comparison:
    """Issue 19, target 1: one sentence of one category changed before every build (so each
    build sees a real change), full build with PDFs against --no-pdf of the same change."""
    root = work / "pb-edit"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REFERENCE, root)
    category = root / "categories" / "missing-item.yaml"
    original = category.read_text(encoding="utf-8")
    flips = iter(range(1_000_000))

    def edit() -> None:
        marker = f"summary: (edit {next(flips)}) "
        category.write_text(original.replace("summary: ", marker, 1), encoding="utf-8")

    out = work / "edit" / "site"
    timed(build_command(root, out, pdf=True))  # fill the PDF cache
    return pair(
        "7. one category's text changed: full build with PDFs vs --no-pdf",
        Measure("build with PDFs after the edit", build_command(root, out, pdf=True)),
        Measure("build --no-pdf after the edit", build_command(root, work / "edit" / "nopdf")),
        repeats,
        limit=1.5,
        before=edit,
    )


def cold_pdf_baseline(work: Path, revision: str, repeats: int) -> Comparison:
    """Issue 19, target 2: a cold full build with PDFs of the reference playbook, this tree
    against ``revision`` (the PDF cache emptied before every run)."""
    source = export_revision(revision, work / "baseline-pdf")
    then = ["env", f"PYTHONPATH={source}", *PLAYBOOKGEN]
    now = ["env", f"PYTHONPATH={REPO / 'src'}", *PLAYBOOKGEN]
    out = work / "cold"

    def cold() -> None:
        shutil.rmtree(out / ".playbookgen-cache", ignore_errors=True)

    comparison = pair(
        f"8. cold full build with PDFs, this tree vs {revision}",
        Measure("this tree", [*now, "build", str(REFERENCE), "--out", str(out / "site")]),
        Measure(revision, [*then, "build", str(REFERENCE), "--out", str(out / "site")]),
        repeats,
        limit=0.6,
        before=cold,
    )
    comparison.note = (
        f"cores busy: this tree {comparison.a.cores_used:.2f}, {revision} {comparison.b.cores_used:.2f}"
    )
    return comparison


def pdf_growth_pairs(work: Path, small: int, large: int, repeats: int) -> list[Comparison]:
    """Issue 19, target 3: a cold full build with PDFs, time per category at ``large`` vs
    ``small`` categories, and peak memory."""
    roots = {size: generate(size, work / f"pb-{size}") for size in (small, large)}
    out = work / "pdf-growth"

    def cold() -> None:
        shutil.rmtree(out / ".playbookgen-cache", ignore_errors=True)

    comparison = pair(
        f"9. build with PDFs (cold): time per category, {large} vs {small}",
        Measure(f"build with PDFs, {large} categories", build_command(roots[large], out / "site", pdf=True)),
        Measure(f"build with PDFs, {small} categories", build_command(roots[small], out / "site", pdf=True)),
        repeats,
        limit=1.2,
        before=cold,
        per=(large, small),
    )
    comparison.note = f"peak memory at {large} categories: {comparison.a.peak_mib:.0f} MiB"
    return [comparison]


def engine_pairs(work: Path, size: int, repeats: int) -> list[Comparison]:
    """Longevity: the same generated source built by Zensical and by MkDocs (--no-pdf)."""
    comparisons: list[Comparison] = []
    if importlib.util.find_spec("zensical") is None:
        print("  engines: Zensical is not installed (pip install 'playbookgen[zensical]'); skipped")
        return comparisons
    for label, root in (("reference playbook", REFERENCE), (f"{size} categories", None)):
        root = root or generate(size, work / f"pb-{size}")
        comparison = pair(
            f"10. build --no-pdf --engine zensical vs mkdocs ({label})",
            Measure("Zensical", [*build_command(root, work / "z-site"), "--engine", "zensical"]),
            Measure("MkDocs", build_command(root, work / "m-site")),
            repeats,
        )
        comparison.note = (
            f"peak memory: Zensical {comparison.a.peak_mib:.0f} MiB, MkDocs {comparison.b.peak_mib:.0f} MiB"
        )
        comparisons.append(comparison)
    return comparisons


def language_pairs(work: Path, size: int, repeats: int) -> list[Comparison]:
    """Languages (issue 14): the reference playbook and one of ``size`` categories built in
    English and Dutch (a site per language) against the same playbook in English only."""
    comparisons: list[Comparison] = []
    for label, root in (("reference playbook", BILINGUAL), (f"{size} categories", None)):
        root = root or generate(size, work / f"pb-{size}-bilingual", languages=True)
        single = one_language(root, work / f"one-language-{root.name}")
        comparisons.append(
            pair(
                f"12. build --no-pdf in two languages vs one ({label})",
                Measure("English and Dutch (two sites)", build_command(root, work / "two-site")),
                Measure("English only", build_command(single, work / "one-site")),
                repeats,
                limit=2.0,
            )
        )
    return comparisons


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def serve_latency(work: Path, repeats: int) -> dict[str, object]:
    """Seconds from writing a changed category file until its page, served by
    ``playbookgen serve``, shows the change: for a change to the text of the page (the quick
    path) and for a change of its name (which every page's nav shows: a full build)."""
    root = work / "serve-playbook"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REFERENCE, root)
    category = root / "categories" / "missing-item.yaml"
    original = category.read_text(encoding="utf-8")
    port = free_port()
    page = f"http://127.0.0.1:{port}/categories/missing-item/"
    process = subprocess.Popen(
        [*PLAYBOOKGEN, "serve", str(root), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    edits = {
        "text": ("\nsummary: ", "\nsummary: {token}. "),
        "name": ("\nname: Missing item", "\nname: Missing item {token}"),
    }
    seconds: dict[str, list[float]] = {kind: [] for kind in edits}
    try:
        deadline = time.monotonic() + 120
        while "Missing" not in fetch(page):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("playbookgen serve did not start")
            time.sleep(0.1)
        # All text edits first, then all name edits: each is made to the original file, so
        # a text edit must not also undo the previous round's name edit.
        for kind, (old, new) in edits.items():
            for round_ in range(repeats + 1):
                token = f"Benchmark {kind} change {round_} {time.time_ns()}"
                changed = original.replace(old, new.format(token=token), 1)
                if changed == original:
                    raise RuntimeError(f"the category file no longer has {old.strip()!r}")
                start = time.perf_counter()
                category.write_text(changed, encoding="utf-8")
                while token not in fetch(page):
                    if time.perf_counter() - start > 60:
                        raise RuntimeError("the change never showed")
                    time.sleep(0.02)
                if round_ or not WARM_UP:
                    seconds[kind].append(time.perf_counter() - start)
                time.sleep(1.0)
    finally:
        process.terminate()
        process.wait(timeout=30)
    figures: dict[str, object] = {}
    for kind, values in seconds.items():
        median = statistics.median(values)
        figures[f"6. serve, {kind} change visible on the page: median s"] = round(median, 3)
        figures[f"6. serve, {kind} change: slowest s"] = round(max(values), 3)
        figures[f"6. serve, {kind} change verdict (limit 2 s; open pages poll every 0.3 s)"] = (
            "ok" if median <= 2.0 else "MISSED"
        )
    return figures


def export_revision(revision: str, target: Path) -> Path:
    """The package, schemas and templates of a git revision, runnable with PYTHONPATH."""
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", revision, "src", "schemas", "templates"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return compiled(target / "src")


def compiled(source: Path) -> Path:
    """``source`` with its bytecode written, as an installed package has it: where
    PYTHONDONTWRITEBYTECODE is set (as on the machines here) every run would otherwise compile
    the whole package again, about 0.3 s of each command's time."""
    compileall.compile_dir(source, quiet=1)
    return source


def baseline_pairs(work: Path, revision: str, size: int, repeats: int) -> list[Comparison]:
    """This tree against an earlier revision on the same machine, interleaved: check and
    build --no-pdf of the reference playbook and of a generated one."""
    source = export_revision(revision, work / "baseline")
    then = ["env", f"PYTHONPATH={source}", *PLAYBOOKGEN]
    now = ["env", f"PYTHONPATH={REPO / 'src'}", *PLAYBOOKGEN]
    generated = generate(size, work / f"pb-baseline-{size}")
    comparisons = []
    for label, root in (("reference", REFERENCE), (f"{size} categories", generated)):
        comparisons.append(
            pair(
                f"B. check, this tree vs {revision} ({label})",
                Measure("this tree", [*now, "check", str(root)]),
                Measure(revision, [*then, "check", str(root)]),
                repeats,
                limit=1.05,
            )
        )
        comparisons.append(
            pair(
                f"B. build --no-pdf, this tree vs {revision} ({label})",
                Measure("this tree", [*now, "build", str(root), "--out", str(work / "b-now"), "--no-pdf"]),
                Measure(revision, [*then, "build", str(root), "--out", str(work / "b-then"), "--no-pdf"]),
                repeats,
                limit=1.05,
            )
        )
    return comparisons


def measure_pairs(work: Path, rows: int, repeats: int) -> list[Comparison]:
    """11. measure on a generated Zendesk export vs DuckDB merely reading the same CSV."""
    from tickets import write as write_tickets

    export = write_tickets(rows, work / f"tickets-{rows}.csv", bad=0.0)
    out = work / "measured"
    floor = (
        "import sys, duckdb\n"
        "query = 'CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true)'\n"
        "duckdb.sql(query, params=[sys.argv[1]])\n"
    )
    if importlib.util.find_spec("duckdb") is None:
        print("  11. measure … skipped: DuckDB is not installed (pip install 'playbookgen[bench]')")
        return []
    return [
        pair(
            f"11. measure {rows:,} tickets vs DuckDB reading them",
            Measure(
                "playbookgen measure --from zendesk --no-pdf",
                [
                    *PLAYBOOKGEN,
                    "measure",
                    str(export),
                    "--from",
                    "zendesk",
                    "--playbook",
                    str(REFERENCE),
                    "--out",
                    str(out),
                    "--no-pdf",
                ],
            ),
            Measure("duckdb read_csv (all columns)", [sys.executable, "-c", floor, str(export)]),
            repeats,
            limit=5.0,
            note="peak memory of A should stay below 2,048 MiB",
        )
    ]


GROUPS = (
    "check",
    "check-cache",
    "build",
    "growth",
    "pdf",
    "serve",
    "baseline",
    "pdf-baseline",
    "pdf-growth",
    "engines",
    "measure",
    "languages",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one round (smoke test)")
    parser.add_argument(
        "--repeats",
        type=int,
        default=5,
        help="rounds after the warm-up (5 for the README's figures; fewer, down to 1, for the long groups)",
    )
    parser.add_argument(
        "--no-warm-up",
        dest="warm_up",
        action="store_false",
        help="time the first run too (for the long groups, where a warm-up run costs many minutes)",
    )
    parser.add_argument("--only", choices=GROUPS, action="append", help="run only these groups")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "results.json")
    parser.add_argument(
        "--baseline",
        default="HEAD~1",
        help="git revision the 'baseline' group compares this tree with (default HEAD~1)",
    )
    parser.add_argument(
        "--playbook",
        type=Path,
        default=BILINGUAL,
        help="the playbook measured in place of the reference (in its source language only),"
        " e.g. one that both this tree and an older --baseline revision can read",
    )
    args = parser.parse_args(argv)
    global WARM_UP
    WARM_UP = args.warm_up and not args.quick
    repeats = 1 if args.quick else max(1, args.repeats)
    # The reference playbook has 21 categories; a generated one needs at least as many.
    size, small, large = (24, 22, 44) if args.quick else (1000, 500, 5000)
    # The long PDF and engine comparisons (an hour or more at full size) run when asked for.
    groups = args.only or [
        g
        for g in GROUPS
        if g not in ("baseline", "pdf-baseline", "pdf-growth", "engines", "measure", "languages")
    ]
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    compiled(REPO / "src")
    work = Path(tempfile.mkdtemp(prefix="playbookgen-bench-"))
    global REFERENCE
    REFERENCE = one_language(args.playbook.resolve(), work / "playbook")
    comparisons: list[Comparison] = []
    extra: dict[str, object] = {}
    rounds = f"{repeats} rounds" + (" after a warm-up" if WARM_UP else ", no warm-up")
    print(f"benchmarks in {work} ({', '.join(groups)}; {rounds})", flush=True)
    try:
        if "check" in groups:
            comparisons += check_pairs(work, size, repeats)
        if "check-cache" in groups:
            comparisons.append(check_cache_pair(work, size if args.quick else large, repeats))
        if "build" in groups:
            comparisons += build_pairs(work, size, repeats)
        if "growth" in groups:
            comparisons += growth_pairs(work, small, large, repeats)
        if "pdf" in groups:
            comparisons += pdf_pairs(work, repeats)
        if "serve" in groups:
            extra.update(serve_latency(work, repeats))
        if "baseline" in groups:
            comparisons += baseline_pairs(work, args.baseline, size, repeats)
        if "pdf-baseline" in groups:
            comparisons.append(cold_pdf_baseline(work, args.baseline, repeats))
        if "pdf-growth" in groups:
            comparisons += pdf_growth_pairs(work, small if args.quick else 500, size, repeats)
        if "engines" in groups:
            comparisons += engine_pairs(work, size, repeats)
        if "measure" in groups:
            comparisons += measure_pairs(work, 2000 if args.quick else 1_000_000, repeats)
        if "languages" in groups:
            comparisons += language_pairs(work, size, repeats)
        report(comparisons, extra, args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
