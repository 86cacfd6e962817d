"""The check cache: a check with a previous check's cache present says exactly what a cold
check says, after any edit; a damaged, foreign or stale cache is ignored."""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbookgen import checkcache
from playbookgen.check import check

from .conftest import REFERENCE

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
    (found,) = (cache / "check").iterdir()
    return found


@pytest.fixture
def playbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLAYBOOKGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "playbook"
    shutil.copytree(REFERENCE, root)
    return root


def edit(root: Path, data: st.DataObject) -> None:
    """One random edit of one random line of one random file (or of a whole file)."""
    files = sorted(p for p in root.rglob("*.yaml"))
    path = data.draw(st.sampled_from(files), label="file")
    lines = path.read_text(encoding="utf-8").split("\n")
    at = data.draw(st.integers(0, max(len(lines) - 1, 0)), label="line")
    how = data.draw(
        st.sampled_from(["value", "drop", "repeat", "ignore", "swap", "remove-file", "copy-file"]),
        label="edit",
    )
    line = lines[at]
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
        rule = data.draw(st.sampled_from(["unknown-reference", "money-separator", "orphaned-item"]))
        lines[at] = f"{line}  # playbookgen: ignore[{rule}] a test"
    elif how == "swap" and len(line) > 1:
        i = data.draw(st.integers(0, len(line) - 2), label="column")
        lines[at] = line[:i] + line[i + 1] + line[i] + line[i + 2 :]
    elif how == "remove-file":
        path.unlink()
        return
    elif how == "copy-file":
        shutil.copyfile(path, path.with_name(f"copy-{path.name}"))
        return
    path.write_text("\n".join(lines), encoding="utf-8")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_edits_give_the_same_output_warm_as_cold(playbook: Path, data: st.DataObject) -> None:
    """Every example starts from the reference with the cache the previous example left (so
    the files it edited changed back) and edits it; then one more edit, checked warm again."""
    shutil.rmtree(playbook)
    shutil.copytree(REFERENCE, playbook)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        edit(playbook, data)
    warm = output(playbook, cache=True)
    assert warm == output(playbook, cache=False)
    assert output(playbook, cache=True) == warm, "read back from the cache just written"
    edit(playbook, data)
    assert output(playbook, cache=True) == output(playbook, cache=False)


def test_a_warm_check_reads_no_unchanged_file_again(playbook: Path) -> None:
    output(playbook, cache=True)
    category = playbook / "categories" / "missing-item.yaml"
    category.write_text(category.read_text().replace("summary: ", "summary: edited ", 1))
    cold = output(playbook, cache=False)
    cache = checkcache.CheckCache(playbook)
    files = len(cache.old)
    parsed: list[str] = []
    original = cache.load

    def load(path, relpath, kind, raw, parse):  # type: ignore[no-untyped-def]
        return original(path, relpath, kind, raw, lambda raw: parsed.append(relpath) or parse(raw))

    cache.load = load  # type: ignore[method-assign]
    from playbookgen.check import _check

    result = _check(playbook, strict=False, today=None, cache=cache)
    assert parsed == ["categories/missing-item.yaml"]
    assert cache.hits == files - 1
    assert [(str(p), p.suppressed) for p in result.problems] == cold


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00not marshal data",
        marshal.dumps("a foreign value"),
        marshal.dumps((checkcache.FORMAT, "another stamp", {})),
        marshal.dumps((99, None, None)),
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


def test_a_truncated_pack_or_bad_entries_are_ignored(playbook: Path) -> None:
    cold = output(playbook, cache=False)
    output(playbook, cache=True)
    stored = pack(playbook.parent / "cache")
    whole = stored.read_bytes()
    stored.write_bytes(whole[: len(whole) // 2])
    assert output(playbook, cache=True) == cold
    # The right stamp, but entries this module never writes: each one is parsed again.
    fmt, stamp, entries = marshal.loads(stored.read_bytes())
    bad_blobs = [
        b"garbage",
        marshal.dumps((True, {}, "not bytes", {}, [])),
        marshal.dumps((False, None, b"", {}, [("x", 1, 1, "no-such-rule", "error", "m")])),
        marshal.dumps((False, None, b"", {}, [("x", "1", 1, "yaml-syntax", "fatal", "m")])),
    ]
    damaged = {
        rel: (kind, digest, bad_blobs[i % len(bad_blobs)], ("other", 5))
        for i, (rel, (kind, digest, _, _)) in enumerate(sorted(entries.items()))
    }
    damaged["not an entry"] = ("category", "not bytes", b"", None)  # type: ignore[assignment]
    stored.write_bytes(marshal.dumps((fmt, stamp, damaged)))
    assert output(playbook, cache=True) == cold


def test_a_pack_is_used_only_with_this_very_stamp(playbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack whose stored result disagrees with the file proves which packs are read: with
    this stamp it is believed (the bytes are the same), with any other it is not."""
    cold = output(playbook, cache=False)
    output(playbook, cache=True)
    stored = pack(playbook.parent / "cache")
    fmt, stamp, entries = marshal.loads(stored.read_bytes())
    kind, digest, blob, money = entries["playbook.yaml"]
    ok, data, source, suppressions, _ = marshal.loads(blob)
    planted = ("playbook.yaml", 1, 1, "yaml-syntax", "error", "planted")
    blob = marshal.dumps((ok, data, source, suppressions, [planted]))
    entries["playbook.yaml"] = (kind, digest, blob, money)
    stored.write_bytes(marshal.dumps((fmt, stamp, entries)))
    believed = [line for line, _ in output(playbook, cache=True)]
    assert "playbook.yaml:1:1: error yaml-syntax planted" in believed
    stored.write_bytes(marshal.dumps((fmt, "0" * 32, entries)))
    assert output(playbook, cache=True) == cold


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
