"""Deterministic synthetic playbooks of N categories, grown from the reference playbook.

The reference playbook's categories are copied in sets; each set also gets its own copy of
the recovery scripts, forms and training modules its categories use, with every reference
rewritten to the set's copies. Roles, SLA, RACI, KPIs and policies stay shared. The result
is valid and consistent (it passes ``playbookgen check``), so every stage does real work.

    python benchmarks/generate.py 1000 /tmp/pb-1000
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

REFERENCE = Path(__file__).resolve().parents[1] / "playbook"
COPIED = ("recovery", "forms", "training")


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: Any, schema: str) -> None:
    header = f"# yaml-language-server: $schema=../../schemas/{schema}.schema.json\n"
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + body, encoding="utf-8")


def _renamed(value: str, suffix: str) -> str:
    return f"{value}{suffix}" if suffix else value


def _translations(reference: Path, target: Path, folder: str, old_id: str, new_id: str) -> None:
    """Each language's translation of a copied item, under the copy's name (the same texts, so
    the translation stays current; a renamed category's name shows as outdated)."""
    for language in sorted((reference / "translations").glob("*")):
        source = language / folder / f"{old_id}.yaml"
        if source.is_file():
            copied = target / "translations" / language.name / folder / f"{new_id}.yaml"
            copied.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copied)


def one_language(root: Path, target: Path) -> Path:
    """A copy of the playbook at ``root`` in its source language only (no ``languages:``, no
    translations), for comparing a build in two languages with one in one."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(root, target, ignore=shutil.ignore_patterns("translations"))
    settings = target / "playbook.yaml"
    lines = settings.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("languages:")), None)
    if start is None:
        return target
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith((" ", "#")))
    settings.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    return target


def generate(count: int, target: Path, reference: Path = REFERENCE, *, languages: bool = False) -> Path:
    """Write a playbook with ``count`` categories into ``target`` (replaced if present); with
    ``languages``, in every language of the reference (its translations copied along), else in
    its source language only."""
    if not languages:
        generate(count, target, reference, languages=True)
        single = one_language(target, target.with_name(target.name + ".one"))
        shutil.rmtree(target)
        single.rename(target)
        return target
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(reference, target, ignore=shutil.ignore_patterns("categories", *COPIED))
    for folder in ("categories", *COPIED):
        (target / folder).mkdir()
    categories = [_read(p) for p in sorted((reference / "categories").glob("*.yaml"))]
    scripts = {d["id"]: d for d in (_read(p) for p in sorted((reference / "recovery").glob("*.yaml")))}
    forms = {d["id"]: d for d in (_read(p) for p in sorted((reference / "forms").glob("*.yaml")))}
    modules = {d["id"]: d for d in (_read(p) for p in sorted((reference / "training").glob("*.yaml")))}
    made = 0
    copy = 0
    while made < count:
        suffix = "" if copy == 0 else f"-s{copy:04d}"
        chosen = categories[: count - made]
        kept = {c["id"] for c in chosen}
        used_scripts: set[str] = set()
        used_forms: set[str] = set()
        for category in chosen:
            data = dict(category)
            data["id"] = _renamed(category["id"], suffix)
            _translations(reference, target, "categories", category["id"], data["id"])
            if suffix:
                data["name"] = f"{category['name']} ({copy})"
            used_scripts.update(category.get("recovery_scripts", []))
            used_forms.update(category.get("forms", []))
            if "closure_form" in category:
                used_forms.add(category["closure_form"])
            for key in ("forms", "recovery_scripts"):
                if key in data:
                    data[key] = [_renamed(v, suffix) for v in data[key]]
            if "closure_form" in data:
                data["closure_form"] = _renamed(data["closure_form"], suffix)
            _write(target / "categories" / f"{data['id']}.yaml", data, "category")
        for script_id in sorted(used_scripts):
            data = dict(scripts[script_id], id=_renamed(script_id, suffix))
            _write(target / "recovery" / f"{data['id']}.yaml", data, "recovery")
            _translations(reference, target, "recovery", script_id, data["id"])
        for form_id in sorted(used_forms):
            data = dict(forms[form_id], id=_renamed(form_id, suffix))
            _write(target / "forms" / f"{data['id']}.yaml", data, "form")
        for module_id, module in modules.items():
            covers = dict(module.get("covers", {}))
            covers["categories"] = [_renamed(c, suffix) for c in covers.get("categories", []) if c in kept]
            covers["forms"] = [_renamed(f, suffix) for f in covers.get("forms", []) if f in used_forms]
            if copy and not covers["categories"]:
                continue
            # Prerequisites stay on the first set's modules, which always exist.
            data = dict(module, id=_renamed(module_id, suffix), covers=covers)
            _write(target / "training" / f"{data['id']}.yaml", data, "training")
        made += len(chosen)
        copy += 1
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int, help="number of categories")
    parser.add_argument("target", type=Path, help="folder to write the playbook into (replaced)")
    args = parser.parse_args(argv)
    generate(args.count, args.target)
    print(f"wrote {args.count} categories to {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
