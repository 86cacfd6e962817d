"""The checks built into loading, schema validation and the model, documented like rules.

They run before the consistency rules (which only run on a playbook that loaded and
validated) and are not modules of their own: the loader, the schema validator and the model
report them, and the build reports what stops a site or a PDF being made from a valid
playbook. Only the ones that leave the model intact can be changed in ``rules:``.

This module holds data only (it is read when a :class:`~playbookgen.problems.Problem` is
made, to refuse an id nobody registered).
"""

from __future__ import annotations

from dataclasses import dataclass

from playbookgen import kinds
from playbookgen.problems import Severity


@dataclass(frozen=True)
class StageCheck:
    """A built-in check: its id, default severity, stage, one-line summary and Markdown doc."""

    id: str
    severity: Severity
    stage: str
    summary: str
    doc: str
    configurable: bool = False


def _check(
    id: str, stage: str, summary: str, doc: str, severity: Severity = "error", configurable: bool = False
) -> StageCheck:
    return StageCheck(id, severity, stage, summary, doc.strip(), configurable)


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join(w for w in (", ".join(words[:-1]), words[-1]) if w) if words else ""


def _required() -> str:
    """The files and folders every playbook has, as the catalogue of source kinds says."""
    required = [source for source in kinds.sources() if source.required]
    named = [f"`{s.path}`" for s in required if not s.folder]
    named += [f"a `{s.home}` folder" for s in required if s.folder]
    return _and(named)


