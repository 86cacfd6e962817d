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

from playbookgen import checkcache, kinds, model, projection, rules
from playbookgen.check import check
from playbookgen.model import load_playbook
from playbookgen.translations import languages

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
    result = check(root, cache=cache, light=cache)
    return [(str(p), p.suppressed) for p in result.problems]


def pack(cache: Path) -> Path:
    (found,) = (p for p in (cache / "check").iterdir() if not p.name.endswith(checkcache.CHANGES))
    return found


def read_pack(path: Path) -> tuple[int, str, str, dict[str, Any]]:
    """A pack's format, stamp, token and entries (each with its document's and whole data's blobs)."""
    blobs = path.read_bytes()
    size = int.from_bytes(blobs[:8], "big")
    fmt, stamp, token, _, body = marshal.loads(blobs[8 : 8 + size])
    index = marshal.loads(body)
    blobs = blobs[8 + size :]
    entries = {
        rel: tuple(
            blobs[value[0] : value[0] + value[1]] if at in checkcache.BLOBS else value
            for at, value in enumerate(entry)
        )
        for rel, entry in index.items()
    }
    return fmt, stamp, token, entries


def write_pack(
    path: Path, fmt: int, stamp: str, token: str, entries: dict[str, Any], *, seal: bool = True
) -> None:
    """Write entries as a pack (an entry without a blob as it is), its index sealed as
    checkcache seals it (or, without ``seal``, with a seal that does not match)."""
    index: dict[str, Any] = {}
    blobs: list[bytes] = []
    offset = 0
    for rel, entry in entries.items():
        if isinstance(entry, tuple) and len(entry) == 10 and isinstance(entry[3], bytes | memoryview):
            laid = list(entry)
            for at in checkcache.BLOBS:
                blob = bytes(entry[at])
                laid[at] = (offset, len(blob))
                blobs.append(blob)
                offset += len(blob)
            index[rel] = tuple(laid)
        else:
            index[rel] = entry
    body = marshal.dumps(index)
    head = marshal.dumps((fmt, stamp, token, checkcache._seal(body) if seal else bytes(16), body))
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
    assert set(marshal.loads(marshal.loads(changes.read_bytes())[4])) == {"categories/missing-item.yaml"}


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
    entry = cache.old[rel]
    context, rows = entry[checkcache.FINDINGS]
    planted = ("personal-data", 3, 1, "planted")
    entries = {**cache.old, rel: checkcache._with(entry, checkcache.FINDINGS, (context, [*rows, planted]))}
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
        marshal.dumps((True, {}, "not a mapping", [], False)),
        marshal.dumps((False, None, {}, [("x", 1, 1, "no-such-rule", "error", "m")], False)),
        marshal.dumps((False, None, {}, [("x", "1", 1, "yaml-syntax", "fatal", "m")], False)),
        marshal.dumps((True, "not a mapping", {}, [], True)),
    ]
    bad_refs = [None, "refs", [("role", False, ("x",), 5)], [("role",)]]
    bad_findings = [
        None,
        ("context", [("no-such-rule", 1, 1, "m")]),
        ("c", "rows"),
        ("c", [("review-due", "1")]),
    ]
    damaged = {
        rel: (
            kind,
            key,
            digest,
            bad_blobs[i % 5],
            ("other", 5),
            bad_refs[i % 4],
            bad_findings[(i // 4) % 4],
            b"not marshal data",
            b"",
            marshal.dumps(bad_refs[i % 4]),
        )
        for i, (rel, (kind, key, digest, *_)) in enumerate(sorted(entries.items()))
    }
    damaged["not an entry"] = ("category", None, "not bytes", b"", None, None, None, b"", b"", b"")  # type: ignore[assignment]
    write_pack(stored, fmt, stamp, token, damaged)
    assert output(playbook, cache=True) == cold
    # Kept entries whose references and findings are damaged, the seal of the index no longer
    # theirs: the pack is not believed.
    fmt, stamp, token, entries = read_pack(stored)
    damaged = {
        rel: (*entry[:5], ("ids", bad_refs[i % 4]), bad_findings[(i // 4) % 4], *entry[7:])
        for i, (rel, entry) in enumerate(sorted(entries.items()))
    }
    write_pack(stored, fmt, stamp, token, damaged, seal=False)
    stored.with_name(stored.name + checkcache.CHANGES).unlink(missing_ok=True)
    assert output(playbook, cache=True) == cold


def test_damaged_or_foreign_changes_beside_the_pack_are_ignored(playbook: Path, trusting: None) -> None:
    output(playbook, cache=True)
    category = playbook / "categories" / "missing-item.yaml"
    category.write_text(category.read_text().replace("summary: ", "summary: edited ", 1))
    output(playbook, cache=True)
    stored = pack(playbook.parent / "cache")
    changes = stored.with_name(stored.name + checkcache.CHANGES)
    fmt, stamp, _, seal, body = marshal.loads(changes.read_bytes())
    assert set(marshal.loads(body)) == {"categories/missing-item.yaml"}
    category.write_text(category.read_text().replace("summary: edited ", "summary: again ", 1))
    cold = output(playbook, cache=False)
    damages = [
        b"\x00",
        marshal.dumps((fmt, stamp, "another token", seal, body)),
        marshal.dumps((fmt, stamp, "token", bytes(16), body)),
        b"",
    ]
    for damage in damages:
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
    entry = entries["playbook.yaml"]
    ok, data, suppressions, _, projected = marshal.loads(entry[checkcache.LIGHT])
    planted = ("playbook.yaml", 1, 1, "yaml-syntax", "error", "planted")
    blob = marshal.dumps((ok, data, suppressions, [planted], projected))
    entries["playbook.yaml"] = checkcache._with(entry, checkcache.LIGHT, blob)
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


# --- projections: an unchanged file of a folder holds only what the cross-file rules read ---

READ_KEYS = sorted({key for keys in rules.declared_reads().values() for key in keys} | {"id"})


def one_language(root: Path) -> None:
    """The reference in its source language alone (a playbook in more than one language is
    loaded whole: its translation rules read every text)."""
    settings = root / "playbook.yaml"
    text = settings.read_text(encoding="utf-8")
    start = text.index("languages:\n")
    end = text.index("currency:", start)
    settings.write_text(text[:start] + text[end:], encoding="utf-8")


@pytest.fixture
def single(playbook: Path) -> Path:
    one_language(playbook)
    return playbook


def read_edit(root: Path, data: st.DataObject) -> None:
    """An edit of a value the cross-file rules read (an id, a list of ids, a key they look up)
    in a random file of a folder: another id of the playbook, a value of VALUES, the line
    dropped or repeated."""
    files = sorted(p for folder in kinds.folders() for p in (root / folder).glob("*.yaml"))
    path = data.draw(st.sampled_from(files), label="file")
    lines = path.read_text(encoding="utf-8").split("\n")
    keyed = [
        i
        for i, line in enumerate(lines)
        if line.split(":", 1)[0].strip().lstrip("- ") in (*READ_KEYS, "owner", "role", "print", "module")
    ]
    if not keyed:
        return
    at = data.draw(st.sampled_from(keyed), label="line")
    ids = sorted(p.stem for folder in kinds.folders() for p in (root / folder).glob("*.yaml"))
    how = data.draw(st.sampled_from(["id", "value", "drop", "repeat", "list"]), label="edit")
    head = lines[at].split(":", 1)[0]
    if how == "id":
        lines[at] = f"{head}: {data.draw(st.sampled_from(ids), label='id')}"
    elif how == "value":
        lines[at] = f"{head}: {data.draw(st.sampled_from(VALUES), label='value')}"
    elif how == "drop":
        del lines[at]
    elif how == "repeat":
        lines.insert(at, lines[at])
    else:
        lines[at] = (
            f"{head}: [{', '.join(data.draw(st.lists(st.sampled_from(ids), max_size=3), label='ids'))}]"
        )
    path.write_text("\n".join(lines), encoding="utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_edits_of_what_cross_file_rules_read_give_the_same_output_warm_as_cold(
    single: Path, trusting: None, data: st.DataObject
) -> None:
    """On a playbook in one language (its unchanged files of folders loaded as projections):
    edits of ids, references, channels, forms, scripts, areas … and any random edit, checked
    warm (light) against cold, then the cache read back once more."""
    shutil.rmtree(single)
    shutil.copytree(REFERENCE, single)
    one_language(single)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        if data.draw(st.booleans(), label="read-edit"):
            read_edit(single, data)
        else:
            edit(single, data)
    warm = output(single, cache=True)
    assert warm == output(single, cache=False)
    assert output(single, cache=True) == warm
    read_edit(single, data)
    assert output(single, cache=True) == output(single, cache=False)


def test_a_light_check_loads_unchanged_files_of_folders_as_projections(single: Path, trusting: None) -> None:
    output(single, cache=True)
    category = single / "categories" / "missing-item.yaml"
    category.write_text(category.read_text().replace("summary: ", "summary: edited ", 1))
    cold = output(single, cache=False)
    result = check(single, light=True)
    assert [(str(p), p.suppressed) for p in result.problems] == cold
    partial = {
        rel for rel, doc in result.playbook.docs.items() if isinstance(doc.data, projection.Projection)
    }
    folders = {rel for rel, kind in result.playbook.kinds.items() if kinds.source(kind).folder}
    assert partial == folders - {"categories/missing-item.yaml"}
    assert not isinstance(result.playbook.docs["playbook.yaml"].data, projection.Projection)


def test_a_read_outside_the_projection_gives_the_whole_file(
    single: Path, trusting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside the tests an undeclared read is slower, never wrong: the projection becomes the
    whole data, from the pack, or from the file when that part of the pack is damaged."""
    cold = load_playbook(single)[0]
    output(single, cache=True)
    rel = "categories/missing-item.yaml"
    data = check(single, light=True).playbook.docs[rel].data
    assert isinstance(data, projection.Projection) and data.partial
    with pytest.raises(projection.UndeclaredRead, match="steps"):
        data.get("steps")
    monkeypatch.setattr(projection, "STRICT", False)
    assert data.get("steps") == cold.docs[rel].data["steps"]
    assert not data.partial and list(data) == list(cold.docs[rel].data) and data == cold.docs[rel].data
    stored = pack(single.parent / "cache")
    fmt, stamp, token, entries = read_pack(stored)
    entries = {
        name: checkcache._with(entry, checkcache.DATA, b"\x00damaged") for name, entry in entries.items()
    }
    write_pack(stored, fmt, stamp, token, entries)
    stored.with_name(stored.name + checkcache.CHANGES).unlink(missing_ok=True)
    data = check(single, light=True).playbook.docs[rel].data
    assert data.partial and dict(data.items()) == cold.docs[rel].data


def projected(playbook: model.Playbook) -> model.Playbook:
    """The playbook with every file of a folder as its projection (the whole data at hand)."""
    for rel, kind in playbook.kinds.items():
        doc = playbook.docs[rel]
        if kinds.source(kind).folder and isinstance(doc.data, dict):
            data = doc.data
            doc.data = projection.Projection(projection.project(data, kind), kind, rel, lambda d=data: d)
    for bucket in playbook.items.values():
        for item in bucket.values():
            if item.path == () and isinstance(item.doc.data, projection.Projection):
                item.data = item.doc.data
    return playbook


TRANSLATION_RULES = {
    "translation-missing",
    "translation-outdated",
    "translation-stray",
    "script-translation-missing",
}


@pytest.mark.parametrize("root", _example_playbooks(), ids=lambda p: p.name)
def test_declared_reads_cover_what_each_cross_file_rule_reads(root: Path) -> None:
    """Every rule that looks across files, run on the example playbooks (the reference, the
    other examples, the negative ones) with every file of a folder as its projection, reads
    only the keys READS declares (an undeclared read raises) and finds what it finds on the
    whole files. A playbook in more than one language is loaded whole for the translation
    rules."""
    whole, _ = load_playbook(root)
    light = projected(load_playbook(root)[0])
    several = bool(languages(whole.settings)[1])
    for rule_id, rule in rules.RULES.items():
        part = rules.across_part(rule)
        if part is None or (several and rule_id in TRANSLATION_RULES):
            continue
        assert rules.reads(rule) is not None, f"{rule_id} declares no READS"
        try:
            expected = sorted(f.problem(rule_id, "error") for f in part(whole))
        except Exception:  # a playbook that breaks a schema: the runner loads it whole
            continue
        assert sorted(f.problem(rule_id, "error") for f in part(light)) == expected, rule_id
    assert projection.partial(light) or not any(kinds.source(k).folder for k in light.kinds.values())


def test_check_imports_neither_the_diff_nor_the_typed_views() -> None:
    """Part of a warm check's time is importing: ``check`` leaves out what only other commands
    need (the formats ``diff --format`` offers are the diff's own)."""
    import subprocess
    import sys

    from playbookgen.cli import DIFF_FORMATS
    from playbookgen.diff.report import FORMATS

    assert DIFF_FORMATS == FORMATS
    code = (
        "import sys, playbookgen.cli, playbookgen.check; "
        "print(sorted(m for m in sys.modules if m.startswith(('playbookgen.diff', 'playbookgen.views.typed', "
        "'xml'))))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_the_program_ends_without_freeing_and_loses_nothing(playbook: Path) -> None:
    """``playbookgen check`` as a program ends its process without freeing the loaded
    playbook (see ``cli._leave``): its report, exit status and check cache are still those of
    the command run in-process, cold and warm."""
    import subprocess
    import sys

    from click.testing import CliRunner

    from playbookgen import cli

    for category in (playbook / "categories").glob("*.yaml"):  # an error in each
        category.write_text(category.read_text().replace("name: ", "name: [", 1))
    program = [sys.executable, "-m", "playbookgen", "check", str(playbook), "--format", "json"]
    cold = subprocess.run(program, capture_output=True, text=True)
    assert pack(playbook.parent / "cache").exists()  # written before the process ended
    warm = subprocess.run(program, capture_output=True, text=True)
    assert not cli._OWN_PROCESS
    expected = CliRunner().invoke(cli.main, program[3:])
    assert expected.stdout.count('"file"') > 20 and expected.exit_code == 1
    for ran in (cold, warm):
        assert (ran.stdout, ran.returncode) == (expected.stdout, 1)
    code = (
        "import atexit, sys; from playbookgen.cli import run; atexit.register(print, 'exit handlers ran'); "
        f"sys.argv = ['playbookgen', 'check', {str(playbook)!r}]; run()"
    )
    ended = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert ended.returncode == 1 and " errors, " in ended.stdout
    assert "exit handlers ran" not in ended.stdout  # the interpreter did not tear down
