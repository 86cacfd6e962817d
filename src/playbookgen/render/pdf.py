"""Print documents (forms, training modules, QA scorecard, cheat sheets, whole playbook)
as PDFs with WeasyPrint: rendered in parallel, cached by a hash of their input, reproducible.

The HTML of every document is built first (render/print_html.py); a document whose hash —
HTML with its CSS, paper size, WeasyPrint version and render options — is already in the
cache is copied from there, every other one is rendered by a pool of worker processes. The
whole playbook is rendered as parts, each cached on its own, and merged (render/pdf_parts.py,
render/pdf_merge.py): an edit renders again only the part it changes.

(Longer than most modules: the worker pool, the cache and the single render share the cache
keys and the workers' guard.)
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from playbookgen.model import Playbook
from playbookgen.problems import PlaybookError, Problem
from playbookgen.render.pdf_parts import PageFacts, Split, anchor_pages, overlay_html, page_facts, split
from playbookgen.render.print_html import PrintDoc, print_documents
from playbookgen.views.briefings import Briefings

RENDERER = "playbookgen-pdf-1"
"""Part of every cache key: change it when the PDF step changes in a way the HTML does not show."""
OPTIONS: dict[str, Any] = {"pdf_forms": True, "pdf_tags": True}
CACHE_DAYS = 30
"""Cached PDFs unused for this many days are deleted."""
PROGRESS_LINE = re.compile(r"^\[(\d+)/(\d+)\] ")
"""Every progress line starts with ``[done/total]``."""
ASSEMBLED = "parts-2"
"""Part of the cache key of a document rendered in parts: change it when the assembly changes."""
SPLIT_KINDS = {"playbook"}
"""Kinds of print document rendered as separately cached parts: the long ones."""


@dataclass
class PdfResult:
    rendered: int = 0
    """Documents rendered by WeasyPrint in this build."""
    cached: int = 0
    """Documents copied unchanged from the cache."""
    files: list[Path] = field(default_factory=list)
    """Every PDF written, sorted."""
    seconds: float = 0.0
    """Wall-clock time of the PDF step."""
    pages: dict[str, int] = field(default_factory=dict)
    """Page count of each PDF, by path relative to the target folder."""
    renders: list[str] = field(default_factory=list)
    """The documents (paths relative to the target folder) rendered in this build, sorted."""


@dataclass(frozen=True)
class _Job:
    relpath: str
    html: str
    key: str
    cache: str
    base_url: str | None
    part: bool = False
    """A part of a document (pdf_parts.py): its page facts are kept, its CSS parsed once per worker."""
    tagged: bool = True


@dataclass(frozen=True)
class _Outcome:
    relpath: str
    pages: int = 0
    used: float = 0.0
    seconds: float = 0.0
    error: str | None = None
    facts: tuple[PageFacts, ...] = ()


@dataclass
class _Assembly:
    """A document rendered as parts and merged (see render/pdf_parts.py)."""

    doc: PrintDoc
    split: Split
    jobs: list[_Job]
    """One per part, in order; a numbered part's job renders it without its numbers (page count)."""
    rendered: int = 0


class Cancelled(Exception):
    """The caller asked :func:`render_pdfs` to stop (its build is failing anyway)."""


