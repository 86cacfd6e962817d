"""Static SVG diagrams made at build time: a category's escalation path and the escalation
model. Standalone and deterministic (no fonts to fetch, no scripts, no ids that change), so
they show the same on the site, offline, in print and inside PDFs.

Text from YAML is XML-escaped; line breaks are computed from an estimate of glyph widths,
generous enough that text stays inside its box in any common sans-serif font.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as xml_escape

from playbookgen import text
from playbookgen.views.typed import CategoryView, PlaybookView, RoleView
from playbookgen.wording import Wording

WIDTH = 360
"""Drawing width: a phone screen, so text keeps a readable size when the image fits the screen."""
MARGIN = 10
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
WIDE_FONT = "'DejaVu Sans', system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
"""For a language Arial's stand-in on Linux (Liberation Sans) lacks letters of, such as
Vietnamese: DejaVu Sans first, which WeasyPrint then uses for every letter of the PDFs'
diagrams (with system-ui first it mixes Liberation Sans and DejaVu Sans letter by letter);
browsers without DejaVu Sans use the system font as before."""
INK = "#1f2d33"
MUTED = "#455a64"
STROKE = "#37474f"
BOX = ("#eef3f6", "#37474f")
OWNER = ("#fff4e0", "#b35c00")
START = ("#e3f2ef", "#00695c")
PARTNER = ("#ffffff", "#607d8b")

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 does not allow at all; a double-quoted YAML string can hold them ("\\0")."""


def escape(value: str) -> str:
    """Text for an SVG: XML-escaped, without the characters that would make it ill-formed."""
    return xml_escape(_NOT_XML.sub("", value))


_NARROW = set("fijlrtI.,:;'!|()[] ")
_WIDE = set("mwMW@%—–")


def text_width(line: str, size: float, *, bold: bool = False) -> float:
    """A generous estimate of the rendered width of ``line`` in a sans-serif font."""
    em = 0.0
    for char in line:
        if char in _NARROW:
            em += 0.36
        elif char in _WIDE:
            em += 1.0
        elif char.isupper():
            em += 0.75
        elif char.isdigit():
            em += 0.66
        else:
            em += 0.62
    return em * size * (1.1 if bold else 1.0)


def wrap(words: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """``words`` broken into lines no wider than ``width``; a word longer than a line is cut."""
    lines: list[str] = []
    current = ""
    for word in words.split():
        while text_width(word, size, bold=bold) > width:
            cut = len(word)
            while cut > 1 and text_width(word[:cut] + "-", size, bold=bold) > width:
                cut -= 1
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut] + "-")
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold=bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


@dataclass
class _Canvas:
    """SVG elements laid out top to bottom."""

    parts: list[str] = field(default_factory=list)
    y: float = MARGIN

    def text(
        self,
        x: float,
        lines: Iterable[str],
        size: float,
        *,
        fill: str = INK,
        weight: str = "normal",
        style: str = "normal",
        leading: float = 1.3,
    ) -> float:
        """Write ``lines`` starting at the current baseline; returns the height used."""
        step = size * leading
        used = 0.0
        for line in lines:
            used += step
            attrs = f'x="{x:g}" y="{self.y + used - step * 0.28:.1f}" font-size="{size:g}" fill="{fill}"'
            if weight != "normal":
                attrs += f' font-weight="{weight}"'
            if style != "normal":
                attrs += f' font-style="{style}"'
            self.parts.append(f"<text {attrs}>{escape(line)}</text>")
        return used

    def box(
        self,
        caption: str,
        titles: list[str],
        colours: tuple[str, str],
        *,
        dashed: bool = False,
        inset: float = 0,
    ) -> None:
        """A rounded box across the drawing (less ``inset`` on the left) with a small caption
        line and bold titles, one per line."""
        left = MARGIN + inset
        inner = WIDTH - 2 * MARGIN - inset - 24
        caption_lines = wrap(caption, 12, inner) if caption else []
        title_lines = [line for title in titles for line in wrap(title, 15, inner, bold=True)]
        height = 12 + len(caption_lines) * 12 * 1.3 + len(title_lines) * 15 * 1.3 + 10
        fill, stroke = colours
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        self.parts.append(
            f'<rect x="{left:g}" y="{self.y:.1f}" width="{WIDTH - MARGIN - left:g}" height="{height:.1f}" '
            f'rx="8" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>'
        )
        top = self.y
        self.y += 10
        self.y += self.text(left + 12, caption_lines, 12, fill=MUTED)
        self.y += self.text(left + 12, title_lines, 15, weight="bold")
        self.y = top + height

    def branch_lines(self, top: float, ticks: list[float], inset: float) -> None:
        """The line on the left that joins the boxes of one branched step, with a tick to each."""
        x = MARGIN + 26
        line = f'stroke="{STROKE}" stroke-width="2"'
        self.parts.append(f'<line x1="{x}" y1="{top:.1f}" x2="{x}" y2="{ticks[-1]:.1f}" {line}/>')
        for y in ticks:
            self.parts.append(f'<line x1="{x}" y1="{y:.1f}" x2="{MARGIN + inset:g}" y2="{y:.1f}" {line}/>')

    def arrow(self, label: str) -> None:
        """A downward arrow with ``label`` written beside it."""
        x = MARGIN + 26
        label_lines = wrap(label, 13, WIDTH - x - 14 - MARGIN) if label else []
        length = max(30.0, 12 + len(label_lines) * 13 * 1.3 + 8)
        top, bottom = self.y, self.y + length
        self.parts.append(
            f'<line x1="{x}" y1="{top:.1f}" x2="{x}" y2="{bottom - 7:.1f}" '
            f'stroke="{STROKE}" stroke-width="2"/>'
        )
        self.parts.append(
            f'<polygon points="{x - 6},{bottom - 9:.1f} {x + 6},{bottom - 9:.1f} {x},{bottom:.1f}" '
            f'fill="{STROKE}"/>'
        )
        self.y = top + 6
        self.text(x + 14, label_lines, 13, fill=MUTED, style="italic")
        self.y = bottom

    def gap(self, size: float) -> None:
        self.y += size

    def svg(self, title: str, description: str, words: Wording) -> str:
        height = round(self.y + MARGIN)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="title desc" '
            f'font-family="{WIDE_FONT if words.needs_wide_font else FONT}">\n'
            f'<title id="title">{escape(title)}</title>\n'
            f'<desc id="desc">{escape(description)}</desc>\n' + "\n".join(self.parts) + "\n</svg>\n"
        )


