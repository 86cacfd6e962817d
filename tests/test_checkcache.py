"""The check cache: a check with a previous check's cache present says exactly what a cold
check says, after any edit; a damaged, foreign or stale cache is ignored."""

from __future__ import annotations

import marshal
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbookgen import checkcache, model, rules
from playbookgen.check import check
from playbookgen.model import load_playbook

from .conftest import EXAMPLES, REFERENCE

# Values that make every stage speak: YAML traps, schema types, amounts, dangling ids.
VALUES = [
    "50.000",
    "12.345",
    "'50,00 EUR'",
    "yes",
    "12:30",
    "1e3",
    "-1",
    "0",
    "",
    "[",
    "{a: b",
    "no-such-id",
    "missing-item",
    "'quoted text'",
    "text with a: colon",
    "[one, two]",
    "\t9",
]


def output(root: Path, *, cache: bool) -> list[tuple[str, str | None]]:
    result = check(root, cache=cache)
    return [(str(p), p.suppressed) for p in result.problems]


def pack(cache: Path) -> Path:
    (found,) = (p for p in (cache / "check").iterdir() if not p.name.endswith(checkcache.CHANGES))
    return found


def read_pack(path: Path) -> tuple[int, str, str, dict[str, Any]]:
    """A pack's format, stamp, token and entries (each with its document's blob)."""
    blobs = path.read_bytes()
    size = int.from_bytes(blobs[:8], "big")
    fmt, stamp, token, index = marshal.loads(blobs[8 : 8 + size])
    blobs = blobs[8 + size :]
    entries = {
        rel: (*entry[:3], blobs[entry[3][0] : entry[3][0] + entry[3][1]], *entry[4:])
        for rel, entry in index.items()
    }
    return fmt, stamp, token, entries


def write_pack(path: Path, fmt: int, stamp: str, token: str, entries: dict[str, Any]) -> None:
    """Write entries as a pack (an entry without a blob as it is)."""
    index: dict[str, Any] = {}
    blobs: list[bytes] = []
    offset = 0
    for rel, entry in entries.items():
        if isinstance(entry, tuple) and len(entry) == 7 and isinstance(entry[3], bytes | memoryview):
            blob = bytes(entry[3])
            index[rel] = (*entry[:3], (offset, len(blob)), *entry[4:])
            blobs.append(blob)
            offset += len(blob)
        else:
            index[rel] = entry
    head = marshal.dumps((fmt, stamp, token, index))
    path.write_bytes(len(head).to_bytes(8, "big") + head + b"".join(blobs))


