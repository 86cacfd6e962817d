"""The command line: parse options, call the library, print a report, pick an exit code.

(Longer than most modules: one thin click command per subcommand, each with its options and
help text; the work is in the library.)
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from playbookgen import __version__
from playbookgen.check import CheckResult
from playbookgen.check import check as run_check
from playbookgen.init import InitError, scaffold
from playbookgen.problems import Problem
from playbookgen.report import FORMATS, RULE_FORMATS, relocate, render, render_rules
from playbookgen.review_report import FORMATS as REVIEW_FORMATS
from playbookgen.rules import rule_docs
from playbookgen.schema import editor_settings, write_schemas

DIFF_FORMATS = ("text", "markdown", "json")
"""``diff --format`` (playbookgen.diff.report.FORMATS; the diff is imported only when run)."""

if TYPE_CHECKING:
    from playbookgen.build import BuildResult
    from playbookgen.model import Playbook

F = TypeVar("F", bound=Callable[..., Any])

PATH_ARGUMENT = click.Path(exists=True, file_okay=False, path_type=Path)
TODAY_HELP = (
    "Judge review dates on this day (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH when set, else the "
    "version's effective date."
)


def _today(ctx: click.Context, param: click.Parameter, value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def today_option(help_text: str = TODAY_HELP) -> Callable[[F], F]:
    """The --today option of the commands that judge review dates."""
    return click.option(
        "--today", type=click.DateTime(formats=["%Y-%m-%d"]), callback=_today, metavar="DATE", help=help_text
    )


_OWN_PROCESS = False
"""True when :func:`run` started the command: the process is the command's own, not a test's."""


def run() -> None:
    """The ``playbookgen`` program (and ``python -m playbookgen``): :func:`main` in a process
    of its own, which a command may end without freeing what it loaded (see :func:`_leave`)."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    main()