def render_pdfs(
    playbook: Playbook,
    target: Path,
    cache_dir: Path,
    progress: Callable[[str], None] | None = None,
    *,
    announce: Callable[[list[str]], None] | None = None,
    cancel: threading.Event | None = None,
    one_page_only: bool = False,
    told: Briefings | None = None,
) -> PdfResult:
    """Render every print document of ``playbook`` into ``target`` (the ``pdf/`` folder of the
    generated docs), reusing PDFs from ``cache_dir`` whose input has not changed.

    ``announce`` hears the path of every PDF to come before any is rendered; setting ``cancel``
    (from another thread) stops the workers and raises :class:`Cancelled`; ``one_page_only``
    renders just the documents that must fit on one page (the cheat sheets), keeping every
    other cached PDF. Raises :class:`PlaybookError` when a document cannot be rendered or a
    cheat sheet does not fit on one page; every other PDF is still written."""
    started = time.perf_counter()
    docs = print_documents(playbook, kinds=("cheat-sheet",) if one_page_only else None, told=told)
    if one_page_only:
        docs = [doc for doc in docs if doc.one_page]
    if announce is not None:
        announce([doc.relpath for doc in docs])
    store = cache_dir / "pdf"
    store.mkdir(parents=True, exist_ok=True)
    base = playbook.root / "templates" / "print"
    base_url = str(base.resolve()) + os.sep if base.is_dir() else None
    paper = str(playbook.settings.get("paper", "A4"))
    assets = _folder_hash(base)
    splits = {doc.relpath: split(doc.html) for doc in docs if doc.kind in SPLIT_KINDS}
    jobs = {
        doc.relpath: _job(doc, paper, assets, store, base_url, ASSEMBLED if splits.get(doc.relpath) else "")
        for doc in docs
    }
    result = PdfResult()
    outcomes: dict[str, _Outcome] = {}
    done = 0
    say = progress or (lambda line: None)

    pending: list[_Job] = []
    assemblies: list[_Assembly] = []
    for doc in docs:
        job = jobs[doc.relpath]
        meta = _read_meta(job)
        if meta is not None:
            outcomes[doc.relpath] = meta
            result.cached += 1
            done += 1
            say(f"[{done}/{len(docs)}] cached {doc.relpath}")
        elif (parts := splits.get(doc.relpath)) is not None:
            assemblies.append(_plan_assembly(doc, parts, paper, assets, store, base_url))
        else:
            pending.append(job)

    part_jobs = {job.key: job for assembly in assemblies for job in assembly.jobs}
    part_outcomes: dict[str, _Outcome] = {}
    for key, job in part_jobs.items():
        meta = _read_meta(job)
        if meta is not None:
            part_outcomes[key] = meta
        else:
            pending.append(job)
    # Longest documents first, so that a long one does not start last on a busy pool.
    pending.sort(key=lambda j: (-len(j.html), j.relpath))
    by_relpath = {job.relpath: job for job in pending}
    for outcome in _render_all(pending, cancel):
        _check(cancel)
        job = by_relpath[outcome.relpath]
        if job.part:
            part_outcomes[job.key] = outcome
            continue
        outcomes[outcome.relpath] = outcome
        done += 1
        if outcome.error is None:
            result.rendered += 1
            result.renders.append(outcome.relpath)
            pages, seconds = outcome.pages, outcome.seconds
            say(f"[{done}/{len(docs)}] rendered {outcome.relpath} ({pages} p., {seconds:.1f} s)")
        else:
            say(f"[{done}/{len(docs)}] FAILED {outcome.relpath}")

    used_keys = {job.key for job in part_jobs.values()}
    for assembly in assemblies:
        relpath = assembly.doc.relpath
        outcome = _assemble(
            assembly, jobs[relpath], part_outcomes, paper, assets, store, base_url, used_keys, cancel
        )
        outcomes[relpath] = outcome
        done += 1
        if outcome.error is None:
            result.rendered += 1
            result.renders.append(relpath)
            counts = f"{outcome.pages} p., {assembly.rendered} of {len(assembly.jobs)} parts rendered"
            say(f"[{done}/{len(docs)}] rendered {relpath} ({counts}, {outcome.seconds:.1f} s)")
        else:
            say(f"[{done}/{len(docs)}] FAILED {relpath}")

    problems: list[Problem] = []
    target.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    for doc in docs:
        outcome = outcomes[doc.relpath]
        if outcome.error is not None:
            problems.append(_failure(doc, outcome.error))
            continue
        if doc.one_page and outcome.pages > 1:
            problems.append(_overflow(doc, outcome))
            continue
        destination = target / doc.relpath
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(jobs[doc.relpath].cache, destination)
        written.add(destination)
        result.pages[doc.relpath] = outcome.pages
    _remove_stale(target, written)
    if not one_page_only:  # the other documents' PDFs stay cached for the next build
        _prune(store, keep={jobs[doc.relpath].key for doc in docs} | used_keys)
    result.files = sorted(written)
    result.renders.sort()
    result.seconds = time.perf_counter() - started
    if problems:
        raise PlaybookError(sorted(problems))
    return result


