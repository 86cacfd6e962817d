"""Where the schemas and templates shipped with playbookgen live."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The ``schemas`` or ``templates`` folder: inside the wheel, or at the repository root
    when running from a source checkout (an editable install)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"playbookgen is installed without its {name}/ folder")


def package_dir(name: str) -> Path:
    """A folder shipped inside the package itself, such as ``locales``."""
    return _PACKAGE / name
