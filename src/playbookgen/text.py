"""Untrusted text from YAML on its way into Markdown and HTML: escaped, links vetted,
policy values filled in. Content is never used as a template."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from html import escape

from markupsafe import Markup

POLICY_REF = re.compile(r"\{\{\s*policy\.([a-z0-9][a-z0-9-]*)\s*\}\}")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(\s*([^)\s]*)([^)]*)\)")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_MD_REFERENCE = re.compile(r"^ {0,3}\[([^\[\]\n]*)\]:[ \t]*\n?[ \t]*(\S*)", re.MULTILINE)
"""A Markdown reference definition, ``[id]: address``, which any ``[label][id]`` links to."""


def is_safe_url(url: str) -> bool:
    """http(s), mailto, tel and relative links are safe; javascript:, data: and the rest are not."""
    cleaned = "".join(ch for ch in url if ch > " ").lower()
    if cleaned.startswith(_SAFE_SCHEMES):
        return True
    return not _SCHEME.match(cleaned)


def links(text: str) -> Iterator[tuple[str, str]]:
    """(label, target) of every Markdown link in ``text``."""
    for match in _MD_LINK.finditer(text):
        yield match.group(1), _target(match)


def reference_links(text: str) -> Iterator[tuple[str, str]]:
    """(label, address) of every Markdown reference definition, ``[label]: address``, in
    ``text``: the address any ``[words][label]`` links to."""
    for match in _MD_REFERENCE.finditer(text):
        yield match.group(1), match.group(2)


def _target(match: re.Match[str]) -> str:
    """The address of a Markdown link with whatever follows it inside the parentheses, on one
    line: Markdown keeps a line break inside the address (``java\\nscript:``), browsers drop it."""
    return " ".join((match.group(2) + match.group(3)).split())


def policy_refs(text: str) -> Iterator[str]:
    """Ids of the policy values that ``text`` refers to with ``{{ policy.ID }}``."""
    for match in POLICY_REF.finditer(text):
        yield match.group(1)


def fill_policies(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every known ``{{ policy.ID }}`` replaced by the policy's current value."""
    return POLICY_REF.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def markdown(text: str, values: Mapping[str, str] | None = None) -> Markup:
    """Markdown from a text field: raw HTML escaped, unsafe links reduced to their label,
    images reduced to their alt text (a page must not load anything from another host),
    policy values filled in. Safe to drop into a generated Markdown page."""
    filled = _MD_IMAGE.sub(lambda m: m.group(1), fill_policies(text, values or {}))
    # Braces as a character reference: ``{: onclick=... }`` after a word would otherwise be an
    # attribute list (attr_list) setting event handlers or an href on the element before it.
    escaped = escape(filled, quote=False).replace("{", "&#123;")

    def vet(match: re.Match[str]) -> str:
        return match.group(0) if is_safe_url(_target(match)) else match.group(1)

    def vet_reference(match: re.Match[str]) -> str:
        return match.group(0) if is_safe_url(match.group(2)) else "&#91;" + match.group(0).lstrip()[1:]

    return Markup(_MD_REFERENCE.sub(vet_reference, _MD_LINK.sub(vet, escaped)))


def inline(text: str, values: Mapping[str, str] | None = None) -> Markup:
    """Like :func:`markdown`, on one line: for table cells and list items."""
    rendered = str(markdown(text, values))
    return Markup(" ".join(rendered.split()).replace("|", "\\|"))


def plain(text: str, values: Mapping[str, str] | None = None) -> str:
    """Text with policy values filled in and Markdown link syntax reduced to labels
    (for PDFs and places that do not render Markdown). Not escaped: Jinja does that."""
    filled = _MD_IMAGE.sub(lambda m: m.group(1), fill_policies(text, values or {}))
    return _MD_LINK.sub(lambda m: m.group(1), filled)


def a_or_an(word: str) -> str:
    """``word`` with its English indefinite article: 'an escalation level', 'a role'. Lowercase
    initialisms read letter by letter ('an SLA policy', 'an FAQ') count by their first letter's
    name; 'one' and 'u' sounding like 'you' take 'a'."""
    first = word.lstrip("'\"`").split(" ", 1)[0]
    if first.isupper() and len(first) > 1:
        vowel = first[0] in "AEFHILMNORSX"
    else:
        lowered = first.lower()
        vowel = lowered[:1] in ("a", "e", "i", "o", "u") and not lowered.startswith(
            ("one", "uni", "use", "eu")
        )
    return f"{'an' if vowel else 'a'} {word}"
