"""A per-user cache of compiled code, so that each run does not compile the same templates
and schema validators again (about a quarter of a second on every ``check`` and ``build``).

Like Python's own ``__pycache__``: what is stored is code compiled from playbookgen's schemas
and templates (and a playbook's own template overrides), keyed by a hash of everything the
compiled code depends on, in a folder only its owner can write. ``PLAYBOOKGEN_CACHE_DIR``
moves it; set it to an empty string to turn the cache off. When the folder cannot be
created or written, everything is compiled as before.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType


def cache_dir(kind: str) -> Path | None:
    """The folder for one kind of cached code, created if need be; None when caching is off
    or impossible."""
    configured = os.environ.get("PLAYBOOKGEN_CACHE_DIR")
    if configured == "":
        return None
    if configured:
        base = Path(configured)
    else:
        home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = Path(home) / "playbookgen"
    folder = base / kind
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder


def key(*parts: str | bytes) -> str:
    """A file name for cached code that depends on ``parts`` and the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:32]


def load_code(kind: str, name: str) -> CodeType | None:
    """Code stored by :func:`store_code`, or None."""
    folder = cache_dir(kind)
    if folder is None:
        return None
    try:
        code = marshal.loads((folder / name).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def store_code(kind: str, name: str, code: CodeType) -> None:
    """Keep ``code`` for later runs (atomically; silently not at all if the folder is not writable)."""
    folder = cache_dir(kind)
    if folder is None:
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(code))
        os.replace(temporary, folder / name)
    except OSError:
        return