STAGE_CHECKS: tuple[StageCheck, ...] = (
    _check(
        "missing-file",
        "load",
        "A required file or folder of the playbook is missing.",
        f"Every playbook has {_required()}. `playbookgen init` writes a complete starting point.",
    ),
    _check(
        "stray-file",
        "load",
        "A file in an item folder is not a .yaml file and is ignored.",
        f"Files in {_and([f'`{source.home}`' for source in kinds.folders().values()])} must end in `.yaml` "
        "(or `.yml`); anything else is ignored, which usually means a file saved with the wrong "
        "extension. Move it out of the folder.",
        severity="warning",
        configurable=True,
    ),
    _check(
        "translation-unknown",
        "load",
        "A file under translations/<language>/ is not named after a playbook file.",
        "A translation file has the path of the file it translates under the language's folder: "
        "`translations/nl/categories/late-delivery.yaml` translates `categories/late-delivery.yaml`. "
        "A file named otherwise translates nothing and is ignored.",
        severity="warning",
        configurable=True,
    ),
    _check(
        "file-outside-playbook",
        "load",
        "A playbook file is a link to a file outside the playbook folder.",
        "Symbolic links that leave the playbook folder are refused, so a pull request cannot make "
        "the build read files elsewhere on the machine. Copy the file in instead.",
    ),
    _check(
        "file-unreadable",
        "load",
        "A playbook entry cannot be read as a file.",
        "The entry is a folder, a device or a file without read permission. Make it a regular `.yaml` file.",
    ),
    _check(
        "file-too-large",
        "load",
        "A playbook file is larger than 4 MiB.",
        "Playbook files are small: one item per file. Split a large file into one file per item.",
    ),
    _check(
        "file-encoding",
        "load",
        "A file is not UTF-8 text, or holds a control character YAML forbids.",
        "Save the file as UTF-8 (most editors: *Save with encoding → UTF-8*). UTF-16 files and "
        "files with stray bytes from another encoding are refused at the first bad byte; a "
        "control character (NUL, form feed, a pasted vertical tab) is reported where it is — delete it.",
    ),
    _check(
        "yaml-syntax",
        "load",
        "The file is not valid YAML.",
        "Usually a wrong indentation, a tab used for indentation, or an unclosed quote. The "
        "problem points at the first place the parser could not read.",
    ),
    _check(
        "yaml-duplicate-key",
        "load",
        "A key appears twice in one mapping.",
        "YAML silently keeps only the last of two equal keys, so half of what was written would "
        "be lost. Remove or rename one of them.\n\n**Fails**:\n\n```yaml\nname: Missing item\n"
        "name: Item missing\n```",
    ),
    _check(
        "yaml-ambiguous-value",
        "load",
        "A value is read differently by different YAML tools (yes/no, 012, 1e3, 12:30…).",
        "YAML 1.1 tools read `no` as false, `012` as octal and `12:30` as a number of minutes. "
        "Write `true`/`false` for booleans and quote text, times and codes.\n\n**Passes**:\n\n"
        "```yaml\ncountry: 'NO'\nopen: '09:00'\n```\n\n**Fails**:\n\n```yaml\ncountry: NO\nopen: 09:00\n```",
    ),
    _check(
        "yaml-tag",
        "load",
        "A YAML tag such as !!python/object is used.",
        "Playbooks hold plain text, numbers, true/false, lists and mappings only; tags are refused "
        "so that loading a file can never run code.",
    ),
    _check(
        "yaml-complex-key",
        "load",
        "A list or mapping is used as a mapping key.",
        "Keys are plain text. Write the key as text.",
    ),
    _check(
        "yaml-merge",
        "load",
        "A `<<` merge key is not followed by a mapping.",
        "`<<: *anchor` merges a mapping (or a list of mappings) into this one; anything else "
        "cannot be merged.",
    ),
    _check(
        "yaml-multiple-documents",
        "load",
        "A file holds more than one YAML document (---).",
        "Each playbook file holds one document. Move the second part to a file of its own.",
    ),
    _check(
        "yaml-recursive-alias",
        "load",
        "An alias refers to the mapping or list that contains it.",
        "A recursive alias would make the data infinitely deep. Write the data out.",
    ),
    _check(
        "yaml-too-deep",
        "load",
        "A file nests more than 64 levels deep.",
        "No playbook file needs that many levels. Flatten the structure.",
    ),
    _check(
        "yaml-too-large",
        "load",
        "A file expands to more than 200,000 values (aliases repeating aliases).",
        "Anchors and aliases that repeat each other can blow up a small file (the 'billion laughs' "
        "attack). Write the data out plainly or split the file.",
    ),
    _check(
        "schema-empty-file",
        "schema",
        "A playbook file is empty.",
        "Each file needs the content its schema describes (`playbookgen schema` writes the "
        "schemas, for editor autocomplete).",
    ),
    _check(
        "schema-required",
        "schema",
        "A required key is missing.",
        "The problem names the key and what it holds. Add it.\n\n**Fails** — a category without "
        "an owner:\n\n```yaml\nid: missing-item\nname: Missing item\n```",
    ),
    _check(
        "schema-unknown-key",
        "schema",
        "A key is not part of the schema (often a typing mistake).",
        "The problem suggests the closest allowed key, or lists the allowed keys.\n\n**Fails**:"
        "\n\n```yaml\nsla_polcy: standard\n```",
    ),
    _check(
        "schema-type",
        "schema",
        "A value has the wrong type (text, number, list, mapping, true/false).",
        "For example a list where one id is expected, or a number where text is expected (quote "
        "it: `version: '1.0'`).",
    ),
    _check(
        "schema-enum",
        "schema",
        "A value is not one of the allowed words.",
        "The problem lists the allowed words and suggests the closest one.\n\n**Fails**:\n\n"
        "```yaml\nfamily: onlin\n```",
    ),
    _check(
        "schema-bad-id",
        "schema",
        "An id is not lowercase letters, digits and hyphens.",
        "Ids become file names and web addresses: lowercase letters, digits and hyphens, starting "
        "with a letter or digit, at most 64 characters, e.g. `missing-item`.",
    ),
    _check(
        "schema-bad-duration",
        "schema",
        "A duration is not ISO 8601.",
        "Write `PT15M` for 15 minutes, `PT4H` for four hours, `P2D` for two days.",
    ),
    _check(
        "schema-bad-date",
        "schema",
        "A date is not written YYYY-MM-DD.",
        "Write dates as `2026-11-01` (quoted or plain).",
    ),
    _check(
        "schema-bad-time",
        "schema",
        "A time is not written HH:MM.",
        "Write times as 24-hour `'09:00'`, in quotes.",
    ),
    _check(
        "schema-bad-format",
        "schema",
        "A value does not have the expected form (a web address, a currency code…).",
        "The problem says which form the value needs.",
    ),
    _check(
        "schema-too-few",
        "schema",
        "A list has fewer entries than it needs.",
        "For example a category without examples, or a channel handled by no role.",
    ),
    _check(
        "schema-empty-text",
        "schema",
        "A text is empty.",
        "Write something or remove the key.",
    ),
    _check(
        "schema-out-of-range",
        "schema",
        "A number is outside its allowed range.",
        "For example a negative goodwill cap, or a pass mark above 100.",
    ),
    _check(
        "schema-duplicate-item",
        "schema",
        "A list that must not repeat an entry repeats one.",
        "Remove the repeat.",
    ),
    _check(
        "schema-invalid",
        "schema",
        "A value breaks another schema constraint.",
        "The problem quotes the constraint.",
    ),
    _check(
        "money-separator",
        "model",
        "An amount is written with a separator that makes it mean something else.",
        "Amounts are plain digits, with a dot only before the decimals. YAML reads `50.000` as "
        "fifty, not fifty thousand, and `50,000` as text: a dot or comma followed by exactly three "
        "digits is refused wherever the currency has fewer decimals than that, and the problem "
        "says how to write either reading. Which values are amounts is read off the schemas "
        "(`x-unit: money`, or a `unit: currency` next to the value).\n\n**Passes** (EUR):\n\n"
        "```yaml\nper_case: 50000\nper_customer: 50.00\n```\n\n**Fails**:\n\n```yaml\n"
        "per_case: 50.000\n```",
    ),
    _check(
        "money-minor-units",
        "model",
        "An amount has more decimals than its currency has.",
        "An amount fits the minor units of the playbook's currency (ISO 4217): two decimals for "
        "EUR, none for JPY, VND or KRW, three for KWD.\n\n**Passes** (VND):\n\n```yaml\n"
        "per_case: 100000\n```\n\n**Fails** (VND):\n\n```yaml\nper_case: 100000.5\n```",
    ),
    _check(
        "value-type",
        "model",
        "A policy value or KPI target is not of the type its unit says.",
        "A value with `unit: currency` is an amount in the playbook currency (and must fit it, as "
        "`money-separator` and `money-minor-units` say); `text` takes anything; every other unit "
        "(percent, count, minutes, hours, days…) takes a plain number, without the unit written "
        "after it.\n\n**Passes**:\n\n```yaml\nvalue: 25\nunit: currency\n```\n\n**Fails**:"
        "\n\n```yaml\nvalue: 25.000đ\nunit: currency\n```",
    ),
    _check(
        "unknown-reference",
        "model",
        "An id refers to an item that does not exist.",
        "Every reference resolves: a category's SLA policy, owner, channels, forms, scripts and "
        "partner team; an SLA target's calendar; training's categories and policies; RACI roles; "
        "and so on. The problem suggests the closest existing id.\n\n**Passes** — `roles.yaml` "
        "defines `case-owner`:\n\n```yaml\nowner: case-owner\n```\n\n**Fails**:\n\n"
        "```yaml\nowner: case-ownr\n```",
    ),
    _check(
        "duplicate-id",
        "model",
        "Two items of the same kind have the same id.",
        "Ids are unique per kind (two roles, two categories…), in one file or across files. "
        "Rename one of them.\n\n**Fails** — `roles.yaml`:\n\n```yaml\nroles:\n  - id: agent\n"
        "    name: Chat agent\n  - id: agent\n    name: Voice agent\n```",
    ),
    _check(
        "id-matches-file",
        "model",
        "An item file's id differs from its file name.",
        "`categories/missing-item.yaml` holds the category `missing-item`, so a file is easy to "
        "find from its id.\n\n**Passes** — `categories/missing-item.yaml`:\n\n```yaml\n"
        "id: missing-item\n```\n\n**Fails** — `categories/missing-item.yaml`:\n\n```yaml\n"
        "id: item-missing\n```",
        configurable=True,
    ),
    _check(
        "rules-config",
        "config",
        "The rules: mapping in playbook.yaml names a rule that does not exist or cannot change.",
        "`rules:` in `playbook.yaml` maps a rule id to `error`, `warning` or `off`. The id must be "
        "one that `playbookgen rules` lists; checks of loading and the schema cannot be changed "
        "because nothing can be checked without them.\n\n**Passes**:\n\n```yaml\nrules:\n"
        "  orphaned-item: off\n  training-duration-sum: error\n```\n\n**Fails**:\n\n```yaml\n"
        "rules:\n  orphaned-items: off\n```",
    ),
    _check(
        "build-output",
        "build",
        "The output folder cannot be replaced by the site.",
        "The build replaces its output folder as a whole, so it refuses a folder that holds the "
        "playbook, a file, or a folder with other things in it than a built site. Build into a "
        "folder of its own, e.g. `--out site`.",
    ),
    _check(
        "template-error",
        "build",
        "A site template failed to render.",
        "A page template (the built-in ones, or a playbook's own `templates/site/` files) used a "
        "value the playbook does not have, or has a syntax error. The problem names the template "
        "and its line; fix the template.",
    ),
    _check(
        "site-build",
        "build",
        "MkDocs could not build the site (a broken link, a page missing from the nav).",
        "The site is built with MkDocs in strict mode, so a broken link fails the build instead of "
        "publishing a page that leads nowhere. The problem points at the playbook file (and line) "
        "the link is written in; fix the link or the id it names.",
    ),
    _check(
        "build-engine",
        "build",
        "The site engine chosen with --engine is not installed or could not build the site.",
        "`build --engine zensical` builds the generated pages with Zensical, an optional extra: "
        "`pip install 'playbookgen[zensical]'`. The problem quotes Zensical's own output when its "
        "build fails; the default engine (`--engine mkdocs`) needs nothing extra.",
    ),
    _check(
        "engine-unsupported",
        "build",
        "The site engine skips a plugin or option the generated site uses.",
        "Zensical reads `mkdocs.yml` but silently skips the plugins and options it does not "
        "implement yet. The build names each one, so that what the site lacks is known (for "
        "example, the search language). Build with `--engine mkdocs` for the complete site.",
        severity="warning",
    ),
    _check(
        "print-template",
        "build",
        "A print template failed to render.",
        "A print document's template (built-in, or a playbook's own `templates/print/` file) failed. "
        "The problem names the template and its line; fix the template.",
    ),
    _check(
        "pdf-render-failed",
        "build",
        "WeasyPrint could not turn a print document into a PDF.",
        "Usually an overridden print template or stylesheet that WeasyPrint cannot lay out. Check "
        "the overrides; with the built-in templates this is a playbookgen bug worth reporting.",
    ),
    _check(
        "cheat-sheet-overflow",
        "build",
        "A cheat sheet does not fit on one page.",
        "Agents keep the cheat sheet beside their queue: it must be one printed page. List fewer "
        "categories on it or shorten its phrases; the problem says by how much it overflows. "
        "Only rendering finds it: `build` reports it, and so does `check --print`, which renders "
        "just the cheat sheets (seconds instead of every PDF).",
    ),
    _check(
        "source-date-epoch",
        "build",
        "The SOURCE_DATE_EPOCH environment variable is not a whole number of seconds.",
        "Reproducible builds stamp pages and PDFs with `SOURCE_DATE_EPOCH` when it is set. Set it to "
        "a number of seconds since 1970-01-01 (e.g. `$(git log -1 --format=%ct)`) or unset it.",
    ),
    _check(
        "roster-csv",
        "build",
        "The roster CSV given to build --roster cannot be read.",
        "`playbookgen build --roster people.csv` prints the names of a roster on the sign-off sheets "
        "of the change briefings. The first line names the columns: `name`, and optionally `team` "
        "(a team or store) and `audience` (`in-store`, `agents`, `leaders` or `trainers`; empty "
        "puts the person on every briefing).\n\n**Passes**:\n\n```csv\nname,team,audience\n"
        "Sanne de Vries,Utrecht Hoog Catharijne,in-store\n```\n\n**Fails** — no such audience:"
        "\n\n```csv\nname,team,audience\nSanne de Vries,Utrecht,stores\n```",
    ),
    _check(
        "previous-version-unreadable",
        "build",
        "The previous version named in playbook.yaml cannot be read, so What's new is empty.",
        "`previous:` in `playbook.yaml` names the version the *What's new* page compares with: a "
        "git revision (`git:v2026.10`) of the playbook's repository, or a folder relative to the "
        "playbook. The site is still built, saying there is no comparison. Fetch the tag (CI "
        "checkouts are often shallow: `fetch-depth: 0`), fix the name, or fix the errors of the "
        "previous version. Builds that never have the history (`rules: {previous-version-unreadable: "
        "off}`) can turn it off.\n\n**Passes**:\n\n```yaml\nprevious: git:v2026.10\n```\n\n**Fails** "
        "— no such tag:\n\n```yaml\nprevious: git:v2026.1O\n```",
        severity="warning",
        configurable=True,
    ),
    _check(
        "yaml-comma-in-text",
        "load",
        "A comma inside unquoted text in a {…} mapping split the text in two.",
        "Inside `{…}` a comma separates entries, so the text after a comma becomes a key of its "
        "own. Put the whole text in quotes, or write one key per line (`playbookgen fmt` does "
        "it).\n\n**Passes**:\n\n```yaml\nholidays:\n  - name: Boxing day (first, second day)\n"
        '    date: "2026-12-26"\n```\n\n**Fails**:\n\n```yaml\nholidays:\n'
        '  - {name: Boxing day (first, second day), date: "2026-12-26"}\n```',
    ),
    _check(
        "yaml-colon-in-text",
        "load",
        "Unquoted text contains ': ', which YAML reads as a new key.",
        "A colon followed by a space starts a key. Put text that contains one in quotes.\n\n"
        '**Passes**:\n\n```yaml\nsummary: "Note: check the tracking first"\n```\n\n'
        "**Fails**:\n\n```yaml\nsummary: Note: check the tracking first\n```",
    ),
    _check(
        "yaml-text-after-quote",
        "load",
        "Text starts with a quote and goes on after the closing quote.",
        "A value that starts with a quote ends at the closing quote. Put the whole text in the "
        "other kind of quotes, or do not start it with a quote.\n\n**Passes**:\n\n```yaml\n"
        "summary: '\"Delivered\" but not received'\n```\n\n**Fails**:\n\n```yaml\n"
        'summary: "Delivered" but not received\n```',
    ),
    _check(
        "yaml-comment-in-text",
        "load",
        "' #' inside unquoted text starts a comment and cuts the text short.",
        "After a space, `#` starts a comment, so the rest of the line is left out of the value. "
        "Put the whole text in quotes if it belongs to it.\n\n**Passes**:\n\n```yaml\n"
        'summary: "Our #1 complaint"\n```\n\n**Fails**:\n\n```yaml\nsummary: Our #1 complaint\n```',
        severity="warning",
    ),
    _check(
        "yaml-list-indent",
        "load",
        "A list item is indented differently from the items above it.",
        "The dashes of one list line up in the same column.\n\n**Fails**:\n\n```yaml\nsteps:\n"
        "  - do: Check the order.\n   - do: Send the item.\n```",
    ),
    _check(
        "yaml-missing-space",
        "load",
        "A space is missing after a list dash or a key's colon.",
        "Write `- item` and `key: value`, with a space after the dash and the colon.\n\n"
        "**Fails**:\n\n```yaml\nkeywords:\n  -late\nowner:agent\n```",
    ),
    _check(
        "yaml-smart-quotes",
        "load",
        "Text is wrapped in typographic quotes pasted from a word processor.",
        "YAML only reads straight quotes (`\"` and `'`) as quotes; “ ” and ‘ ’ stay part of the "
        "text. Use straight quotes, or leave them out.\n\n**Fails**:\n\n```yaml\n"
        "summary: “Late delivery”\n```",
        severity="warning",
    ),
    _check(
        "fmt-unsafe",
        "fmt",
        "playbookgen fmt left a file as it was: it uses anchors, or rewriting it would change a value.",
        "`playbookgen fmt` reads every file back after rewriting it and keeps the new layout only "
        "when every value is the same; if that ever fails, please report the file. Files that use "
        "YAML anchors (`&name`) and aliases (`*name`) are left alone too: write the repeated "
        "values out to let fmt lay the file out.",
    ),
    _check(
        "staffing-setup",
        "staff",
        "A channel in the forecast, or the playbook, lacks what the staffing plan needs.",
        "`playbookgen staff` plans a channel from its `staffing:` entry in `channels.yaml` (method, "
        "handle time, service level or response time, chat concurrency) and two policy values in "
        "`policies.yaml`: `staffing-shrinkage` and `staffing-max-occupancy` (unit percent). Add "
        "the missing entry; the problem names it.",
    ),
    _check(
        "forecast-row",
        "staff",
        "A row of the volume forecast cannot be planned and was left out of the plan.",
        "Each row of the forecast CSV gives `interval_start` (ISO 8601 date and time, on the "
        "interval grid), `channel` (an id from `channels.yaml`), `contacts` (a number, 0 or more) "
        "and optionally `aht_seconds` and `concurrency`. The problem names the line and column of "
        "the bad value; fix it and run `playbookgen staff` again.",
    ),
    _check(
        "ticket-row",
        "measure",
        "A row of the ticket export cannot be measured and was left out of the figures.",
        "`playbookgen measure` reads each ticket's id, creation time, priority and, when there, "
        "first-reply and resolution times. A row with a date that cannot be read, a priority "
        "that `helpdesk.yaml` does not map to a playbook priority, or a reply or resolution "
        "before the ticket was created is counted and reported with its line; the other rows "
        "are still measured. Fix the export (or the mapping) and run `measure` again.",
    ),
    _check(
        "measure-setup",
        "measure",
        "The ticket export or the playbook lacks what the attainment report needs.",
        "The export needs its header line with the columns of its source (see `playbookgen "
        "measure --help` and the README: Zendesk, Freshdesk or the generic columns), and the "
        "playbook an SLA policy with targets for the tickets' priorities.",
    ),
    _check(
        "export-not-carried",
        "export",
        "Something in the playbook cannot be carried over into the helpdesk's configuration.",
        "Zendesk and Freshdesk hold four priorities, a fixed set of SLA metrics and one set of "
        "business hours per SLA policy; Freshdesk targets are at least 15 minutes. What does "
        "not fit is reported at its place in the playbook and left out of the exported files "
        "(or rounded, as the message says): set it up in the helpdesk by hand, or change the "
        "playbook (`helpdesk.yaml` maps priorities, channels and categories).",
        severity="warning",
    ),
)
