"""The benchmark harness at a tiny size, so that it never rots (its figures are not checked:
timing assertions on shared machines only make noise)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_harness_runs_every_target_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    targets = [c["target"] for c in figures["comparisons"]]
    for number in ("1.", "2.", "3.", "4.", "5a.", "5b.", "7."):
        assert any(t.startswith(number) for t in targets), (number, targets)
    assert sum(t.startswith("3.") for t in targets) == 2, "reference playbook and a generated one"
    for comparison in figures["comparisons"]:
        for side in ("a", "b"):
            assert comparison[side]["median"] > 0 and comparison[side]["peak_mib"] > 10
        assert comparison["ratio"] > 0
    assert any(
        key.startswith("6. serve") and isinstance(v, float) and v > 0 for key, v in figures["extra"].items()
    )
    assert figures["machine"]["cpus"] >= 1
    for line in ("target", "A median", "cores busy", "peak memory at", "6. serve"):
        assert line in result.stdout, line
