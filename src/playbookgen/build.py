"""Build the playbook site in stages a caller can compose: check → :func:`plan_build` (the
output folder, the previous version read from git) → :func:`write_sources` (Markdown and
mkdocs.yml) → :func:`start_pdfs` → :func:`make_site` (MkDocs, while the PDFs render) →
:func:`finish_pdfs` → :func:`swap_in`, each taking what the one before made (:func:`make_pdfs`
renders the PDFs before MkDocs instead). :func:`build` is their composition; the preview uses
them too.

Everything is written into a temporary folder next to the output folder (same file system,
so the final swap is a rename). A failing build — a problem in the playbook, a template
error, a broken link, SIGTERM — removes the temporary folder and leaves the previous site
exactly as it was. Two builds of the same input give the same bytes: dates come from
``SOURCE_DATE_EPOCH`` or the playbook's effective date, never from the clock.

(Longer than most modules: the stages share the temporary folder, its clean-up on failure
and the PDF workers running beside MkDocs; split apart they would hand that state around.)
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import errno
import functools
import io
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from importlib.metadata import version
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.bccache
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from playbookgen import codecache, rules
from playbookgen.check import CheckResult, check
from playbookgen.engines import engine_problem, run_zensical
from playbookgen.lastchanged import NOT_IN_GIT, LastChanged, read_last_changed
from playbookgen.model import Playbook
from playbookgen.problems import PlaybookError, Problem, has_errors
from playbookgen.render.print_html import build_moment
from playbookgen.render.site import SiteFiles, write_site
from playbookgen.render.site_view import PDF_DIR
from playbookgen.translations import Language, in_language, languages, selector
from playbookgen.views.briefings import AUDIENCES, Briefings, RosterEntry, briefings
from playbookgen.whatsnew import WhatsNew, read_whats_new
from playbookgen.wording import Wording

if TYPE_CHECKING:
    from playbookgen.measure import MeasureRequest
    from playbookgen.measure.attainment import Report
    from playbookgen.render.pdf import PdfResult
    from playbookgen.staffing import StaffingPlan, StaffingRequest

CACHE_DIR = ".playbookgen-cache"
"""Created next to the output folder; holds PDFs that can be reused by later builds."""


@dataclass
class BuildResult:
    """What a build did, or the problems that stopped it."""

    ok: bool
    out: Path
    problems: list[Problem] = field(default_factory=list)
    """Every problem found: warnings from check on success, the errors that stopped it otherwise."""
    pages: int = 0
    pdf: PdfResult | None = None
    seconds: float = 0.0


# --- the stages: check → plan → write sources → PDFs → MkDocs → swap -------------------------
# Each stage takes what the one before it made and raises PlaybookError with every problem it
# found. The PDFs are rendered into the site source before MkDocs runs: MkDocs copies them into
# the site and, being strict, fails on a link to a PDF that is not there.


@dataclass(frozen=True)
class Plan:
    """A checked playbook ready to build: the output folder, the options, and what the build
    read from git (the previous version, for What's new; when each file last changed)."""

    checked: CheckResult
    out: Path
    """Absolute."""
    pdf: bool
    offline: bool
    version_selector: str | None
    whats_new: WhatsNew
    problems: list[Problem]
    """The check's problems and the plan's own warnings, sorted."""
    engine: str = "mkdocs"
    """What builds the site from its source: ``mkdocs`` or ``zensical`` (see engines.py)."""
    staffing: StaffingPlan | None = None
    """A staffing plan made from a forecast (``build --staffing``), shown on its own page."""
    performance: Report | None = None
    """SLA attainment measured from a ticket export (``build --tickets``), on its own page."""
    translated: tuple[tuple[Language, Playbook], ...] = ()
    """The other languages of a multilingual playbook, each with the playbook as its readers
    see it; each gets a site of its own under ``<out>/<language>/``."""
    told: Briefings | None = None
    """The change briefings printed as PDFs (with the names of ``build --roster``)."""
    last_changed: LastChanged = NOT_IN_GIT
    """When each source file last changed, from git: the date under every page."""

    @property
    def playbook(self) -> Playbook:
        return self.checked.playbook

    def alternates(self, current: str) -> list[dict[str, Any]]:
        """The language selector's entries on the site of language ``current``."""
        return selector(self.playbook.settings, current) if self.translated else []


@dataclass(frozen=True)
class Sources:
    """The site source written for MkDocs: ``mkdocs.yml``, ``docs/`` and ``overrides/``."""

    folder: Path
    files: SiteFiles
    languages: tuple[tuple[str, Playbook, Sources], ...] = ()
    """The source of each other language's site: its code, its playbook and its source
    (under ``languages/<code>/``), built into ``<site>/<code>/``."""

    @property
    def config(self) -> Path:
        return self.folder / "mkdocs.yml"


@dataclass(frozen=True)
class PdfsBuilt:
    """The PDFs rendered into the site source (None when the build makes none)."""

    result: PdfResult | None


@dataclass(frozen=True)
class SiteBuilt:
    """A site MkDocs (or Zensical) built, not yet in place."""

    folder: Path
    problems: tuple[Problem, ...] = ()
    """Warnings of the engine: what it left out."""


def plan_build(
    checked: CheckResult,
    out: Path,
    *,
    pdf: bool = True,
    offline: bool = False,
    strict: bool = False,
    version_selector: str | None = None,
    engine: str = "mkdocs",
    staffing: StaffingRequest | None = None,
    tickets: MeasureRequest | None = None,
    roster: Path | None = None,
) -> Plan:
    """Decide what to build from a playbook without errors: refuse an output folder that must
    not be replaced or an engine that is not installed, read the previous version (git) that
    What's new compares with, and plan the ``staffing`` forecast (a bad row stops the build,
    as any error does). ``roster`` is a CSV of the people who sign the change briefings."""
    refused = output_problem(checked.playbook.root, out) or engine_problem(engine)
    if refused is not None:
        raise PlaybookError([refused])
    news, warnings = read_whats_new(checked.playbook)
    warnings = rules.adjust(warnings, rules.configure(checked.playbook)[0])
    if strict:
        warnings = [p.with_severity("error") for p in warnings]
    if has_errors(warnings):
        raise PlaybookError(warnings)
    problems = sorted([*checked.problems, *warnings])
    staffing_plan = None
    if staffing is not None:
        from playbookgen.staffing import plan_request  # only for a staffing plan

        staffing_plan = plan_request(checked.playbook, staffing)
    if staffing_plan is not None and not staffing_plan.ok:
        raise PlaybookError(staffing_plan.problems)
    people: tuple[RosterEntry, ...] = ()
    if roster is not None:
        people, roster_problems = read_roster(roster)
        if roster_problems:
            raise PlaybookError(roster_problems)
    told = briefings(checked.playbook, news.changelog, Wording.of(checked.playbook.settings), people)
    performance = None
    if tickets is not None:
        # Rows that cannot be measured are shown, as warnings, and left out of the figures.
        from playbookgen.measure import read_report  # numpy only when measuring

        performance = read_report(checked.playbook, tickets)
        problems = sorted([*problems, *(p.with_severity("warning") for p in performance.problems)])
    return Plan(
        checked,
        out.absolute(),
        pdf,
        offline,
        version_selector,
        news,
        problems,
        engine,
        staffing_plan,
        performance,
        translated_playbooks(checked.playbook),
        told=told,
        last_changed=read_last_changed(checked.playbook.root),
    )


def translated_playbooks(playbook: Playbook) -> tuple[tuple[Language, Playbook], ...]:
    """Every other language of the playbook with the playbook as its readers see it: a text
    without a translation shows in the source language after a "not yet translated" mark in
    the reader's language, never blank."""
    source, others = languages(playbook.settings)
    found = []
    for language in others:
        words = Wording(language.tag, str(playbook.settings.get("currency") or "EUR"))
        # Before the source text: "[EN: not yet translated] Late delivery".
        untranslated = words._("not yet translated")
        mark = f"[{source.code.upper()}: {untranslated}] "
        found.append((language, in_language(playbook, language, functools.partial(_marked, mark))))
    return tuple(found)


def _marked(mark: str, text: str) -> str:
    return mark + text


def read_roster(path: Path) -> tuple[tuple[RosterEntry, ...], list[Problem]]:
    """The people in a roster CSV (columns ``name``, optional ``team`` and ``audience``), or the
    problems that stop it being read."""
    where = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return (), [
            Problem(where, 1, 1, "roster-csv", "error", f"cannot be read ({exc}); give a UTF-8 CSV file")
        ]
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if "name" not in header:
        return (), [
            Problem(
                where,
                1,
                1,
                "roster-csv",
                "error",
                "has no 'name' column; the first line names the columns: name, and optionally team and "
                "audience (in-store, agents, leaders or trainers; empty for every briefing)",
            )
        ]
    audiences = {a.id for a in AUDIENCES}
    found: list[RosterEntry] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        if not cells.get("name"):
            continue
        audience = cells.get("audience", "")
        if audience and audience not in audiences:
            column = header.index("audience") + 1
            problems.append(
                Problem(
                    where,
                    number,
                    column,
                    "roster-csv",
                    "error",
                    f"'{audience}' is not an audience; use one of {', '.join(sorted(audiences))}, or leave "
                    "it empty to sign every briefing",
                )
            )
            continue
        found.append(RosterEntry(cells["name"], cells.get("team", ""), audience))
    return tuple(found), problems


def write_sources(plan: Plan, folder: Path) -> Sources:
    """Write the site source (Markdown, diagrams, theme overrides, mkdocs.yml) into ``folder``."""
    source = languages(plan.playbook.settings)[0]
    files = write_site(
        plan.playbook,
        folder,
        pdf=plan.pdf,
        offline=plan.offline,
        version_selector=plan.version_selector,
        whats_new=plan.whats_new,
        staffing=plan.staffing,
        performance=plan.performance,
        alternates=plan.alternates(source.code),
        last_changed=plan.last_changed,
    )
    others = []
    for language, playbook in plan.translated:
        where = folder / LANGUAGES_DIR / language.code
        # In <version>/<language>/ Material's own version selector would look for versions.json
        # in the version's folder, not mike's root: the site's script shows the selector there.
        written = write_site(
            playbook,
            where,
            pdf=plan.pdf,
            offline=plan.offline,
            version_selector=plan.version_selector,
            whats_new=plan.whats_new,
            staffing=plan.staffing,
            performance=plan.performance,
            alternates=plan.alternates(language.code),
            last_changed=plan.last_changed.in_language(language.code),
            language_site=language.code,
        )
        others.append((language.code, playbook, Sources(where, written)))
    return Sources(folder, files, tuple(others))


LANGUAGES_DIR = "languages"
"""Where the site source of each other language is written, next to ``docs/``."""


def make_pdfs(plan: Plan, sources: Sources, progress: Callable[[str], None] | None = None) -> PdfsBuilt:
    """Render the PDFs into the site source, reusing those cached next to the output folder."""
    if not plan.pdf:
        return PdfsBuilt(None)
    # Imported here: WeasyPrint is slow to import and --no-pdf builds do not need it.
    from playbookgen.render.pdf import render_pdfs

    target = sources.folder / "docs" / PDF_DIR
    result = render_pdfs(plan.playbook, target, plan.out.parent / CACHE_DIR, progress, told=plan.told)
    for (language, _), (code, playbook, language_sources) in zip(
        plan.translated, sources.languages, strict=True
    ):
        with in_edition(language):
            more = render_pdfs(
                playbook, language_sources.folder / "docs" / PDF_DIR, plan.out.parent / CACHE_DIR, progress
            )
        _add_pdfs(result, more, f"{code}/")
    if plan.staffing is not None:
        from playbookgen.render.staffing import STAFFING_PDF, write_plan_pdf

        result.files.append(
            write_plan_pdf(plan.playbook, plan.staffing, sources.folder / "docs" / STAFFING_PDF)
        )
        result.rendered += 1
    if plan.performance is not None and plan.performance.figures:
        from playbookgen.render.performance import PERFORMANCE_PDF, write_report_pdf

        result.files.append(
            write_report_pdf(plan.playbook, plan.performance, sources.folder / "docs" / PERFORMANCE_PDF)
        )
        result.rendered += 1
    return PdfsBuilt(result)


@dataclass(frozen=True)
class PdfsStarted:
    """PDFs rendering in a background thread into ``folder`` while MkDocs builds the site."""

    future: Future[PdfResult]
    folder: Path
    cancel: threading.Event

    def stop(self) -> None:
        """Stop the workers and wait for them (the build is failing)."""
        self.cancel.set()
        wait([self.future])


def start_pdfs(
    plan: Plan, sources: Sources, folder: Path, progress: Callable[[str], None] | None = None
) -> PdfsStarted | None:
    """Start rendering the PDFs into ``folder`` beside the site build. Each PDF to come gets an
    empty placeholder in the site source at once, so that MkDocs can check links to it; the
    real files replace them in :func:`finish_pdfs`. Raises the problems found before rendering."""
    if not plan.pdf:
        return None
    from playbookgen.render.pdf import render_pdfs

    names: list[str] = []
    announced = threading.Event()

    def announce(relpaths: list[str]) -> None:
        names.extend(relpaths)
        announced.set()

    cancel = threading.Event()
    cache = plan.out.parent / CACHE_DIR

    def render_all() -> PdfResult:
        # The source language first, then each other language into languages/<code>/ (the
        # same documents, so the names announced serve every language).
        result = render_pdfs(
            plan.playbook, folder, cache, progress, announce=announce, cancel=cancel, told=plan.told
        )
        for language, playbook in plan.translated:
            where = folder / LANGUAGES_DIR / language.code
            with in_edition(language):
                _add_pdfs(result, render_pdfs(playbook, where, cache, progress, cancel=cancel), "")
        return result

    executor = ThreadPoolExecutor(1, thread_name_prefix="playbookgen-pdfs")
    future = executor.submit(render_all)
    executor.shutdown(wait=False)
    try:
        while not announced.wait(0.02):
            if future.done():
                future.result()  # the print HTML could not be made: raise its problem
                break
    except BaseException:  # SIGTERM while waiting: the thread must not render on
        cancel.set()
        raise
    targets = [sources.folder / "docs" / PDF_DIR]
    targets += [language.folder / "docs" / PDF_DIR for _, _, language in sources.languages]
    for target in targets:
        for name in names:
            placeholder = target / name
            placeholder.parent.mkdir(parents=True, exist_ok=True)
            placeholder.write_bytes(b"")
    return PdfsStarted(future, folder, cancel)


@contextmanager
def in_edition(language: Language) -> Iterator[None]:
    """Problems raised inside say which language's edition they are about ("cheat sheet
    'bpo-call' runs to 2 pages …" is true of the Dutch one only)."""
    try:
        yield
    except PlaybookError as error:
        raise PlaybookError(in_language_edition(language, error.problems)) from error


def in_language_edition(language: Language, problems: list[Problem]) -> list[Problem]:
    """``problems`` of one language's edition, each saying so."""
    edition = f"in the {language.english} ({language.code}) edition: "
    return [replace(p, message=edition + p.message) for p in problems]


def _add_pdfs(result: PdfResult, more: PdfResult, prefix: str) -> None:
    """Count another language's PDFs in ``result`` (their pages under ``prefix``)."""
    result.rendered += more.rendered
    result.cached += more.cached
    result.files.extend(more.files)
    result.pages.update({f"{prefix}{name}": count for name, count in more.pages.items()})
    result.renders.extend(f"{prefix}{name}" for name in more.renders)


def finish_pdfs(started: PdfsStarted | None, sources: Sources, site: SiteBuilt) -> PdfsBuilt:
    """Wait for the PDFs and put them in place of their placeholders, in the site and its source."""
    if started is None:
        return PdfsBuilt(None)
    result = started.future.result()
    languages_of = {code: language for code, _, language in sources.languages}
    for path in result.files:
        relpath = path.relative_to(started.folder)
        targets = (sources.folder / "docs" / PDF_DIR, site.folder / PDF_DIR)
        if relpath.parts[0] == LANGUAGES_DIR and relpath.parts[1] in languages_of:
            code = relpath.parts[1]
            relpath = Path(*relpath.parts[2:])
            targets = (languages_of[code].folder / "docs" / PDF_DIR, site.folder / code / PDF_DIR)
        for folder in targets:
            destination = folder / relpath
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
    return PdfsBuilt(result)


def make_site(
    plan: Plan,
    sources: Sources,
    folder: Path,
    *,
    dirty: bool = False,
    plugins: dict[str, BasePlugin] | None = None,  # type: ignore[type-arg]
) -> SiteBuilt:
    """Build the site from ``sources`` into ``folder`` with MkDocs (see :func:`run_mkdocs`), or
    with Zensical when the plan says so."""
    if plan.engine == "zensical":
        epoch = str(int(build_moment(plan.playbook).timestamp()))
        problems = list(run_zensical(sources.config, folder, epoch))
        for code, _, language in sources.languages:
            problems += run_zensical(language.config, folder / code, epoch)
        return SiteBuilt(folder, tuple(sorted(set(problems))))
    # Each other language is a site of its own in <site>/<code>/. Its MkDocs run goes to a
    # child process beside this one's (MkDocs is single-threaded; the machine has more cores),
    # into a folder of its own: MkDocs empties its output folder first.
    children = [] if dirty else [_start_language(p, s, folder, code) for code, p, s in sources.languages]
    try:
        run_mkdocs(plan.playbook, sources.config, folder, sources.files, dirty=dirty, plugins=plugins)
    finally:
        problems = [problem for child in children for problem in child.finish()]
    if problems:
        raise PlaybookError(problems)
    for child in children:
        os.rename(child.out, folder / child.code)
    if dirty:
        for code, playbook, language in sources.languages:
            run_mkdocs(playbook, language.config, folder / code, language.files, dirty=True)
    return SiteBuilt(folder)


@dataclass
class _LanguageBuild:
    """One language's MkDocs run in a forked child process."""

    code: str
    out: Path
    process: Any
    receive: Any

    def finish(self) -> list[Problem]:
        """Wait for the child; the problems that stopped it (none when it built the site)."""
        try:
            found: list[Problem] = self.receive.recv() if self.receive.poll(None) else []
        except EOFError:
            found = [
                Problem(
                    "mkdocs.yml", 1, 1, "site-build", "error", f"MkDocs stopped building the {self.code} site"
                )
            ]
        self.process.join()
        self.receive.close()
        return found


def _start_language(playbook: Playbook, sources: Sources, folder: Path, code: str) -> _LanguageBuild:
    """Start building the site of language ``code`` from ``sources`` in a child process, into
    a folder beside ``folder`` (moved into ``folder/<code>`` once both are built)."""
    import multiprocessing

    out = folder.with_name(f"{folder.name}-{code}")
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        found: list[Problem] = []
        try:
            run_mkdocs(playbook, sources.config, out, sources.files)
        except PlaybookError as error:
            found = error.problems
        except BaseException as error:  # reported by the parent, never a traceback
            found = [Problem("mkdocs.yml", 1, 1, "site-build", "error", f"MkDocs failed: {error}")]
        send.send(found)
        send.close()
        os._exit(0)  # no atexit handlers, no cleanup of the parent's temporary folders

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()
    return _LanguageBuild(code, out, process, receive)


def swap_in(site: SiteBuilt, out: Path, aside: Path) -> None:
    """Put the built site in place of ``out`` in one step; the old site goes to ``aside``."""
    _swap(site.folder, out, aside)


def build(
    root: Path,
    out: Path,
    *,
    pdf: bool = True,
    offline: bool = False,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    version_selector: str | None = None,
    keep_source: Path | None = None,
    engine: str = "mkdocs",
    staffing: StaffingRequest | None = None,
    tickets: MeasureRequest | None = None,
    today: date | None = None,
    roster: Path | None = None,
) -> BuildResult:
    """Build the site of the playbook at ``root`` into ``out``: every stage in turn.

    Returns a failed result carrying the problems when the playbook has errors or the site
    cannot be built; ``out`` is then untouched. With ``strict``, warnings count as errors.
    ``version_selector`` (for sites published with mike) is the version or alias that the
    version selector and the outdated-version banner send readers to. ``keep_source`` (for
    the preview) is a folder to move the generated Markdown and mkdocs.yml into on success.
    ``engine`` builds the site: ``mkdocs`` (MkDocs with Material) or ``zensical``.

    ``staffing`` adds a staffing plan page (and its PDF) made from a volume forecast;
    ``tickets`` a service performance page (and its monthly PDF) measured from a ticket export;
    ``today`` is the day review dates are judged on (see :func:`playbookgen.review.as_of`);
    ``roster`` a CSV of the people who sign the change briefings."""
    started = time.perf_counter()
    checked = check(root, strict=strict, today=today)
    if not checked.ok:
        return BuildResult(False, out, checked.problems)
    try:
        plan = plan_build(
            checked,
            out,
            pdf=pdf,
            offline=offline,
            strict=strict,
            version_selector=version_selector,
            engine=engine,
            staffing=staffing,
            tickets=tickets,
            roster=roster,
        )
    except PlaybookError as error:
        return BuildResult(False, out, [*checked.problems, *error.problems])
    return build_planned(plan, progress=progress, keep_source=keep_source, started=started)


def build_planned(
    plan: Plan,
    *,
    sources: Sources | None = None,
    progress: Callable[[str], None] | None = None,
    keep_source: Path | None = None,
    started: float | None = None,
) -> BuildResult:
    """Build a planned site in a temporary folder next to ``plan.out`` and swap it in: write
    its source (or take over ``sources``, already written from the same plan), render the
    PDFs, run MkDocs. ``keep_source`` (for the preview) receives the source on success."""
    started = time.perf_counter() if started is None else started
    out = plan.out
    out.parent.mkdir(parents=True, exist_ok=True)
    recover_killed_builds(out)
    work = Path(tempfile.mkdtemp(prefix=_work_prefix(out), dir=out.parent))
    (work / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    try:
        with _terminate_cleanly():
            folder = work / "source"
            if sources is None:
                sources = write_sources(plan, folder)
            else:
                os.rename(sources.folder, folder)
                sources = Sources(folder, sources.files)
            # The PDFs render on the worker processes while MkDocs builds the site here.
            started_pdfs: PdfsStarted | None = None
            try:
                started_pdfs = start_pdfs(plan, sources, work / "pdf", progress)
                site = make_site(plan, sources, work / "site")
                pdfs = finish_pdfs(started_pdfs, sources, site)
            except BaseException:
                if started_pdfs is not None:
                    started_pdfs.stop()
                raise
            swap_in(site, out, work / "previous")
            if keep_source is not None:
                shutil.rmtree(keep_source, ignore_errors=True)
                os.rename(folder, keep_source)
    except PlaybookError as error:
        return BuildResult(False, out, [*plan.problems, *error.problems])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    problems = sorted([*plan.problems, *site.problems])
    pages = len(sources.files.pages) + sum(len(language.files.pages) for _, _, language in sources.languages)
    return BuildResult(True, out, problems, pages, pdfs.result, seconds)


OWNER_FILE = "build.pid"


def _work_prefix(out: Path) -> str:
    return f".{out.name}.build-"


def recover_killed_builds(out: Path) -> None:
    """Clean up after builds into ``out`` that were killed (SIGKILL, power loss) before they
    could clean up: remove their temporary folders, and put the previous site back if the
    kill came between moving it aside and moving the new one in. Folders of a build that is
    still running are left alone."""
    for work in sorted(out.parent.glob(_work_prefix(out) + "*")):
        owner = work / OWNER_FILE
        try:
            pid = int(owner.read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue  # not one of ours, or just being created
        if _alive(pid):
            continue
        previous = work / "previous"
        if previous.is_dir() and not (out.exists() or out.is_symlink()):
            os.rename(previous, out)
        shutil.rmtree(work, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def output_problem(root: Path, out: Path) -> Problem | None:
    """Why ``out`` must not be replaced by the site, if it must not: it holds the playbook,
    or it is a folder with other things in it."""
    target, playbook = out.resolve(), root.resolve()
    if target == playbook or target in playbook.parents:
        return _out_problem(out, "holds the playbook; build into a folder of its own, e.g. --out site")
    if target.exists() and not target.is_dir():
        return _out_problem(out, "is a file; choose a folder for the site")
    if target.is_dir() and any(target.iterdir()) and not (target / "sitemap.xml").exists():
        return _out_problem(
            out,
            "already has files that are not a built site; choose a new or empty folder "
            "(the build replaces the whole folder)",
        )
    return None


def _out_problem(out: Path, message: str) -> Problem:
    return Problem(str(out.absolute()), 1, 1, "build-output", "error", f"the output folder {message}")


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while building, so that cleanup runs before exiting."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _swap(new: Path, out: Path, previous: Path) -> None:
    """Put ``new`` in place of ``out``; the old site goes to ``previous`` (deleted with the
    temporary folder). SIGTERM waits until both renames are done."""
    blocked = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        if out.is_dir() and not out.is_symlink() and _exchange(new, out):
            os.rename(new, previous)  # ``new`` now holds the old site
            return
        moved = False
        if out.exists() or out.is_symlink():
            os.rename(out, previous)
            moved = True
        try:
            os.rename(new, out)
        except OSError:
            if moved:
                os.rename(previous, out)
            raise
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 with RENAME_EXCHANGE), so that
    even a kill at any moment leaves a complete site in place. False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings to report them as problems instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _quiet_mkdocs() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    saved = (logger.handlers[:], logger.propagate)
    collect = _Collect()
    logger.handlers = [collect]
    logger.propagate = False
    try:
        yield collect
    finally:
        logger.handlers, logger.propagate = saved


@contextmanager
def _source_date(playbook: Playbook) -> Iterator[None]:
    """Pin MkDocs' build date (sitemap ``lastmod``, gzip header) for reproducible builds."""
    epoch = str(int(build_moment(playbook).timestamp()))
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


TAGS_MARKER = "<!-- material/tags"
"""Where Material's tags plugin puts a tag listing (which it fills in after reading every page)."""


PAGE_MEMORY_FROM = 150
"""Sites of this many pages or more keep each page's HTML compressed (:class:`_PageMemory`);
a smaller site's HTML is a few MB, which compressing and decompressing would only slow down."""


class _PageMemory(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Keeps MkDocs' memory in step with one page, not the whole site: MkDocs turns every
    page into HTML before it writes the first one, and holds all of it (and each page's
    Markdown) until the end. This plugin keeps each page's HTML compressed from the moment
    the other plugins are done with it until its own page is written, then lets it go —
    at 5,000 categories, over half of MkDocs' peak memory. Pages that Material's tags
    plugin fills in later (tag listings) are left alone."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}
        self.listings: set[str] = set()

    @event_priority(100)  # before the tags plugin turns its marker into an injection point
    def on_page_markdown(self, markdown: str, *, page: Page, **kwargs: Any) -> str:
        if TAGS_MARKER in markdown:
            self.listings.add(page.file.src_uri)
        return markdown

    @event_priority(-100)  # after every other plugin has seen the HTML
    def on_page_content(self, html: str, *, page: Page, **kwargs: Any) -> str:
        if page.file.src_uri in self.listings:
            return html
        self.stored[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        page.markdown = ""  # not None: MkDocs reads a page without Markdown as untitled
        return ""

    @event_priority(100)  # before search and the theme read it
    def on_page_context(self, context: Any, *, page: Page, **kwargs: Any) -> Any:
        stored = self.stored.pop(page.file.src_uri, None)
        if stored is not None:
            page.content = zlib.decompress(stored).decode("utf-8")
        return context

    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Page, **kwargs: Any) -> str:
        if page.file.src_uri not in self.listings:
            page.content = ""
        return output


class _ThemeTemplates(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Keeps the theme's compiled templates (Material's, from site-packages) in the per-user
    code cache: MkDocs compiles them again on every build otherwise. Templates from the
    build's own temporary folder (the generated overrides) are compiled as before."""

    def __init__(self, source: Path) -> None:
        self.source = str(source)

    @event_priority(100)
    def on_env(self, env: jinja2.Environment, **kwargs: Any) -> jinja2.Environment:
        settings = " ".join(
            [
                "mkdocs theme",
                jinja2.__version__,
                version("mkdocs"),
                version("mkdocs-material"),
                repr(env.autoescape),
                repr(env.finalize is not None),
                *sorted(env.extensions),
            ]
        )
        folder = codecache.cache_dir(f"templates-theme-{codecache.key(settings)[:16]}")
        if folder is not None:
            env.bytecode_cache = _StableTemplatesOnly(str(folder), self.source)
        return env


class _StableTemplatesOnly(jinja2.FileSystemBytecodeCache):
    """A bytecode cache that leaves out templates under ``skip`` (a folder that changes
    name with every build and would only fill the cache)."""

    def __init__(self, directory: str, skip: str) -> None:
        super().__init__(directory)
        self.skip = skip
        self.skipped: set[str] = set()

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        if filename is not None and filename.startswith(self.skip):
            bucket = jinja2.bccache.Bucket(environment, self.get_cache_key(name, filename), "")
            self.skipped.add(bucket.key)
            return bucket
        return super().get_bucket(environment, name, filename, source)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key not in self.skipped:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)


def run_mkdocs(
    playbook: Playbook,
    config_file: Path,
    site_dir: Path,
    files: SiteFiles,
    *,
    dirty: bool = False,
    plugins: dict[str, BasePlugin] | None = None,  # type: ignore[type-arg]
) -> None:
    """Build the site with MkDocs in strict mode; any warning (a broken link, a page missing
    from the nav) fails the build and is raised as a :class:`PlaybookError`. ``dirty`` (for
    the preview) rebuilds only the pages whose source is newer than their output."""
    with _quiet_mkdocs() as collected, _source_date(playbook):
        try:
            # A dirty build warns that it is one: counted by our own handler instead.
            config = load_config(str(config_file), strict=not dirty, site_dir=str(site_dir))
            if len(files.pages) >= PAGE_MEMORY_FROM:
                config.plugins["playbookgen/page-memory"] = _PageMemory()
            config.plugins["playbookgen/theme-templates"] = _ThemeTemplates(config_file.parent)
            for name, plugin in (plugins or {}).items():
                config.plugins[name] = plugin
            mkdocs_build(config, dirty=dirty)
        except MkDocsException as error:
            problems = [mkdocs_problem(playbook, r.getMessage(), files) for r in collected.records]
            if not problems:
                problems = [mkdocs_problem(playbook, str(error), files)]
            raise PlaybookError(problems) from error
    records = [r for r in collected.records if not (dirty and "'dirty' build" in r.getMessage())]
    if records:
        raise PlaybookError([mkdocs_problem(playbook, r.getMessage(), files) for r in records])


_DOC_FILE = re.compile(r"Doc file '([^']+)'")
_LINK = re.compile(r"link '([^']+)'")


def mkdocs_problem(playbook: Playbook, message: str, files: SiteFiles) -> Problem:
    """A MkDocs warning as a problem, placed at the playbook file the page comes from and,
    when it is a link, at the line where that link is written."""
    text = " ".join(message.split())
    page = _DOC_FILE.search(text)
    source = files.sources.get(page.group(1)) if page else None
    line, column = 1, 1
    link = _LINK.search(text)
    if source is not None and link is not None:
        line, column = _find(playbook.root / source, link.group(1).split("#")[0] or link.group(1))
    where = source or (f"(site page {page.group(1)})" if page else "mkdocs.yml")
    return Problem(where, line, column, "site-build", "error", f"MkDocs: {text}")


def _find(path: Path, needle: str) -> tuple[int, int]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1, 1
    for number, content in enumerate(lines, 1):
        index = content.find(needle)
        if index >= 0:
            return number, index + 1
    return 1, 1
