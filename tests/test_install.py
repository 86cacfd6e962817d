"""A non-editable install into a fresh virtual environment works from any directory."""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from .conftest import EXAMPLES, REPO


@pytest.mark.slow
def test_pip_install_then_check_elsewhere(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "site", "*.egg-info", "__pycache__", ".*cache*", "test-artifacts"
        ),
    )
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(source)], check=True, cwd=tmp_path)
    shutil.rmtree(source)  # the installed package must not need the checkout

    work = tmp_path / "elsewhere"
    shutil.copytree(EXAMPLES / "minimal", work / "playbook")
    cli = env_dir / "bin" / "playbookgen"
    clean = subprocess.run([cli, "check"], cwd=work, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.startswith("No problems found")

    (work / "playbook" / "sla.yaml").write_text("policies: nope\n", encoding="utf-8")
    broken = subprocess.run(
        [python, "-m", "playbookgen", "check", "playbook"], cwd=work, capture_output=True, text=True
    )
    assert broken.returncode == 1
    assert broken.stdout.startswith("playbook/sla.yaml:1:11: error schema-type"), broken.stdout
    assert "Traceback" not in broken.stderr

    probe = "import playbookgen.resources as r; print(r.resource_dir('schemas'))"
    schemas = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    assert str(env_dir) in schemas.stdout, "schemas ship inside the wheel"
