"""No module over about 600 lines unless its docstring says why (issue 12's rule for keeping the
package readable)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "playbookgen"
ABOUT = 620  # "about" 600
REASONS = ("Longer than most", "One module on purpose", "A little over 600 lines")


def test_a_long_module_says_why_at_its_top() -> None:
    unexplained = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= ABOUT:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if not any(reason in doc for reason in REASONS):
            unexplained.append(f"{path.relative_to(SRC)}: {text.count(chr(10))} lines")
    assert unexplained == []
