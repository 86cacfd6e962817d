from __future__ import annotations

from playbookgen.cli import run

run()
