"""No personal data: the only email addresses and phone numbers are the official contacts.

The playbook site is read by every agent, store and partner, and often printed: a
colleague's mobile number or a customer's email address pasted into a description leaks
personal data to all of them. Every email address and phone number in any text must be one
of the official `contacts` in `playbook.yaml` (phone numbers match whatever the spacing or
`+31`/`0` prefix). Placeholder addresses at example.com, example.org and example.net are
allowed, e.g. in a form field's help.

**Passes** — `playbook.yaml` lists the hotline `+31 20 555 0140`:

```yaml
description: Customers call the hotline on 020 555 0140.
```

**Fails**:

```yaml
description: If the team lead is away, call Sanne on +31 6 1234 5678.
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from playbookgen.model import Playbook
from playbookgen.problems import Severity
from playbookgen.rules.base import Finding, texts

ID = "personal-data"
SEVERITY: Severity = "error"
SUMMARY = "The only email addresses and phone numbers in the playbook are its official contacts."
SCOPE = "file"  # its findings in a file depend on that file and the single files only

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w+/#=.,-])\+?\(?\d[\d \u00a0().-]{5,22}\d(?![\w])")
_DIGITS = re.compile(r"\d\D?\d\D?\d")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_DATE = re.compile(r"^(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$")
_PLACEHOLDER = re.compile(r"(^|\.)example\.(com|net|org)$|\.(test|invalid|localhost)$")


def check(playbook: Playbook) -> Iterator[Finding]:
    emails, phones = _official(playbook)
    for doc, path, text in texts(playbook):
        if doc.relpath == "playbook.yaml" and path[:1] == ("contacts",):
            continue
        found: list[str] = []
        if "@" in text:
            for match in EMAIL.finditer(text):
                address = match.group(0).rstrip(".")
                domain = address.rsplit("@", 1)[1].lower()
                if address.lower() not in emails and not _PLACEHOLDER.search(domain):
                    found.append(f"the email address '{address}'")
        if _DIGITS.search(text):
            bare = _URL.sub(" ", text) if "://" in text or "www." in text else text
            for candidate in _phone_numbers(bare):
                if _national(candidate) not in phones:
                    found.append(f"the phone number '{candidate}'")
        for what in found:
            yield Finding(
                doc,
                path,
                f"{what} is not an official contact; the playbook is read by many — remove it, or if it "
                "is an official contact point add it to contacts in playbook.yaml",
            )


def _official(playbook: Playbook) -> tuple[set[str], set[str]]:
    emails: set[str] = set()
    phones: set[str] = set()
    for contact in playbook.all("contact"):
        if isinstance(contact.data.get("email"), str):
            emails.add(contact.data["email"].lower())
        if isinstance(contact.data.get("phone"), str):
            phones.add(_national(contact.data["phone"]))
    return emails, phones


def _phone_numbers(text: str) -> Iterator[str]:
    for match in PHONE.finditer(text):
        candidate = match.group(0).strip(" .-()\u00a0")
        digits = re.sub(r"\D", "", candidate)
        if not 8 <= len(digits) <= 15 or _DATE.match(candidate):
            continue
        groups = [g for g in re.split(r"[ \u00a0().-]+", candidate) if g]
        if candidate.startswith(("+", "0", "(")) or match.group(0).startswith("(") or len(groups) >= 3:
            yield candidate


def _national(phone: str) -> str:
    """The last nine digits: the same for +31 20 555 0140, 0031 20 5550140 and 020-555 0140."""
    return re.sub(r"\D", "", phone)[-9:]
