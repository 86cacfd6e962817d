"""File-level hostile input: links out of the playbook, unreadable and huge files, BOMs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from playbookgen.check import check

from .conftest import EXAMPLES


@pytest.fixture
def playbook(tmp_path: Path) -> Path:
    target = tmp_path / "playbook"
    shutil.copytree(EXAMPLES / "minimal", target)
    return target


def located(root: Path) -> list[tuple[str, int, int, str]]:
    return [(p.path, p.line, p.column, p.rule) for p in check(root).problems]


def test_symlink_out_of_the_playbook_is_refused(playbook: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("policies: []\n", encoding="utf-8")
    (playbook / "policies.yaml").symlink_to(secret)
    assert located(playbook) == [("policies.yaml", 1, 1, "file-outside-playbook")]


def test_symlink_inside_the_playbook_is_followed(playbook: Path) -> None:
    (playbook / "shared").mkdir()
    shutil.move(playbook / "raci.yaml", playbook / "shared" / "raci.yaml")
    (playbook / "raci.yaml").symlink_to(playbook / "shared" / "raci.yaml")
    assert located(playbook) == []


def test_unreadable_file(playbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "roles.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    result = check(playbook)
    assert [(p.path, p.rule) for p in result.problems] == [("roles.yaml", "file-unreadable")]
    assert "permissions" in result.problems[0].message


def test_directory_where_a_file_is_expected(playbook: Path) -> None:
    (playbook / "sla.yaml").unlink()
    (playbook / "sla.yaml").mkdir()
    assert located(playbook) == [("sla.yaml", 1, 1, "file-unreadable")]


def test_huge_file_is_refused_without_reading_it_all(playbook: Path) -> None:
    with (playbook / "policies.yaml").open("w", encoding="utf-8") as handle:
        handle.write("policies:\n")
        handle.write("  - {id: x, name: x, value: 1, unit: days, description: x}\n" * 100_000)
    assert located(playbook) == [("policies.yaml", 1, 1, "file-too-large")]


def test_byte_order_mark_is_accepted(playbook: Path) -> None:
    raci = playbook / "raci.yaml"
    raci.write_bytes(b"\xef\xbb\xbf" + raci.read_bytes())
    assert located(playbook) == []


def test_missing_categories_folder(playbook: Path) -> None:
    shutil.rmtree(playbook / "categories")
    assert ("categories", 1, 1, "missing-file") in located(playbook)
