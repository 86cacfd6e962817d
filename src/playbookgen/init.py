"""``playbookgen init``: a new playbook repository — a small but complete playbook that
passes ``check`` and builds, the schemas and editor settings for autocomplete, a pre-commit
hook, a CI workflow and a README on proposing changes by pull request."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from playbookgen import __version__
from playbookgen.resources import resource_dir
from playbookgen.schema import editor_settings, write_schemas

TEMPLATE_DATE = "2026-01-01"
"""The effective date written in the template; a new playbook starts on the day it is made."""

HOOK_REPOSITORY = "https://github.com/playbookgen/playbookgen"
"""Where pre-commit fetches the ``playbookgen-check`` hook from."""


class InitError(Exception):
    """The target folder cannot take a new playbook repository."""


def scaffold(target: Path, *, force: bool = False, today: date | None = None) -> list[Path]:
    """Write a new playbook repository into ``target``; return the files written. A folder
    that already holds files is refused unless ``force`` (then files of the same name are
    overwritten and the others left alone)."""
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} is a file; give a folder for the new playbook repository")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InitError(f"{target} is not empty; choose a new folder, or use --force to write into it")
    source = resource_dir("templates") / "init"
    tokens = {"__PLAYBOOKGEN_VERSION__": __version__, "__PLAYBOOKGEN_REPO__": HOOK_REPOSITORY}
    dated = {f'"{TEMPLATE_DATE}"': f'"{(today or date.today()).isoformat()}"'}
    written: list[Path] = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        relative = Path(*(_dotted(part) for part in path.relative_to(source).parts))
        text = path.read_text(encoding="utf-8")
        for token, value in (dated if relative == Path("playbook/playbook.yaml") else tokens).items():
            text = text.replace(token, value)
        written.append(_write(target / relative, text))
    written.extend(write_schemas(target / "schemas"))
    settings = json.dumps(editor_settings("schemas"), indent=2, ensure_ascii=False) + "\n"
    written.append(_write(target / ".vscode" / "settings.json", settings))
    return written


def _dotted(name: str) -> str:
    """Template files are stored as ``dot-gitignore`` so that packaging keeps them."""
    return "." + name[len("dot-") :] if name.startswith("dot-") else name


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
