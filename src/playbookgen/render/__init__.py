"""Rendering a checked playbook: the MkDocs site and the print documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from playbookgen import codecache, text
from playbookgen.resources import resource_dir


def environment(
    playbook_root: Path, subdir: str, finalize: Callable[[Any], Any] | None = None
) -> jinja2.Environment:
    """A Jinja environment for ``templates/<subdir>``: the playbook's own templates first,
    then the built-in ones. Strict (a missing value is an error) and autoescaping.
    Compiled templates are kept in the per-user code cache (see :mod:`playbookgen.codecache`)."""
    search = [playbook_root / "templates" / subdir, resource_dir("templates") / subdir]
    # Everything that changes the code Jinja generates, so no stale compiled template is used.
    settings = f"jinja2 {jinja2.__version__} autoescape trim lstrip keep finalize={finalize is not None}"
    folder = codecache.cache_dir(f"templates-{subdir}-{codecache.key(settings)[:16]}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search if p.is_dir()]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None,
    )
    env.filters["markdown"] = text.markdown
    env.filters["inline"] = text.inline
    env.filters["plain"] = text.plain
    return env
