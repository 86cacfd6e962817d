"""The static site engines that can build the generated source: MkDocs with Material (the
default, run in-process by build.py) and Zensical, Material's successor, which reads the same
``mkdocs.yml`` and ``docs/`` (an optional extra: ``pip install 'playbookgen[zensical]'``).

Zensical silently skips plugins and options it does not implement; :func:`zensical_gaps`
names each one the generated configuration uses, so a build can report it instead.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from playbookgen.problems import PlaybookError, Problem

ENGINES = ("mkdocs", "zensical")
"""What ``build --engine`` accepts; the first is the default."""
GAP_RULE = "engine-unsupported"


def zensical_installed() -> bool:
    return importlib.util.find_spec("zensical") is not None


def zensical_gaps(config_file: Path) -> list[str]:
    """What of the generated configuration Zensical would ignore, one line each ("plugin
    'x'", "option 'lang' of plugin 'search'"); empty when it supports everything used."""
    from zensical import config as zensical_config

    known: dict[str, tuple[str, ...]] | None = getattr(zensical_config, "_PLUGIN_UNSUPPORTED_OPTIONS", None)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    gaps: list[str] = []
    if known is None:  # a Zensical that no longer lists what it supports
        return gaps
    for name, options in _plugins(config.get("plugins", [])):
        canonical = name.removeprefix("material/").split("/", 1)[0]
        if canonical not in known:
            gaps.append(f"plugin '{name}' (Zensical skips it)")
            continue
        gaps.extend(
            f"option '{option}' of plugin '{name}'" for option in options if option in known[canonical]
        )
    return gaps


def _plugins(value: Any) -> list[tuple[str, list[str]]]:
    """(name, options set) of each plugin in an ``mkdocs.yml`` ``plugins`` list."""
    found: list[tuple[str, list[str]]] = []
    for entry in value or []:
        if isinstance(entry, str):
            found.append((entry, []))
        elif isinstance(entry, dict):
            found.extend((str(name), sorted(options or {})) for name, options in entry.items())
    return found


def engine_problem(engine: str) -> Problem | None:
    """Why ``engine`` cannot build here, if it cannot."""
    if engine == "zensical" and not zensical_installed():
        return Problem(
            "playbook.yaml",
            1,
            1,
            "build-engine",
            "error",
            "the Zensical engine is not installed: pip install 'playbookgen[zensical]' "
            "(or build with the default engine, --engine mkdocs)",
        )
    return None


def run_zensical(config_file: Path, site_dir: Path, source_date_epoch: str) -> list[Problem]:
    """Build the site source at ``config_file`` into ``site_dir`` with Zensical, strictly;
    returns a warning for each feature it skips. Raises :class:`PlaybookError` when Zensical
    is missing or the build fails."""
    missing = engine_problem("zensical")
    if missing is not None:
        raise PlaybookError([missing])
    project = config_file.parent
    # Zensical writes only inside its project folder: build there, then move the site out.
    inside = project / "zensical-site"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    config["site_dir"] = inside.name
    zensical_file = project / "zensical-mkdocs.yml"
    zensical_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch}
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", str(zensical_file)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        output = " ".join((done.stdout + done.stderr).split())[-2000:]
        raise PlaybookError(
            [
                Problem(
                    "playbook.yaml",
                    1,
                    1,
                    "build-engine",
                    "error",
                    f"Zensical could not build the site: {output}",
                )
            ]
        )
    if site_dir.exists():
        shutil.rmtree(site_dir)
    os.rename(inside, site_dir)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    return [
        Problem(
            "playbook.yaml", 1, 1, GAP_RULE, "warning", f"Zensical does not support {gap}; it is left out"
        )
        for gap in zensical_gaps(config_file)
    ]
