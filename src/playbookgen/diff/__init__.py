"""The semantic policy diff: what changed between two playbooks, said the way the people who
work to it would say it, and which training modules and printed documents that touches.

Two *models* are compared, never two texts: items are matched by kind and id (a file renamed
with the same content is no change), list entries by their id or natural key, and values are
read through the schemas — a reference is shown by the name of what it names, a duration in
words, a cap as money. Each change is classed:

- ``tightened``: the standard asks more of staff or leaves them less latitude (a shorter SLA
  target, a lower goodwill cap, a higher pass mark, a field made required, a higher priority);
- ``loosened``: the opposite;
- ``added`` / ``removed``: an item or an entry in a list appears or disappears;
- ``reworded``: text only;
- ``changed``: a change of substance without a direction (another owner role, a RACI letter).

The package is split by concern: :mod:`.load` reads the two sides, :mod:`.compare` (with
:mod:`.special` and :mod:`.shape`) finds the changes, :mod:`.affects` says whom they touch,
:mod:`.report` renders them, and :mod:`.words` holds every word the diff writes of its own.
"""

from __future__ import annotations

from playbookgen.diff.changes import CLASSES, Affects, Change, Changelog, DiffError, Side
from playbookgen.diff.compare import compare
from playbookgen.diff.load import diff_specs, previous_changelog, whats_new
from playbookgen.diff.report import FORMATS, render, render_markdown, render_text, whats_new_markdown
from playbookgen.diff.words import groups

__all__ = [
    "CLASSES",
    "FORMATS",
    "Affects",
    "Change",
    "Changelog",
    "DiffError",
    "Side",
    "compare",
    "diff_specs",
    "groups",
    "previous_changelog",
    "render",
    "render_markdown",
    "render_text",
    "whats_new",
    "whats_new_markdown",
]