def _leave(code: int) -> NoReturn:
    """End the process now with ``code``, its output flushed. Freeing a large loaded playbook
    object by object (about 0.06 s at 5,000 categories, a twentieth of a warm ``check``) is
    work the operating system does at once; as mypy does, ``check`` skips it. Nothing of
    playbookgen waits for exit handlers: the check cache is written before the report."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: the usual exit reports it
        sys.exit(code)
    os._exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="playbookgen")
def main() -> None:
    """Customer-service policy as code: check a playbook of YAML and build its site and PDFs."""


@main.command()
@click.argument("path", type=PATH_ARGUMENT, default="playbook")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format."
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--print",
    "print_check",
    is_flag=True,
    help="Also render the cheat sheets (only them) to find one that runs over its page.",
)
@today_option()
def check(path: Path, fmt: str, strict: bool, print_check: bool, today: date | None) -> None:
    """Validate every file against its schema and check the playbook is consistent.

    With --print, a playbook without errors also has its cheat sheets rendered (a few
    seconds; the PDFs are cached for the next build in .playbookgen-cache/ here) and a sheet
    longer than one page is reported as cheat-sheet-overflow.

    Exit status: 0 clean (warnings alone too, unless --strict), 1 errors found, 2 usage
    error or a wrong rules: setting in playbook.yaml.
    """
    # The check pauses the cyclic collector (see playbookgen.check); turned on again while the
    # playbook is still alive, it would walk all of it once more for nothing. Kept off until
    # the playbook is freed (by reference counts) when the report is out.
    collecting = gc.isenabled()
    gc.disable()
    try:
        code, result = _check_report(path, fmt, strict, print_check, today, collecting)
        # The playbook still alive, the process ends without freeing it; after --print, which
        # started PDF workers, by the usual exit and its clean-up.
        if _OWN_PROCESS and not print_check:
            _leave(code)
        del result
    finally:
        if collecting:
            gc.enable()
    sys.exit(code)


def _check_report(
    path: Path, fmt: str, strict: bool, print_check: bool, today: date | None, collecting: bool
) -> tuple[int, CheckResult]:
    """Print what ``check`` found; the exit status, and the result (freed by the caller)."""
    result = run_check(path, strict=strict, today=today, light=not print_check)
    rendered = print_check and result.ok
    if rendered:
        from playbookgen.build import CACHE_DIR, in_language_edition, translated_playbooks
        from playbookgen.render.pdf import check_one_page  # WeasyPrint is slow to import

        if collecting:
            gc.enable()  # rendering takes seconds and makes cycles
        found = check_one_page(result.playbook, Path.cwd() / CACHE_DIR)
        for language, translated in translated_playbooks(result.playbook):  # every language's sheets
            found += in_language_edition(language, check_one_page(translated, Path.cwd() / CACHE_DIR))
        result.problems = sorted(result.problems + found)
    problems = relocate(result.problems, str(path))
    click.echo(render(problems, fmt), nl=False)
    if print_check and not rendered:
        click.echo("check --print: the cheat sheets are rendered once the errors are fixed", err=True)
    if fmt == "text":
        from playbookgen.translations import coverage_lines

        for line in coverage_lines(result.playbook):
            click.echo(line)
    return (2 if result.config_error else 0 if result.ok else 1), result


@main.command("review")
@click.argument("path", type=PATH_ARGUMENT, default="playbook")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REVIEW_FORMATS),
    default="text",
    show_default=True,
    help="text, markdown (for a monthly reminder issue) or json.",
)
@today_option("List what is due on this day (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH when set, else today.")
@click.option("--all", "everything", is_flag=True, help="List content that is up to date too.")
@click.option("--exit-code", is_flag=True, help="Exit with status 1 when a review is due or overdue.")
def review(path: Path, fmt: str, today: date | None, everything: bool, exit_code: bool) -> None:
    """List what is due or overdue for review, grouped by owner.

    Every item's owner, last review and interval come from its review: block or from
    review.defaults in playbook.yaml. Exit status: 0 listed (with --exit-code: nothing due or
    overdue), 1 a review is due or overdue (--exit-code) or the playbook has errors.
    """
    from playbookgen.review_report import gather
    from playbookgen.review_report import render as render_review

    result = run_check(path, today=today)
    blocking = [
        p
        for p in result.problems
        if p.severity == "error" and p.suppressed is None and not p.rule.startswith("review-")
    ]
    if blocking:
        click.echo(render(relocate(blocking, str(path)), "text"), nl=False)
        click.echo("Fix these errors (playbookgen check) before listing reviews.", err=True)
        sys.exit(1)
    listed = gather(result.playbook, today, everything=everything)
    click.echo(render_review(listed, fmt), nl=False)
    due = {"due", "overdue", "never"} & set(listed.counts)
    sys.exit(1 if exit_code and due else 0)


@main.command("fmt")
@click.argument("path", type=click.Path(exists=True, path_type=Path), default="playbook")
@click.option("--check", "check_only", is_flag=True, help="Change nothing; list the files fmt would change.")
def fmt_command(path: Path, check_only: bool) -> None:
    """Rewrite playbook files in one layout: block style, keys in schema order, quotes only
    where needed, long text folded. Comments and every value are kept.

    PATH is a playbook folder or one YAML file. Exit status: 0 nothing to change (or
    done), 1 with --check when a file would change, or when a file cannot be read as
    YAML, 2 usage error.
    """
    from playbookgen.fmt import format_path  # ruamel.yaml is loaded only for fmt

    result = format_path(path, check=check_only)
    base = str(path.parent) if path.is_file() else str(path)
    for relpath in result.changed:
        where = relpath if base in ("", ".") else f"{base.rstrip('/')}/{relpath}"
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {where}")
    if result.problems:
        click.echo(render(relocate(result.problems, base), "text"), nl=False)
    files = len(result.changed)
    noun = "file" if files == 1 else "files"
    done = "would be reformatted" if check_only else "reformatted"
    summary = f"{files} {noun} {done}" if files else "Nothing to reformat"
    click.echo(f"{summary}, {len(result.unchanged)} already formatted.")
    sys.exit(1 if result.problems or (check_only and result.changed) else 0)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RULE_FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
def rules(fmt: str) -> None:
    """List every consistency rule and built-in check: id, default severity, summary.

    Change a rule's severity or turn it off with rules: {rule-id: error|warning|off} in
    playbook.yaml; silence one place with # playbookgen: ignore[rule-id] reason.
    """
    click.echo(render_rules(rule_docs(), fmt), nl=False)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="schemas",
    show_default=True,
    help="Folder to write the JSON Schemas into.",
)
@click.option(
    "--playbook",
    "playbook_dir",
    default="playbook",
    show_default=True,
    help="The playbook folder the settings example maps the schemas to, from the workspace root.",
)
def schema(out: Path, playbook_dir: str) -> None:
    """Write the JSON Schemas (for editor autocomplete) and a VS Code settings example.

    The example, vscode-settings.json in the same folder, maps each playbook file to its
    schema for the YAML extension (redhat.vscode-yaml); copy it to .vscode/settings.json at
    the root of the repository (paths are relative to the folder this command runs in).
    """
    written = write_schemas(out)
    for path in written:
        click.echo(f"wrote {path}")
    where = Path(os.path.relpath(out.resolve(), Path.cwd())).as_posix()
    example = out / "vscode-settings.json"
    settings = editor_settings(where, playbook_dir.strip("/") or ".")
    example.write_text(json.dumps(settings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(f"wrote {example} (copy it to .vscode/settings.json)")


@main.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DIFF_FORMATS),
    default="text",
    show_default=True,
    help="markdown suits a pull-request comment; json lists each change with what it affects.",
)
@click.option("--exit-code", is_flag=True, help="Exit with status 1 when there are changes.")
@click.option(
    "--playbook",
    "anchor",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The playbook folder whose repository git:REV is read from "
    "(default: whichever side is a folder, else playbook).",
)
def diff(old: str, new: str, fmt: str, exit_code: bool, anchor: Path | None) -> None:
    """Show what changed in policy between two playbooks, and what to retrain and reprint.

    OLD and NEW are playbook folders or git revisions written git:REV (git:v2026.10,
    git:HEAD~1), read from the repository that holds the playbook.

    Exit status: 0 (with --exit-code: 0 no changes, 1 changes), 2 a playbook cannot be read
    or has errors.
    """
    from playbookgen.diff import DiffError, diff_specs
    from playbookgen.diff import render as render_diff

    try:
        changelog = diff_specs(old, new, anchor=anchor)
    except DiffError as exc:
        click.echo(f"error: {exc}", err=True)
        if exc.problems:
            click.echo(render(relocate(exc.problems, exc.label), "text"), err=True, nl=False)
        sys.exit(2)
    click.echo(render_diff(changelog, fmt), nl=False)
    sys.exit(1 if exit_code and changelog.changes else 0)


@main.group()
def translations() -> None:
    """Exchange a language's texts with translators as a PO file (Poedit, Weblate, Crowdin…)."""