def check_one_page(playbook: Playbook, cache_dir: Path) -> list[Problem]:
    """Render only the cheat sheets (reusing and filling the build's PDF cache) and return
    the problems of those that do not fit on one page or cannot be rendered."""
    with tempfile.TemporaryDirectory(prefix="playbookgen-print-") as folder:
        try:
            render_pdfs(playbook, Path(folder), cache_dir, one_page_only=True)
        except PlaybookError as exc:
            return list(exc.problems)
    return []


def cache_key(html: str, paper: str, assets: str = "", variant: str = "") -> str:
    """The hash a document is cached under. ``assets`` stands for the files the HTML may load
    (images next to a playbook's own print templates); ``variant`` for how it is rendered
    (in parts, as a part, untagged), empty for a plain render."""
    extra = {"variant": variant} if variant else {}
    payload = json.dumps(
        {
            **extra,
            "renderer": RENDERER,
            "weasyprint": _weasyprint_version(),
            "options": OPTIONS,
            "paper": paper,
            "assets": assets,
            "html": html,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@functools.cache
def _weasyprint_version() -> str:
    return version("weasyprint")


def _folder_hash(folder: Path) -> str:
    """A hash of every file under ``folder`` (empty when there is no such folder)."""
    if not folder.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _job(
    doc: PrintDoc, paper: str, assets: str, store: Path, base_url: str | None, variant: str = ""
) -> _Job:
    key = cache_key(doc.html, paper, assets, variant)
    return _Job(doc.relpath, doc.html, key, str(store / f"{key}.pdf"), base_url)


def _part_job(
    relpath: str,
    html: str,
    paper: str,
    assets: str,
    store: Path,
    base_url: str | None,
    *,
    tagged: bool = True,
) -> _Job:
    key = cache_key(html, paper, assets, "part" if tagged else "part-untagged")
    return _Job(relpath, html, key, str(store / f"{key}.pdf"), base_url, part=True, tagged=tagged)


def _plan_assembly(
    doc: PrintDoc, parts: Split, paper: str, assets: str, store: Path, base_url: str | None
) -> _Assembly:
    """The first round of a document in parts: every part, the numbered ones without numbers."""
    jobs = [
        _part_job(f"{doc.relpath}#{number}", part.with_numbers({}), paper, assets, store, base_url)
        for number, part in enumerate(parts.parts, start=1)
    ]
    return _Assembly(doc, parts, jobs)


def _assemble(
    assembly: _Assembly,
    whole: _Job,
    outcomes: dict[str, _Outcome],
    paper: str,
    assets: str,
    store: Path,
    base_url: str | None,
    used: set[str],
    cancel: threading.Event | None = None,
) -> _Outcome:
    """Finish a document in parts: render the parts that show page numbers (contents) and the
    page-number overlay once every part's pages are known, then merge them into ``whole.cache``."""
    from playbookgen.render.pdf_merge import merge_parts  # pikepdf: only where PDFs are merged

    started = time.perf_counter()
    parts = assembly.split.parts
    jobs = list(assembly.jobs)
    # Numbered parts are counted when rendered with their numbers, not for their first count.
    assembly.rendered = sum(
        1 for job, part in zip(jobs, parts, strict=True) if outcomes[job.key].seconds and not part.numbered
    )
    for _attempt in range(4):
        failed = [outcomes[job.key] for job in jobs if outcomes[job.key].error is not None]
        if failed:
            return _Outcome(whole.relpath, error=f"{failed[0].relpath}: {failed[0].error}")
        facts = [list(outcomes[job.key].facts) for job in jobs]
        pages = anchor_pages(parts, facts)
        numbered = [
            (index, _part_job(job.relpath, part.with_numbers(pages), paper, assets, store, base_url))
            for index, (part, job) in enumerate(zip(parts, jobs, strict=True))
            if part.numbered
        ]
        flat = [page for part_facts in facts for page in part_facts]
        numbers = _part_job(
            f"{whole.relpath}#numbers",
            overlay_html(assembly.split, flat),
            paper,
            assets,
            store,
            base_url,
            tagged=False,
        )
        round_jobs = [job for _, job in numbered] + [numbers]
        used.update(job.key for job in round_jobs)
        todo = [job for job in round_jobs if job.key not in outcomes]
        for job in todo:
            meta = _read_meta(job)
            if meta is not None:
                outcomes[job.key] = meta
        keyed = {job.relpath: job for job in todo if job.key not in outcomes}
        for outcome in _render_all(list(keyed.values()), cancel):
            _check(cancel)
            outcomes[keyed[outcome.relpath].key] = outcome
            assembly.rendered += outcome.error is None and keyed[outcome.relpath] is not numbers
        # Page numbers written in could make a part longer or shorter: then count again.
        settled = all(
            outcomes[job.key].error is not None or outcomes[job.key].pages == outcomes[jobs[index].key].pages
            for index, job in numbered
        )
        for index, job in numbered:
            jobs[index] = job
        if settled:
            break
    failed = [outcomes[job.key] for job in [*jobs, numbers] if outcomes[job.key].error is not None]
    if failed:
        return _Outcome(whole.relpath, error=f"{failed[0].relpath}: {failed[0].error}")
    facts = [list(outcomes[job.key].facts) for job in jobs]
    flat = [page for part_facts in facts for page in part_facts]
    try:
        pdf = merge_parts(
            [Path(job.cache) for job in jobs], [part.stubs for part in parts], flat, Path(numbers.cache)
        )
        cache = Path(whole.cache)
        _write_atomic(cache, pdf)
        _write_atomic(
            cache.with_suffix(".json"), json.dumps({"pages": len(flat), "used": 0.0}).encode("utf-8")
        )
    except Exception as exc:
        return _Outcome(whole.relpath, error=f"{type(exc).__name__}: {exc}")
    return _Outcome(whole.relpath, pages=len(flat), seconds=time.perf_counter() - started)


def _read_meta(job: _Job) -> _Outcome | None:
    pdf, meta = Path(job.cache), Path(job.cache).with_suffix(".json")
    if not pdf.is_file() or not meta.is_file():
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        facts = tuple(PageFacts.from_json(page) for page in data.get("facts", ()))
        return _Outcome(job.relpath, pages=int(data["pages"]), used=float(data["used"]), facts=facts)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled


def _render_all(jobs: list[_Job], cancel: threading.Event | None = None) -> Iterator[_Outcome]:
    """Render jobs across all cores; yields each outcome as it finishes. Setting ``cancel``
    stops the workers within a fraction of a second and raises :class:`Cancelled`."""
    if not jobs:
        return
    if len(jobs) == 1 and cancel is None:
        yield render_job(jobs[0])
        return
    workers = min(os.cpu_count() or 1, len(jobs))
    context = _context()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=die_with_parent)
    try:
        futures: dict[Future[_Outcome], _Job] = {pool.submit(render_job, job): job for job in jobs}
        pending = set(futures)
        while pending:
            # Woken now and then, so that a cancelled build stops without waiting for a document.
            finished, pending = wait(
                pending, timeout=None if cancel is None else 0.1, return_when=FIRST_COMPLETED
            )
            _check(cancel)
            for future in sorted(finished, key=lambda f: futures[f].relpath):
                job = futures[future]
                try:
                    yield future.result()
                except BrokenProcessPool as exc:
                    yield _Outcome(job.relpath, error=f"the PDF worker process died ({exc})")
                except Exception as exc:  # a worker error that could not be caught inside the worker
                    yield _Outcome(job.relpath, error=f"{type(exc).__name__}: {exc}")
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): stop the workers rather than wait for their documents.
        workers_running = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers_running:
            process.terminate()
        raise
    pool.shutdown(wait=True)


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent process ends, so that PDF
    workers never render on for a build that was killed (Linux; elsewhere a no-op).

    The kernel ties this to the parent *thread*: a fork server started from a thread that
    has since ended is gone too, and multiprocessing starts a new one on the next build."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    pr_set_pdeathsig = 1
    prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)