def _plain(value: object) -> str:
    return " ".join(text.plain(str(value)).replace("**", "").split())


def frontline_roles(category: CategoryView) -> list[RoleView]:
    """Who takes the case first: the owners of the resolve-now steps, else of the first step."""
    chosen = category.resolve_now or category.steps[:1]
    roles: list[RoleView] = []
    for step in chosen:
        if step.owner is not None and step.owner not in roles:
            roles.append(step.owner)
    return roles


def escalation_svg(category: CategoryView, words: Wording) -> str:
    """The escalation path of ``category`` as a standalone SVG, top (first contact) to bottom."""
    w = words
    owner = category.owner
    owner_id = owner.id if owner is not None else str(category.data.get("owner"))
    canvas = _Canvas()
    first = frontline_roles(category)
    names = [role.name for role in first] or [owner.name if owner is not None else owner_id]
    levels = {role.caption for role in first}
    level = levels.pop() if len(levels) == 1 else ""
    caption = w._("%(level)s · takes the case", level=level) if level else w._("Takes the case")
    owns_first = any(role.id == owner_id for role in first) or not first
    if owns_first:
        caption = w._("%(caption)s · owns it to closure", caption=caption)
    canvas.box(caption, names, OWNER if owns_first else START)
    described = [w._("First: %(names)s.", names=", ".join(names))]
    owner_on_path = owns_first
    for entry in category.path:
        when = _plain(entry.when)
        canvas.arrow(when)
        if entry.branched:
            top, ticks = canvas.y, []
            for index, target in enumerate(entry.targets):
                if index:
                    canvas.gap(8)
                start = canvas.y
                is_owner = target.role_id == owner_id and target.role is not None
                owner_on_path = owner_on_path or is_owner
                caption = _plain(target.label)
                if target.caption:
                    caption = f"{caption} · {target.caption}"
                if is_owner:
                    caption = w._("%(caption)s · owns it to closure", caption=caption)
                canvas.box(caption, [target.name], OWNER if is_owner else BOX, inset=40)
                ticks.append(start + 22)
            canvas.branch_lines(top, ticks, 40)
            branches = "; ".join(
                w._("%(condition)s → %(name)s", condition=_plain(t.label), name=t.name) for t in entry.targets
            )
            described.append(w._("Then, when: %(when)s %(branches)s.", when=when, branches=branches))
            continue
        is_owner = owner_id in entry.role_ids and any(t.role is not None for t in entry.targets)
        owner_on_path = owner_on_path or is_owner
        caption = entry.caption
        if is_owner:
            caption = (
                w._("%(caption)s · owns it to closure", caption=caption)
                if caption
                else w._("Owns it to closure")
            )
        canvas.box(caption, [entry.names], OWNER if is_owner else BOX)
        described.append(w._("Then %(name)s, when: %(when)s", name=entry.names, when=when))
    if not owner_on_path and owner is not None:
        canvas.gap(12)
        canvas.box(w._("Owns the case to closure"), [owner.name], OWNER)
        described.append(w._("%(name)s owns the case to closure.", name=owner.name))
    if category.partner is not None:
        canvas.gap(12)
        canvas.box(w._("Works with the partner team"), [category.partner.name], PARTNER, dashed=True)
        described.append(w._("Partner team: %(name)s.", name=category.partner.name))
    title = w._("Escalation path: %(name)s", name=_plain(category.name))
    return canvas.svg(title, " ".join(described), words)


def escalation_model_svg(view: PlaybookView) -> str:
    """The escalation levels, first contact at the top, with the roles at each level."""
    w = view.words
    canvas = _Canvas()
    roles = view.roles(r.id for r in view.playbook.all("role"))
    described: list[str] = []
    for index, level in enumerate(view.levels()):
        if index:
            canvas.arrow(w._("escalates to"))
        names = [r.name for r in roles if r.level is not None and r.level.id == level.id]
        canvas.box(level.caption, names or ["—"], BOX)
        described.append(
            w._("%(level)s: %(roles)s.", level=level.caption, roles=", ".join(names) or w._("no roles"))
        )
    partners = [r.name for r in roles if r.group == "partner"]
    if partners:
        canvas.gap(12)
        canvas.box(w._("Partner teams, called in at any level"), partners, PARTNER, dashed=True)
        described.append(w._("Partner teams: %(names)s.", names=", ".join(partners)))
    return canvas.svg(w._("Escalation model"), " ".join(described), w)


def describe_path(category: CategoryView, words: Wording) -> str:
    """One sentence for the diagram's alt text."""
    first = ", ".join(r.name for r in frontline_roles(category))
    chain = " → ".join(
        " | ".join(f"{_plain(t.label)} → {t.name}" for t in e.targets) if e.branched else e.names
        for e in category.path
    )
    path = f"{first} → {chain}" if chain else first
    return words._("Escalation path for %(name)s: %(path)s.", name=_plain(category.name), path=path)
