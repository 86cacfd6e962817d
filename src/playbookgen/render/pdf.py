"""Print documents (forms, training modules, QA scorecard, cheat sheets, whole playbook)
as PDFs with WeasyPrint. INTERFACE PLACEHOLDER while the print issue is in progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playbookgen.model import Playbook


@dataclass
class PdfResult:
    rendered: int = 0
    cached: int = 0
    files: list[Path] = field(default_factory=list)


def render_pdfs(
    playbook: Playbook, target: Path, cache_dir: Path, progress: Callable[[str], None] | None = None
) -> PdfResult:
    """Render every print document of ``playbook`` into ``target`` (the ``pdf/`` folder of the
    generated docs), reusing PDFs from ``cache_dir`` whose input has not changed."""
    raise NotImplementedError("PDF rendering lands with the print issue")