@translations.command("export")
@click.argument("path", type=PATH_ARGUMENT, default="playbook")
@click.option(
    "--lang", "code", required=True, help="The language, e.g. nl (one of languages: in playbook.yaml)."
)
@click.option("--all", "everything", is_flag=True, help="Every text, not only the missing and outdated ones.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)
def translations_export(path: Path, code: str, everything: bool, out: Path | None) -> None:
    """Write a PO file of the texts a language lacks or has outdated (outdated ones marked fuzzy).

    Exit status: 0 written, 2 usage error (a language the playbook does not have, or a
    playbook that cannot be read).
    """
    from playbookgen.translation_files import TranslationError, export_po, language_of

    playbook = _readable(path)
    try:
        data = export_po(playbook, language_of(playbook, code), everything=everything)
    except TranslationError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        out.write_bytes(data)
        click.echo(f"wrote {out}", err=True)


@translations.command("import")
@click.argument("po_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("path", type=PATH_ARGUMENT, default="playbook")
@click.option("--lang", "code", required=True, help="The language of the PO file, e.g. nl.")
def translations_import(po_file: Path, path: Path, code: str) -> None:
    """Write the translated messages of a PO file into translations/<lang>/ (fuzzy and empty
    ones are left out), then run check to see what is still missing.

    Exit status: 0 imported, 2 usage error.
    """
    from playbookgen.translation_files import TranslationError, import_po, language_of

    playbook = _readable(path)
    try:
        imported = import_po(playbook, language_of(playbook, code), po_file.read_bytes())
    except TranslationError as error:
        click.echo(f"error: {po_file}: {error}", err=True)
        sys.exit(2)
    for name in imported.files:
        click.echo(f"wrote {path / name}")
    click.echo(f"{imported.texts} texts imported, {imported.skipped} left out (empty, fuzzy or unknown)")


def _readable(path: Path) -> Playbook:
    """The playbook at ``path``, or exit 2 when it has errors that stop it being read."""
    result = run_check(path)
    if not result.ok:
        click.echo(render(relocate(result.problems, str(path)), "text"), err=True, nl=False)
        if any(p.severity == "error" and not p.rule.endswith("translation-missing") for p in result.problems):
            click.echo("error: fix the errors above first", err=True)
            sys.exit(2)
    return result.playbook


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a folder that already has files.")
def init(directory: Path, force: bool) -> None:
    """Create a new playbook repository in DIRECTORY: a small playbook that passes check,
    schemas and VS Code settings, a pre-commit hook, a CI workflow and a README.

    Exit status: 0 written, 2 the folder is not empty (without --force) or is a file.
    """
    try:
        written = scaffold(directory, force=force)
    except InitError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"Wrote {len(written)} files into {directory}. Next:")
    click.echo(f"  cd {directory} && git init && git add . && git commit -m 'First playbook'")
    click.echo("  playbookgen check && playbookgen build --no-pdf")


def _scales(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[float, ...]:
    """``--scale 0.8 --scale 1.2`` or ``--scale 0.8,1,1.2``: the forecast multiplied by each."""
    scales: list[float] = []
    for value in values:
        for part in value.split(","):
            try:
                scale = float(part)
            except ValueError:
                raise click.BadParameter(f"'{part}' is not a number (write 0.8 or 1.5)") from None
            if not 0 < scale <= 100:
                raise click.BadParameter(f"{part} is not a scale above 0 (1 is the forecast as given)")
            scales.append(scale)
    return tuple(dict.fromkeys(scales)) or (1.0,)


def _located(problems: list[Problem], path: Path) -> list[Problem]:
    """Problems in playbook files prefixed with the playbook folder as the user wrote it;
    problems elsewhere (the output folder, a built-in template) keep their own path."""
    return [
        relocate([p], str(path))[0]
        if not Path(p.path).is_absolute()
        and not p.path.startswith("(")
        and p.rule not in ("forecast-row", "ticket-row")
        else p
        for p in problems
    ]


@main.command()
@click.argument("path", type=PATH_ARGUMENT, default="playbook")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="site",
    show_default=True,
    help="Folder for the built site; replaced as a whole only when the build succeeds.",
)
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Skip the PDFs (faster; the site then links no PDFs).")
@click.option("--offline", is_flag=True, help="Build a bundle that works opened from disk (file://).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="What builds the site: MkDocs with Material, or Zensical (optional extra playbookgen[zensical]).",
)
@click.option(
    "--staffing",
    "forecast",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Add a staffing plan page (and PDF) made from this volume forecast (see playbookgen staff).",
)
@click.option(
    "--staffing-scale",
    "scales",
    multiple=True,
    callback=_scales,
    help="Scenarios of the staffing plan, as for staff --scale.",
)
@click.option(
    "--staffing-interval",
    type=click.Choice(["15", "30"]),
    default="30",
    show_default=True,
    help="Length of the forecast's intervals in minutes.",
)
@click.option(
    "--tickets",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Add a service performance page (and monthly PDF) measured from this ticket export "
    "(see playbookgen measure).",
)
@click.option(
    "--tickets-from",
    type=click.Choice(["zendesk", "freshdesk", "generic"]),
    default="generic",
    show_default=True,
    help="Which helpdesk wrote the ticket export.",
)
@today_option()
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of the people who sign the change briefings (name, team, audience); default: blank lines.",
)
def build(
    path: Path,
    out: Path,
    no_pdf: bool,
    offline: bool,
    strict: bool,
    forecast: Path | None,
    scales: tuple[float, ...],
    staffing_interval: str,
    engine: str,
    tickets: Path | None,
    tickets_from: str,
    today: date | None,
    roster: Path | None,
) -> None:
    """Check the playbook, then build its site (and PDFs) into OUT.

    A failed build leaves the previous site untouched. Exit status: 0 built, 1 problems found.
    """
    # Imported here, not at the top: MkDocs and WeasyPrint would slow down `check`.
    from playbookgen.build import build as run_build

    staffing = None
    if forecast is not None:
        from playbookgen.staffing import StaffingRequest

        staffing = StaffingRequest(forecast, scales, int(staffing_interval))
    measured = None
    if tickets is not None:
        from playbookgen.measure import MeasureRequest  # numpy only when measuring

        measured = MeasureRequest(tickets, tickets_from)

    progress = None
    if not no_pdf:
        from playbookgen.render.pdf import progress_printer

        progress = progress_printer(
            lambda text: click.echo(text, nl=False, err=True), terminal=sys.stderr.isatty()
        )
    result = run_build(
        path,
        out,
        pdf=not no_pdf,
        offline=offline,
        strict=strict,
        progress=progress,
        engine=engine,
        staffing=staffing,
        tickets=measured,
        today=today,
        roster=roster,
    )
    active = [p for p in result.problems if p.suppressed is None]
    if not result.ok:
        click.echo(render(_located(result.problems, path), "text"), nl=False)
        click.echo(f"Build failed; {out} was left as it was.", err=True)
        sys.exit(1)
    for problem in _located(active, path):
        click.echo(str(problem))
    summary = f"Built {result.pages} pages into {out}"
    if result.pdf is not None:
        summary += f", {result.pdf.rendered} PDFs rendered and {result.pdf.cached} from cache"
    click.echo(f"{summary} in {result.seconds:.1f} s.")


