"""A build killed at any moment never loses the previous site, and leaves nothing behind
that the next build does not clean up."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from playbookgen.build import OWNER_FILE, _exchange, build, recover_killed_builds


def tree_hash(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def group_members(pgid: int) -> list[int]:
    """Processes still alive in a process group (read from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "f").write_text("A")
    (tmp_path / "b" / "f").write_text("B")
    assert _exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "f").read_text() == "B"
    assert (tmp_path / "b" / "f").read_text() == "A"


def test_a_kill_between_the_two_renames_is_recovered(tmp_path: Path) -> None:
    out = tmp_path / "site"
    stale = tmp_path / ".site.build-dead"
    (stale / "previous").mkdir(parents=True)
    (stale / "previous" / "index.html").write_text("old site")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (stale / OWNER_FILE).write_text(dead.stdout.strip())
    running = tmp_path / ".site.build-running"
    running.mkdir()
    (running / OWNER_FILE).write_text(str(os.getpid()))
    recover_killed_builds(out)
    assert (out / "index.html").read_text() == "old site"
    assert not stale.exists()
    assert running.exists(), "a build that is still running keeps its folder"


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_killed_during_pdf_rendering(reference_copy: Path, tmp_path: Path, how: signal.Signals) -> None:
    out = tmp_path / "out" / "site"
    assert build(reference_copy, out, pdf=False).ok
    before = tree_hash(out)
    process = subprocess.Popen(
        [sys.executable, "-m", "playbookgen", "build", str(reference_copy), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    for line in process.stdout:
        if "rendered" in line or time.monotonic() > deadline:
            break
    process.send_signal(how)
    process.wait(timeout=60)
    process.stdout.close()
    assert process.returncode != 0
    assert tree_hash(out) == before, "the previous site is byte-for-byte unchanged"
    grace = time.monotonic() + 20
    while group_members(process.pid) and time.monotonic() < grace:
        time.sleep(0.2)
    leftovers = group_members(process.pid)
    for pid in leftovers:
        os.kill(pid, signal.SIGKILL)
    assert leftovers == [], "no PDF worker outlives the killed build"
    if how == signal.SIGTERM:
        assert not list(out.parent.glob(".site.build-*")), "SIGTERM cleans up at once"
    assert build(reference_copy, out, pdf=False).ok
    assert not list(out.parent.glob(".site.build-*")), "the next build removes what a kill left"
    assert (out / "index.html").exists()
