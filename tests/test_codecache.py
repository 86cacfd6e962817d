"""The per-user cache of compiled validators and templates: used when present, never trusted
blindly, and never in the way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from playbookgen import codecache

from .conftest import REFERENCE

CHECK = (
    "from pathlib import Path; from playbookgen.check import check; import sys; "
    "r = check(Path(sys.argv[1])); print(r.ok, len(r.problems))"
)
BUILD = (
    "from pathlib import Path; from playbookgen.render.site import site_files; "
    "from playbookgen.check import check; import sys; "
    "print(len(site_files(check(Path(sys.argv[1])).playbook).files))"
)


def run(code: str, cache: str) -> str:
    env = {"PLAYBOOKGEN_CACHE_DIR": cache, "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(REFERENCE)], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout


def test_first_run_fills_the_cache_and_the_second_gives_the_same_answer(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(CHECK, str(cache)), run(BUILD, str(cache))
    validators = sorted((cache / "validators").iterdir())
    templates = sorted(p for p in cache.glob("templates-site-*/*"))
    schemas = list((REFERENCE.parent / "schemas").glob("*.schema.json"))
    assert len(validators) == len(schemas) and templates, "one validator per schema, the site templates"
    stamps = [p.stat().st_mtime_ns for p in [*validators, *templates]]
    assert (run(CHECK, str(cache)), run(BUILD, str(cache))) == first
    assert [p.stat().st_mtime_ns for p in [*validators, *templates]] == stamps, "read, not rewritten"


def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = run(CHECK, str(cache))
    for damaged in (cache / "validators").iterdir():
        damaged.write_bytes(b"\x00not marshal data")
    # Without the check's own cache every file is validated again, so the validators are read.
    shutil.rmtree(cache / "check")
    assert run(CHECK, str(cache)) == expected
    assert all(p.read_bytes()[:1] != b"\x00" for p in (cache / "validators").iterdir())


def test_cache_off_or_unwritable_still_works(tmp_path: Path) -> None:
    expected = run(CHECK, str(tmp_path / "cache"))
    assert run(CHECK, "") == expected, "an empty PLAYBOOKGEN_CACHE_DIR turns the cache off"
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert run(CHECK, str(blocker / "cache")) == expected
    assert run(BUILD, str(blocker / "cache"))


def test_key_depends_on_every_part() -> None:
    assert codecache.key("a", "bc") != codecache.key("ab", "c")
    assert codecache.key("a") == codecache.key("a")


def test_templates_compiled_with_another_finalize_are_kept_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playbookgen.render import environment

    monkeypatch.setenv("PLAYBOOKGEN_CACHE_DIR", str(tmp_path))
    plain = environment(REFERENCE, "site")
    finalized = environment(REFERENCE, "site", lambda value: value)
    assert plain.bytecode_cache is not None and finalized.bytecode_cache is not None
    assert plain.bytecode_cache.directory != finalized.bytecode_cache.directory  # type: ignore[attr-defined]


def test_theme_templates_are_cached_but_not_the_per_build_overrides(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code = (
        "from pathlib import Path; from playbookgen.build import build; import sys; "
        "print(build(Path(sys.argv[1]), Path(sys.argv[2]), pdf=False).ok)"
    )
    env = {"PLAYBOOKGEN_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    counts = []
    for out in ("one", "two"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                str(REFERENCE.parent / "tests/examples/site-small"),
                str(tmp_path / out),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert result.stdout.strip() == "True", result.stderr
        counts.append(len(list(cache.glob("templates-theme-*/*"))))
    assert counts[0] > 10, "Material's templates are kept"
    assert counts[1] == counts[0], "the overrides in each build's temporary folder are not"
    assert (tmp_path / "one" / "index.html").read_bytes() == (tmp_path / "two" / "index.html").read_bytes()