@main.command()
@click.argument("path", type=PATH_ARGUMENT, default="playbook")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to serve on.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 to try it on a phone).",
)
@click.option("--offline", is_flag=True, help="Preview the file:// bundle's page addresses.")
def serve(path: Path, port: int, host: str, offline: bool) -> None:
    """Preview the site in a browser, rebuilding when a YAML file changes (without PDFs).

    Pages open in the browser reload by themselves after each successful rebuild.
    """
    from playbookgen.serve import Preview

    def report(result: BuildResult) -> None:
        if result.ok:
            click.echo(f"Built {result.pages} pages in {result.seconds:.1f} s.")
        else:
            click.echo(render(_located(result.problems, path), "text"), nl=False)
            click.echo("Build failed; still serving the last good site.", err=True)

    try:
        preview = Preview(path, host=host, port=port, offline=offline, on_build=report)
    except OSError as exc:
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    try:
        preview.start()
        click.echo(f"Serving {preview.url} — press Ctrl+C to stop.")
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        preview.stop()


@main.command()
@click.argument("path", type=PATH_ARGUMENT, default="playbook")
@click.option("--version", "version", help="Version to publish as (default: version in playbook.yaml).")
@click.option(
    "--alias",
    "aliases",
    multiple=True,
    help="Alias moved onto this version, e.g. latest (repeatable); the first becomes the default.",
)
@click.option("--title", help="Name in the version selector (default: the version and its effective date).")
@click.option("--branch", default="gh-pages", show_default=True, help="Branch the versions are published to.")
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Publish the site without PDFs.")
@click.option("--push", is_flag=True, help="Push the branch to the remote afterwards (off by default).")
@click.option("--remote", default="origin", show_default=True, help="Remote to push to with --push.")
def deploy(
    path: Path,
    version: str | None,
    aliases: tuple[str, ...],
    title: str | None,
    branch: str,
    no_pdf: bool,
    push: bool,
    remote: str,
) -> None:
    """Build the site and publish it as a version with mike, to a branch of the playbook's
    git repository; readers switch versions in the site header.

    Exit status: 0 published, 1 the playbook or its site has problems, 2 cannot publish
    (not a git repository, a bad version name, a git error).
    """
    from playbookgen.deploy import DeployError
    from playbookgen.deploy import deploy as run_deploy
    from playbookgen.model import load_playbook

    settings = load_playbook(path)[0].settings
    version = version or str(settings.get("version") or "")
    if not version:
        click.echo("error: give --version; playbook.yaml has no version", err=True)
        sys.exit(2)
    if title is None and version == str(settings.get("version")) and settings.get("effective_date"):
        title = f"{version} (from {settings['effective_date']})"
    try:
        result = run_deploy(
            path,
            version=version,
            aliases=aliases,
            title=title,
            branch=branch,
            pdf=not no_pdf,
            push=push,
            remote=remote,
        )
    except DeployError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if not result.ok:
        click.echo(render(_located(result.problems, path), "text"), nl=False)
        click.echo("Build failed; nothing was published.", err=True)
        sys.exit(1)
    for problem in _located([p for p in result.problems if p.suppressed is None], path):
        click.echo(str(problem))
    listed = ", ".join(
        v.version + (f" ({', '.join(v.aliases)})" if v.aliases else "") for v in result.versions
    )
    click.echo(f"Published {version} to branch {branch} of {result.repository}; it opens {result.default}.")
    click.echo(f"Versions: {listed}")
    if not result.selector:
        click.echo("note: this build of the site has no version selector (the site build does not offer one)")
    if not push:
        click.echo(f"Not pushed; run git push {remote} {branch} (or deploy with --push) to publish it.")