@pytest.fixture
def playbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLAYBOOKGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "playbook"
    shutil.copytree(REFERENCE, root)
    return root


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files changed just now are trusted by their lstat too (in real use only those changed
    2 s before a check are: a test edits faster than that)."""
    monkeypatch.setattr(checkcache, "RACY_NS", 0)


EDITS = [
    "value",
    "drop",
    "repeat",
    "ignore",
    "swap",
    "same-size",
    "touch",
    "remove-file",
    "copy-file",
    "rename-file",
]


def edit(root: Path, data: st.DataObject) -> None:
    """One random edit of one random line of one random file (or of a whole file)."""
    files = sorted(p for p in root.rglob("*.yaml"))
    path = data.draw(st.sampled_from(files), label="file")
    lines = path.read_text(encoding="utf-8").split("\n")
    at = data.draw(st.integers(0, max(len(lines) - 1, 0)), label="line")
    how = data.draw(st.sampled_from(EDITS), label="edit")
    line = lines[at]
    before = path.stat()
    if how == "value" and ":" in line:
        head = line.split(":", 1)[0]
        lines[at] = f"{head}: {data.draw(st.sampled_from(VALUES), label='value')}"
    elif how == "value" and line.lstrip().startswith("- "):
        indent = line[: len(line) - len(line.lstrip())]
        lines[at] = f"{indent}- {data.draw(st.sampled_from(VALUES), label='value')}"
    elif how == "drop":
        del lines[at]
    elif how == "repeat":
        lines.insert(at, line)
    elif how == "ignore":
        rule = data.draw(
            st.sampled_from(["unknown-reference", "money-separator", "orphaned-item", "review-due"])
        )
        lines[at] = f"{line}  # playbookgen: ignore[{rule}] a test"
    elif how == "swap" and len(line) > 1:
        i = data.draw(st.integers(0, len(line) - 2), label="column")
        lines[at] = line[:i] + line[i + 1] + line[i] + line[i + 2 :]
    elif how == "same-size":
        # The same number of bytes and the old modification time: only the change time
        # (and the bytes) tell.
        letters = [i for i, ch in enumerate(line) if ch.isascii() and ch.isalpha()]
        if letters:
            i = data.draw(st.sampled_from(letters), label="column")
            lines[at] = line[:i] + line[i].swapcase() + line[i + 1 :]
        path.write_text("\n".join(lines), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        return
    elif how == "touch":
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 5_000_000_000))
        return
    elif how == "remove-file":
        path.unlink()
        return
    elif how == "copy-file":
        shutil.copyfile(path, path.with_name(f"copy-{path.name}"))
        return
    elif how == "rename-file":
        path.rename(path.with_name(f"renamed-{path.name}"))
        return
    path.write_text("\n".join(lines), encoding="utf-8")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_edits_give_the_same_output_warm_as_cold(
    playbook: Path, trusting: None, data: st.DataObject
) -> None:
    """Every example starts from the reference with the cache the previous example left (so
    the files it edited changed back) and edits it; then one more edit, checked warm again;
    then the cold result is cached and read back once more."""
    shutil.rmtree(playbook)
    shutil.copytree(REFERENCE, playbook)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        edit(playbook, data)
    warm = output(playbook, cache=True)
    assert warm == output(playbook, cache=False)
    assert output(playbook, cache=True) == warm, "read back from the cache just written"
    edit(playbook, data)
    warm = output(playbook, cache=True)
    assert warm == output(playbook, cache=False)
    assert output(playbook, cache=True) == warm


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_text_edits_that_keep_the_playbook_valid_give_the_same_output(
    playbook: Path, trusting: None, data: st.DataObject
) -> None:
    """Edits of texts only, so nothing breaks a schema and the file-scoped rules run from the
    cache (a playbook with a broken part runs every rule on every file)."""
    shutil.rmtree(playbook)
    shutil.copytree(REFERENCE, playbook)
    output(playbook, cache=True)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        files = [*sorted((playbook / "categories").glob("*.yaml")), playbook / "policies.yaml"]
        path = data.draw(st.sampled_from(files), label="file")
        text = path.read_text(encoding="utf-8")
        added = data.draw(
            st.sampled_from(
                [
                    "call +31 20 555 0199 ",
                    "mail jan@shop.nl ",
                    "[here](javascript:x) ",
                    "{{ policy.no-such-value }} ",
                    "{{ policy.return-window-days }} ",
                    "",
                ]
            ),
            label="text",
        )
        path.write_text(text.replace("summary: ", f"summary: {added}", 1), encoding="utf-8")
        assert output(playbook, cache=True) == output(playbook, cache=False)


def test_a_warm_check_reads_no_unchanged_file_again(
    playbook: Path, trusting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    output(playbook, cache=True)
    category = playbook / "categories" / "missing-item.yaml"
    category.write_text(category.read_text().replace("summary: ", "summary: edited ", 1))
    cold = output(playbook, cache=False)
    read: list[str] = []
    original = model.read_file

    def read_file(path: Path, relpath: str) -> tuple[bytes | None, list[object]]:
        read.append(relpath)
        return original(path, relpath)  # type: ignore[return-value]

    monkeypatch.setattr(model, "read_file", read_file)
    cache = checkcache.CheckCache(playbook)
    files = len(cache.old)
    from playbookgen.check import _check

    result = _check(playbook, strict=False, today=None, cache=cache)
    assert read == ["categories/missing-item.yaml"]
    assert cache.hits == files - 1
    assert [(str(p), p.suppressed) for p in result.problems] == cold
    changes = pack(playbook.parent / "cache").with_name(pack(playbook.parent / "cache").name + ".changes")
    assert set(marshal.loads(changes.read_bytes())[3]) == {"categories/missing-item.yaml"}


def test_a_file_changed_just_before_a_check_is_hashed_next_time(playbook: Path) -> None:
    """A file changed less than 2 s before a check is stored without its lstat (a change in
    the same tick of the file system's clock could leave the lstat the same); older ones
    with it."""
    time.sleep(checkcache.RACY_NS / 1e9 + 0.2)
    output(playbook, cache=True)
    assert all(entry[1] is not None for entry in checkcache.CheckCache(playbook).old.values())
    category = playbook / "categories" / "missing-item.yaml"
    category.write_text(category.read_text().replace("summary: ", "summary: edited ", 1))
    assert output(playbook, cache=True) == output(playbook, cache=False)
    entries = checkcache.CheckCache(playbook).old
    assert entries["categories/missing-item.yaml"][1] is None
    assert sum(entry[1] is None for entry in entries.values()) == 1


def test_file_scoped_findings_are_kept_and_reused(playbook: Path, trusting: None) -> None:
    """A finding planted in the stored findings of an unchanged file is believed (so the
    rules did not run on it again); once a single file changes, every file is checked again."""
    output(playbook, cache=True)
    cache = checkcache.CheckCache(playbook)
    rel = "categories/missing-item.yaml"
    kind, key, digest, blob, money, refs, (context, rows) = cache.old[rel]
    planted = ("personal-data", 3, 1, "planted")
    entries = {**cache.old, rel: (kind, key, digest, blob, money, refs, (context, [*rows, planted]))}
    stored = pack(playbook.parent / "cache")
    fmt, stamp, token, _ = read_pack(stored)
    write_pack(stored, fmt, stamp, token, entries)
    stored.with_name(stored.name + checkcache.CHANGES).unlink(missing_ok=True)
    assert f"{rel}:3:1: error personal-data planted" in [line for line, _ in output(playbook, cache=True)]
    roles = playbook / "roles.yaml"
    roles.write_text(roles.read_text() + "\n# a comment\n")
    assert output(playbook, cache=True) == output(playbook, cache=False)


def _example_playbooks() -> list[Path]:
    found = [REFERENCE, *(p for p in EXAMPLES.iterdir() if (p / "playbook.yaml").is_file())]
    negative = EXAMPLES / "negative"
    found += sorted(p for p in negative.iterdir() if (p / "playbook.yaml").is_file())
    return found


@pytest.mark.parametrize("root", _example_playbooks(), ids=lambda p: p.name)
def test_file_scoped_rules_find_the_same_in_each_file_alone(root: Path) -> None:
    """What a ``SCOPE = "file"`` rule (or the ``check_file`` part of a rule split in two)
    finds in a file is what it finds when it sees only that file and the single files: the
    promise that lets the cache keep its findings per file."""
    playbook, _ = load_playbook(root)
    scoped = [(rule_id, part) for rule_id, rule in rules.RULES.items() if (part := rules.file_part(rule))]
    assert len(scoped) > sum(rules.scope(rule) == "file" for rule in rules.RULES.values())
    for rule_id, part in scoped:
        try:
            whole = [f.problem(rule_id, "error") for f in part(playbook)]
        except Exception:  # a playbook that breaks a schema: the runner leaves the rule out
            continue
        for rel, kind in playbook.kinds.items():
            if not checkcache_folder(kind):
                continue
            alone = rules._part(playbook, {rel})
            assert sorted(f.problem(rule_id, "error") for f in part(alone) if f.doc.relpath == rel) == sorted(
                p for p in whole if p.path == rel
            ), (rule_id, rel)


def checkcache_folder(kind: str) -> bool:
    from playbookgen import kinds

    return kinds.source(kind).folder


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00not marshal data",
        marshal.dumps("a foreign value"),
        marshal.dumps((checkcache.FORMAT, "another stamp", "token", {})),
        marshal.dumps((1, None, None)),
        marshal.dumps((99, None, None, None)),
    ],
)
def test_a_damaged_or_foreign_pack_is_ignored_and_replaced(playbook: Path, damage: bytes) -> None:
    (playbook / "categories" / "missing-item.yaml").write_text("id: missing-item\nname: [\n")
    cold = output(playbook, cache=False)
    output(playbook, cache=True)
    stored = pack(Path(str(playbook.parent / "cache")))
    stored.write_bytes(damage)
    assert output(playbook, cache=True) == cold
    assert stored.read_bytes() != damage, "rewritten"


def test_a_truncated_pack_or_bad_entries_are_ignored(playbook: Path, trusting: None) -> None:
    cold = output(playbook, cache=False)
    output(playbook, cache=True)
    stored = pack(playbook.parent / "cache")
    whole = stored.read_bytes()
    stored.write_bytes(whole[: len(whole) // 2])
    assert output(playbook, cache=True) == cold
    # The right stamp, but entries this module never writes: each one is parsed again.
    fmt, stamp, token, entries = read_pack(stored)
    bad_blobs = [
        b"garbage",
        marshal.dumps((True, {}, "not bytes", {}, [])),
        marshal.dumps((False, None, b"", {}, [("x", 1, 1, "no-such-rule", "error", "m")])),
        marshal.dumps((False, None, b"", {}, [("x", "1", 1, "yaml-syntax", "fatal", "m")])),
    ]
    bad_refs = [None, "refs", [("role", False, ("x",), 5)], [("role",)]]
    bad_findings = [
        None,
        ("context", [("no-such-rule", 1, 1, "m")]),
        ("c", "rows"),
        ("c", [("review-due", "1")]),
    ]
    damaged = {
        rel: (kind, key, digest, bad_blobs[i % 4], ("other", 5), bad_refs[i % 4], bad_findings[(i // 4) % 4])
        for i, (rel, (kind, key, digest, _, _, _, _)) in enumerate(sorted(entries.items()))
    }
    damaged["not an entry"] = ("category", None, "not bytes", b"", None, None, None)  # type: ignore[assignment]
    write_pack(stored, fmt, stamp, token, damaged)
    assert output(playbook, cache=True) == cold
    # Kept entries whose references and findings are damaged: found again, never believed.
    fmt, stamp, token, entries = read_pack(stored)
    damaged = {
        rel: (*entry[:5], bad_refs[i % 4], bad_findings[(i // 4) % 4])
        for i, (rel, entry) in enumerate(sorted(entries.items()))
    }
    write_pack(stored, fmt, stamp, token, damaged)
    stored.with_name(stored.name + checkcache.CHANGES).unlink(missing_ok=True)
    assert output(playbook, cache=True) == cold


def test_damaged_or_foreign_changes_beside_the_pack_are_ignored(playbook: Path, trusting: None) -> None:
    output(playbook, cache=True)
    category = playbook / "categories" / "missing-item.yaml"
    category.write_text(category.read_text().replace("summary: ", "summary: edited ", 1))
    output(playbook, cache=True)
    stored = pack(playbook.parent / "cache")
    changes = stored.with_name(stored.name + checkcache.CHANGES)
    fmt, stamp, _, entries = marshal.loads(changes.read_bytes())
    assert set(entries) == {"categories/missing-item.yaml"}
    category.write_text(category.read_text().replace("summary: edited ", "summary: again ", 1))
    cold = output(playbook, cache=False)
    for damage in [b"\x00", marshal.dumps((fmt, stamp, "another token", entries)), b""]:
        changes.write_bytes(damage)
        assert output(playbook, cache=True) == cold
    # Many changed files: the whole pack is written again, and nothing beside it.
    for path in sorted((playbook / "categories").glob("*.yaml")):
        path.write_text(path.read_text() + "\n")
    assert output(playbook, cache=True) == output(playbook, cache=False)
    assert not changes.exists()


def test_a_pack_is_used_only_with_this_very_stamp(
    playbook: Path, trusting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pack whose stored result disagrees with the file proves which packs are read: with
    this stamp it is believed (the bytes are the same), with any other it is not; another
    version of playbookgen makes another stamp."""
    cold = output(playbook, cache=False)
    output(playbook, cache=True)
    stored = pack(playbook.parent / "cache")
    fmt, stamp, token, entries = read_pack(stored)
    kind, key, digest, blob, money, refs, findings = entries["playbook.yaml"]
    ok, data, source, suppressions, _ = marshal.loads(blob)
    planted = ("playbook.yaml", 1, 1, "yaml-syntax", "error", "planted")
    blob = marshal.dumps((ok, data, source, suppressions, [planted]))
    entries["playbook.yaml"] = (kind, key, digest, blob, money, refs, findings)
    write_pack(stored, fmt, stamp, token, entries)
    believed = [line for line, _ in output(playbook, cache=True)]
    assert "playbook.yaml:1:1: error yaml-syntax planted" in believed
    write_pack(stored, fmt, "0" * 32, token, entries)
    assert output(playbook, cache=True) == cold
    write_pack(stored, fmt, stamp, token, entries)
    assert "playbook.yaml:1:1: error yaml-syntax planted" in [
        line for line, _ in output(playbook, cache=True)
    ]
    write_pack(stored, fmt, stamp, token, entries)
    monkeypatch.setattr(checkcache, "__version__", "0.0.0-another")
    checkcache.stamp.cache_clear()
    try:
        assert output(playbook, cache=True) == cold
    finally:
        monkeypatch.undo()
        checkcache.stamp.cache_clear()


def test_the_stamp_covers_the_schemas_and_the_code(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(REFERENCE.parent / "schemas", schemas)
    package = Path(checkcache.__file__).parent
    first = checkcache.stamp_of([package, schemas])
    target = schemas / "category.schema.json"
    target.write_text(target.read_text().replace('"description"', '"description" ', 1))
    assert checkcache.stamp_of([package, schemas]) != first
    assert checkcache.stamp() == checkcache.stamp_of([package, REFERENCE.parent / "schemas"])


def test_cache_off_writes_nothing(playbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOKGEN_CACHE_DIR", "")
    assert output(playbook, cache=True) == output(playbook, cache=False)
    assert not (playbook.parent / "cache").exists()


def test_file_scoped_findings_follow_the_review_date(playbook: Path, trusting: None) -> None:
    """review-due and review-overdue keep their findings per file: another day (``--today``
    or ``SOURCE_DATE_EPOCH``) is another context, never the findings of the last one."""
    from datetime import date

    for today in [date(2026, 11, 1), date(2027, 6, 1), date(2026, 1, 1), None]:
        warm = [str(p) for p in check(playbook, today=today).problems]
        assert warm == [str(p) for p in check(playbook, today=today, cache=False).problems]
        assert any("review-overdue" in line for line in warm) == (today == date(2027, 6, 1))