def _context() -> multiprocessing.context.BaseContext:
    """Workers start from a fork server that has WeasyPrint imported already: safe when the
    caller runs threads (``serve``), and quick to start."""
    if sys.platform == "win32" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # The guard makes the fork server end with this process; workers end with the fork server.
    context.set_forkserver_preload(["playbookgen.render.pdf_worker_guard", "weasyprint"])
    return context


def render_job(job: _Job) -> _Outcome:
    """Render one document into the cache (runs in a worker process). Never raises."""
    started = time.perf_counter()
    try:
        if job.part:
            pdf, facts = render_part(job.html, job.key, job.base_url, tagged=job.tagged)
            pages, used = len(facts), 0.0
        else:
            (pdf, pages, used), facts = render_html(job.html, job.key, job.base_url), []
        cache = Path(job.cache)
        _write_atomic(cache, pdf)
        meta: dict[str, Any] = {"pages": pages, "used": used}
        if job.part:
            meta["facts"] = [page.as_json() for page in facts]
        _write_atomic(cache.with_suffix(".json"), json.dumps(meta).encode("utf-8"))
    except Exception as exc:
        return _Outcome(job.relpath, error=f"{type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    return _Outcome(job.relpath, pages=pages, used=used, seconds=seconds, facts=tuple(facts))


def write_html_pdf(html: str, target: Path) -> Path:
    """Render a standalone print document into ``target`` (keyed by its own text, so the same
    HTML always gives the same bytes)."""
    data, _pages, _used = render_html(html, hashlib.sha256(html.encode("utf-8")).hexdigest())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def render_html(html: str, key: str, base_url: str | None = None) -> tuple[bytes, int, float]:
    """PDF bytes, page count and how full the last page is (0–1) for a print document."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: only where PDFs are made

    document = HTML(string=html, base_url=base_url, url_fetcher=local_fetcher()).render(**OPTIONS)
    used = _used_fraction(document.pages[-1]) if document.pages else 0.0
    # A fixed identifier (instead of a random one) keeps two renders byte-identical.
    pdf = document.write_pdf(pdf_identifier=key[:32].encode("ascii"), finisher=mark_required, **OPTIONS)
    return bytes(pdf), len(document.pages), used


REQUIRED_FLAG = 1 << (2 - 1)
"""The AcroForm field flag 'Required' (PDF 32000-1, table 221)."""


def mark_required(document: Any, pdf: Any) -> None:
    """Flag the PDF form fields of ``required`` inputs as required, so a PDF reader asks for
    them (WeasyPrint writes the fields but not this flag). Used as WeasyPrint's finisher."""
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            stack.extend(getattr(box, "children", None) or ())
            field = getattr(box, "widget_annotation", None)
            element = getattr(box, "element", None)
            if field is None or element is None or "required" not in element.attrib:
                continue
            if "Parent" not in field:  # radio buttons share their group's flags
                field["Ff"] = int(field.get("Ff", 0)) | REQUIRED_FLAG


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def render_part(
    html: str, key: str, base_url: str | None, *, tagged: bool = True
) -> tuple[bytes, list[PageFacts]]:
    """PDF bytes and page facts of one part of a document. The parts of a document share their
    stylesheet: it is parsed once per worker process, not once per part."""
    from weasyprint import HTML

    options = {**OPTIONS, "pdf_tags": tagged and bool(OPTIONS["pdf_tags"])}
    style = _STYLE.search(html)
    extra: dict[str, Any] = {}
    if style is not None and html.count("<style>") == 1:
        font_config, stylesheet = _stylesheet(style.group(1), base_url)
        html = html[: style.start()] + html[style.end() :]
        extra = {"font_config": font_config, "stylesheets": [stylesheet]}
    document = HTML(string=html, base_url=base_url, url_fetcher=local_fetcher()).render(**extra, **options)
    pdf = document.write_pdf(pdf_identifier=key[:32].encode("ascii"), **options)
    return bytes(pdf), page_facts(document)


@functools.lru_cache(maxsize=4)
def _stylesheet(css: str, base_url: str | None) -> tuple[Any, Any]:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

    font_config = FontConfiguration()
    return font_config, CSS(
        string=css, base_url=base_url, font_config=font_config, url_fetcher=local_fetcher()
    )


def local_fetcher() -> Any:
    """A WeasyPrint URL fetcher that only reads file: and data: URLs — never the network."""
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    return URLFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def _used_fraction(page: Any) -> float:
    """How much of the page's content area the content fills, from the top (0–1)."""
    page_box = page._page_box
    top = page_box.content_box_y()
    height = page_box.height
    bottom = top
    for child in page_box.children:
        if type(child).__name__ == "MarginBox":
            continue
        bottom = max(bottom, _content_bottom(child))
    return max(0.0, min(1.0, (bottom - top) / height)) if height else 0.0


def _content_bottom(box: Any) -> float:
    bottom = 0.0
    stack = [box]
    while stack:
        current = stack.pop()
        children = getattr(current, "children", None)
        if children:
            stack.extend(children)
        elif current.position_y is not None and current.height is not None and current.height != "auto":
            bottom = max(bottom, current.position_y + current.margin_height())
    return bottom


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _remove_stale(target: Path, written: set[Path]) -> None:
    """PDFs of documents that no longer exist must not linger in the output."""
    for path in sorted(target.rglob("*.pdf")):
        if path not in written:
            path.unlink()
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def _prune(store: Path, keep: set[str], max_age_days: float = CACHE_DAYS) -> None:
    """Forget cached PDFs no build has used for a while; mark the ones this build used."""
    now = time.time()
    for path in store.iterdir():
        key = path.name.split(".")[0]
        try:
            if key in keep:
                os.utime(path, (now, now))
            elif now - path.stat().st_mtime > max_age_days * 86400:
                path.unlink()
        except OSError:
            continue  # another build may be pruning the same cache


def _where(doc: PrintDoc) -> tuple[str, int, int]:
    if doc.source is None:
        return "playbook.yaml", 1, 1
    line, column = doc.source.pos()
    return doc.source.doc.relpath, line, column


def _failure(doc: PrintDoc, error: str) -> Problem:
    path, line, column = _where(doc)
    return Problem(
        path,
        line,
        column,
        "pdf-render-failed",
        "error",
        f"the PDF {doc.relpath} could not be rendered ({error}); if you override print templates, "
        "check them — otherwise report this as a playbookgen bug",
    )


def _overflow(doc: PrintDoc, outcome: _Outcome) -> Problem:
    assert doc.source is not None
    extra = (outcome.pages - 2) + outcome.used
    if extra < 1:
        amount = f"about {max(1, round(extra * 100))}% of a page too much"
    else:
        amount = f"about {extra:.1f} pages too much"
    return doc.source.problem(
        (),
        "cheat-sheet-overflow",
        f"cheat sheet '{doc.source.id}' runs to {outcome.pages} pages ({amount}); a cheat sheet must "
        "fit on one page — list fewer categories or shorten the phrases",
    )


def progress_printer(
    write: Callable[[str], None], *, terminal: bool, width: int = 30
) -> Callable[[str], None]:
    """A progress callback for :func:`render_pdfs`: plain lines (``terminal=False``, for CI logs)
    or one bar redrawn in place (on a terminal). ``write`` prints text as given."""
    if not terminal:
        return lambda line: write(line + "\n")

    def show(line: str) -> None:
        match = PROGRESS_LINE.match(line)
        if match is None:
            write(line + "\n")
            return
        done, total = int(match.group(1)), int(match.group(2))
        filled = round(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        write(f"\r\033[KPDFs [{bar}] {done}/{total} {line[match.end() :]}"[:200])
        if done == total:
            write("\n")

    return show
