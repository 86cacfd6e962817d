from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "playbook"
EXAMPLES = Path(__file__).resolve().parent / "examples"


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    """A writable copy of the reference playbook."""
    target = tmp_path / "playbook"
    shutil.copytree(REFERENCE, target)
    return target