@main.command()
@click.argument("forecast", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--playbook",
    "path",
    type=PATH_ARGUMENT,
    default="playbook",
    show_default=True,
    help="The playbook folder.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="plan",
    show_default=True,
    help="Folder for plan.csv, index.html and plan.pdf.",
)
@click.option(
    "--scale",
    "scales",
    multiple=True,
    callback=_scales,
    help="Plan the forecast multiplied by this, one scenario each (repeatable or comma-separated: "
    "0.8,1,1.5); default 1, the forecast as given.",
)
@click.option(
    "--interval",
    type=click.Choice(["15", "30"]),
    default="30",
    show_default=True,
    help="Length of the forecast's intervals in minutes.",
)
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Write the CSV and the page only.")
def staff(
    path: Path, forecast: Path, out: Path, scales: tuple[float, ...], interval: str, no_pdf: bool
) -> None:
    """Plan the agents each channel needs per interval to keep the playbook's service levels,
    from a volume forecast (CSV: interval_start, channel, contacts, aht_seconds, concurrency).

    Writes plan.csv, index.html (with a chart per channel) and plan.pdf into OUT. Exit status:
    0 planned, 1 the playbook or some forecast rows have problems (the other rows are still
    planned), 2 usage error.
    """
    from playbookgen.staffing import StaffingRequest
    from playbookgen.staffing import staff as run_staff

    request = StaffingRequest(forecast, scales, int(interval))
    try:
        result = run_staff(path, request, out, pdf=not no_pdf)
    except OSError as exc:
        click.echo(f"error: cannot read {forecast} or write {out}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    playbook_problems = list(result.problems)
    if result.plan is not None:
        playbook_problems += [p for p in result.plan.problems if p.rule != "forecast-row"]
    for problem in _located(playbook_problems, path):
        click.echo(str(problem))
    plan = result.plan
    if plan is None:
        click.echo("The playbook has errors; nothing was planned.", err=True)
        sys.exit(1)
    for problem in plan.problems:
        if problem.rule == "forecast-row":
            click.echo(str(problem))
    names = {c.id: c.name for c in plan.channels}
    for peak in plan.peaks():
        click.echo(
            f"x{peak.scenario:g} {names[peak.channel]}: peak {peak.scheduled} heads scheduled "
            f"({peak.agents} handling contacts) at {peak.start:%Y-%m-%d %H:%M}; "
            f"{peak.head_hours:g} head-hours"
            + (f"; {peak.warnings} intervals above maximum occupancy" if peak.warnings else "")
        )
    click.echo(
        f"{plan.read} forecast rows: {plan.rejected} rejected, {plan.closed} outside opening hours "
        "(not planned)."
    )
    if result.files:
        click.echo(f"Wrote {', '.join(str(f) for f in result.files)}.")
    elif plan.ok:
        click.echo("Nothing to plan: no forecast row is inside a channel's opening hours.", err=True)
    else:
        click.echo("Nothing was planned.", err=True)
    sys.exit(0 if result.ok else 1)


def _column_overrides(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """``--column created="Opened at"``: the export's own name of one field."""
    from playbookgen.measure.tickets import FIELDS

    result: dict[str, str] = {}
    for value in values:
        name, sep, header = value.partition("=")
        if not sep or name.strip() not in FIELDS or not header.strip():
            raise click.BadParameter(f"write FIELD=HEADER with FIELD one of {', '.join(FIELDS)}")
        result[name.strip()] = header.strip()
    return result


@main.command("measure")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--from",
    "source",
    type=click.Choice(["zendesk", "freshdesk", "generic"]),
    default="generic",
    show_default=True,
    help="Which helpdesk wrote the export (its standard CSV columns).",
)
@click.option(
    "--playbook",
    "path",
    type=PATH_ARGUMENT,
    default="playbook",
    show_default=True,
    help="Folder of the playbook whose calendars, targets and mapping apply.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default="measure",
    show_default=True,
    help="Folder for measure.json, figures.csv, kpis.csv and breaches.csv.",
)
@click.option("--timezone", help="Time zone of export times without an offset (default: the playbook's).")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]),
    help="When the export was taken (default: its latest time); open tickets past a target then breach.",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    callback=_column_overrides,
    help="The export's name for a field, e.g. --column created='Opened at' (repeatable).",
)
@click.option("--no-pdf", "no_pdf", is_flag=True, help="Write the data and index.html, not report.pdf.")
@click.option("--month", help="Month of index.html and report.pdf, YYYY-MM (default: the export's latest).")
def measure_command(
    export: Path,
    source: str,
    path: Path,
    out: Path,
    timezone: str | None,
    as_of: object,
    columns: dict[str, str],
    no_pdf: bool,
    month: str | None,
) -> None:
    """Recompute SLA attainment from a ticket export with the playbook's calendars, into OUT:
    measure.json, figures.csv, kpis.csv, breaches.csv, index.html and a monthly report.pdf.

    Reads the export's own timestamps (creation, first reply, resolution), finds each ticket's
    target from its category (a tag or type), priority (mapped in helpdesk.yaml) and SLA
    policy, and writes figures per week, month, category, priority, channel, tier and team,
    the KPIs measured from tickets (met or not) and every breach with its ticket id.

    Exit status: 0 measured, 1 the playbook has errors or rows were left out (reported with
    their line), 2 usage error.
    """
    import re
    import zoneinfo
    from datetime import datetime

    from playbookgen.measure import MeasureRequest, measure

    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        click.echo(f"error: --month {month}: write the month as YYYY-MM, e.g. 2026-11", err=True)
        sys.exit(2)

    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            click.echo(f"error: '{timezone}' is not an IANA time zone (e.g. Europe/Amsterdam)", err=True)
            sys.exit(2)
    request = MeasureRequest(
        export, source, timezone, as_of if isinstance(as_of, datetime) else None, columns
    )
    try:
        result = measure(path, request, out, pdf=not no_pdf, month=month)
    except OSError as exc:
        click.echo(f"error: cannot read {export} or write {out}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    for problem in _located(result.problems, path):
        click.echo(str(problem))
    report = result.report
    if report is None:
        click.echo("The playbook has errors; nothing was measured.", err=True)
        sys.exit(1)
    shown = 20
    for problem in report.problems[:shown]:
        click.echo(str(problem))
    if len(report.problems) > shown:
        click.echo(f"… and {len(report.problems) - shown} more problems (all listed in measure.json).")
    overall = next((f for f in report.figures if f["period"] == "all" and f["dimension"] == "all"), None)
    click.echo(f"{report.read} tickets read: {report.measured} measured, {report.rejected} left out.")
    if overall is not None:
        click.echo(
            f"First response attainment {overall['first_response_attainment']}%, resolution "
            f"{overall['resolution_attainment']}%, {len(report.breaches)} breaches; "
            f"backlog {overall['backlog_at_end']} at {report.as_of}."
        )
    for kpi in (k for k in report.kpis if k["period"] == "all"):
        state = "met" if kpi["met"] else "not met" if kpi["met"] is False else "no data"
        click.echo(f"KPI {kpi['kpi']}: {kpi['value']} {kpi['unit']} (target {kpi['target']}): {state}")
    click.echo(f"Wrote {', '.join(str(f) for f in result.files)}.")
    sys.exit(0 if result.ok else 1)


@main.command("export")
@click.argument("helpdesk", type=click.Choice(["zendesk", "freshdesk"]))
@click.option(
    "--playbook",
    "path",
    type=PATH_ARGUMENT,
    default="playbook",
    show_default=True,
    help="Folder of the playbook whose calendars, targets and mapping apply.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the JSON files (default: export/HELPDESK).",
)
@click.option(
    "--plan",
    "previous",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Write nothing; list what would change against this previously exported folder.",
)
def export_command(helpdesk: str, path: Path, out: Path | None, previous: Path | None) -> None:
    """Write the playbook's SLA policies, business hours, recovery scripts (as macros or canned
    responses) and categories as JSON for the helpdesk's REST API.

    What the helpdesk cannot hold is listed as warnings at its place in the playbook. Exit
    status: 0 exported (warnings too), 1 the playbook has errors, 2 usage error.
    """
    from playbookgen.check import check as run
    from playbookgen.export import export, plan

    checked = run(path)
    if not checked.ok:
        click.echo(render(relocate(checked.problems, str(path)), "text"), nl=False)
        click.echo("The playbook has errors; nothing was exported.", err=True)
        sys.exit(1)
    result = export(checked.playbook, helpdesk)
    for problem in relocate(result.problems, str(path)):
        click.echo(str(problem))
    if previous is not None:
        changes = plan(previous, result)
        for line in changes:
            click.echo(line)
        click.echo(f"{len(changes)} changes against {previous}; nothing was written.")
        return
    target = out if out is not None else Path("export") / helpdesk
    try:
        written = result.write(target)
    except OSError as exc:
        click.echo(f"error: cannot write {target}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    click.echo(
        f"Wrote {len(written)} files into {target}; {len(result.problems)} things could not be carried over "
        "(listed above)."
    )
