"""Rendering a checked playbook: the MkDocs site and the print documents."""

from __future__ import annotations

from pathlib import Path

import jinja2

from playbookgen import text
from playbookgen.resources import resource_dir


def environment(playbook_root: Path, subdir: str) -> jinja2.Environment:
    """A Jinja environment for ``templates/<subdir>``: the playbook's own templates first,
    then the built-in ones. Strict (a missing value is an error) and autoescaping."""
    search = [playbook_root / "templates" / subdir, resource_dir("templates") / subdir]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search if p.is_dir()]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = text.markdown
    env.filters["inline"] = text.inline
    env.filters["plain"] = text.plain
    return env
