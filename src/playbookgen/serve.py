"""Live preview: build the site (without PDFs) into a private folder, serve it on localhost,
and rebuild when a YAML file or a template of the playbook changes. Open pages reload by
themselves after a successful rebuild; a failed rebuild keeps the last good site and reports
its problems.

A change that only alters the text of pages (not their titles, tags, the nav or the theme)
is rebuilt quickly: the playbook is checked and its Markdown generated as in a full build,
then MkDocs renders only the pages whose Markdown changed, into a copy of the served site
that replaces it when done; the search index keeps every other page's entries. This holds
for every language's site alike (``<site>/<code>/``, source in ``languages/<code>/``): a
changed category file or its translation overlay re-renders that category's page in each
language whose page text changed, and only those sites run MkDocs. Anything else, or any
failure on the quick path, takes a full build.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from playbookgen.build import (
    LANGUAGES_DIR,
    TAGS_MARKER,
    BuildResult,
    Plan,
    Sources,
    build_planned,
    plan_build,
    run_mkdocs,
    write_sources,
)
from playbookgen.check import check
from playbookgen.model import Playbook
from playbookgen.problems import PlaybookError
from playbookgen.render.site import SiteFiles
from playbookgen.resources import resource_dir

GENERATION_PATH = "/__playbookgen__/generation"
WATCHED_SUFFIXES = (".yaml", ".yml", ".md", ".html", ".css", ".js")
RELOAD_SCRIPT = (
    "<script>(function(){var seen=null;setInterval(function(){"
    f'fetch("{GENERATION_PATH}",{{cache:"no-store"}}).then(function(r){{return r.text()}})'
    ".then(function(g){if(seen===null){seen=g}else if(g!==seen){location.reload()}})"
    ".catch(function(){})},300)})();</script>"
)
"""Added to every HTML page the preview serves (never to a built site)."""


class Preview:
    """A site built from ``root`` into a temporary folder, served on ``host:port`` and rebuilt
    on change. ``on_build`` hears about every build, good or bad."""

    def __init__(
        self,
        root: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        offline: bool = False,
        on_build: Callable[[BuildResult], None] | None = None,
        delay: float = 0.15,
    ) -> None:
        self.root = root
        self.offline = offline
        self.on_build = on_build or (lambda result: None)
        self.delay = delay
        self.generation = 0
        self.quick = False
        """Whether the last successful build took the quick path."""
        self._workdir = Path(tempfile.mkdtemp(prefix="playbookgen-serve-"))
        self.out = self._workdir / "site"
        self._source: Path | None = None
        """The Markdown the served site was built from, while a quick rebuild can use it."""
        self._lock = threading.Lock()
        self._changed = threading.Event()
        self._stopping = threading.Event()
        handler = functools.partial(_Handler, directory=str(self.out), preview=self)
        self._server = http.server.ThreadingHTTPServer((host, port), handler)
        self._observer: Any = None
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def rebuild(self) -> BuildResult:
        """Build now; on success, open pages reload."""
        with self._lock:
            result = self._build()
            if result.ok:
                self.generation += 1
        self.on_build(result)
        return result

    def _build(self) -> BuildResult:
        """The build's own stages: check and plan, then the quick path when it can serve,
        else a full build that takes over the source the quick path already wrote."""
        started = time.perf_counter()
        self.quick = False
        checked = check(self.root)
        if not checked.ok:
            return BuildResult(False, self.out, checked.problems)
        try:
            plan = plan_build(checked, self.out, pdf=False, offline=self.offline)
        except PlaybookError as error:
            return BuildResult(False, self.out, [*checked.problems, *error.problems])
        quick = self._quick_rebuild(plan, started)
        if isinstance(quick, BuildResult):
            self.quick = True
            return quick
        source = self._workdir / "source"
        result = build_planned(plan, sources=quick, keep_source=source, started=started)
        self._source = source if result.ok else None
        return result

    def start(self) -> BuildResult:
        """Build once, then serve and watch in background threads."""
        result = self.rebuild()
        self._observer = Observer()
        watcher = _Watcher(self._changed)
        self._observer.schedule(watcher, str(self.root), recursive=True)
        templates = resource_dir("templates") / "site"
        if templates.is_dir():
            self._observer.schedule(watcher, str(templates), recursive=True)
        self._observer.start()
        for target in (self._server.serve_forever, self._rebuild_on_change):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return result

    def stop(self) -> None:
        self._stopping.set()
        self._changed.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
        self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        shutil.rmtree(self._workdir, ignore_errors=True)

    def _rebuild_on_change(self) -> None:
        while not self._stopping.is_set():
            self._changed.wait()
            # Wait until no change has arrived for a moment: an editor saves in several steps.
            while True:
                self._changed.clear()
                if self._stopping.is_set():
                    return
                if not self._changed.wait(self.delay):
                    break
            self.rebuild()

    def _quick_rebuild(self, plan: Plan, started: float) -> BuildResult | Sources | None:
        """Rebuild only the pages whose text changed. When a full build is needed instead:
        the site source written so far, for the full build to take over (or None)."""
        source = self._source
        if source is None or not source.is_dir() or not self.out.is_dir():
            return None
        fresh = self._workdir / "fresh-source"
        candidate = self._workdir / "candidate"
        for folder in (fresh, candidate):
            shutil.rmtree(folder, ignore_errors=True)
        try:
            written = write_sources(plan, fresh)
            changed = changed_pages(source, fresh)
            if changed is None:
                ready = self._workdir / "ready-source"
                shutil.rmtree(ready, ignore_errors=True)
                os.rename(fresh, ready)
                return Sources(ready, written.files)
            for relpath in changed:
                os.replace(fresh / relpath, source / relpath)  # newer than its page: rebuilt
            shutil.copytree(self.out, candidate)  # copies keep their times: not rebuilt
            sites = [("", plan.playbook, written.files)]
            sites += [(code, playbook, language.files) for code, playbook, language in written.languages]
            for code, playbook, files in sites:
                where = f"{LANGUAGES_DIR}/{code}/" if code else ""
                if any(relpath.startswith(f"{where}docs/") for relpath in changed):
                    _render_changed(playbook, source / where, candidate / code, files)
            previous = self._workdir / "previous"
            shutil.rmtree(previous, ignore_errors=True)
            os.rename(self.out, previous)
            os.rename(candidate, self.out)
            shutil.rmtree(previous, ignore_errors=True)
        except (PlaybookError, OSError, ValueError):
            self._source = None  # the source may be ahead of the site now: build it all next time
            return None
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.rmtree(candidate, ignore_errors=True)
        seconds = time.perf_counter() - started
        return BuildResult(True, self.out, plan.problems, len(written.files.pages), None, seconds)


def _render_changed(playbook: Playbook, source: Path, site: Path, files: SiteFiles) -> None:
    """Render into ``site`` (a copy of the served site of one language) the pages of the site
    source ``source`` that are newer than their output, keeping every other page's output and
    search entries."""
    docs = source / "docs"
    # Tag listings must be read for tag links to work, but keep their old output (the tags did
    # not change; MkDocs only knows the tags of the pages it reads).
    listings = {
        page.relative_to(docs).as_posix()
        for page in docs.rglob("*.md")
        if TAGS_MARKER.encode() in page.read_bytes()
    }
    for listing in listings:
        os.utime(docs / listing)
    plugin = _UnchangedPages(docs, site, listings)
    preview: dict[str, BasePlugin] = {"playbookgen/preview": plugin}  # type: ignore[type-arg]
    run_mkdocs(playbook, source / "mkdocs.yml", site, files, dirty=True, plugins=preview)


_PAGES = re.compile(rf"^(?:{LANGUAGES_DIR}/[^/]+/)?docs/")
"""Where the pages of a site source are: ``docs/`` of the source language's site and
``languages/<code>/docs/`` of each other language's."""


def changed_pages(old: Path, new: Path) -> list[str] | None:
    """The files of site source ``new`` that differ from ``old``, when only the text of pages
    (or a diagram) changed, in any language's site; None when anything else did: a file added
    or removed, a configuration, the theme, or a page's front matter (its title and tags show
    elsewhere)."""
    old_files = {p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()}
    new_files = {p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()}
    if old_files != new_files:
        return None
    changed: list[str] = []
    for relpath in sorted(new_files):
        before, after = (old / relpath).read_bytes(), (new / relpath).read_bytes()
        if before == after:
            continue
        pages = _PAGES.match(relpath)
        if pages is None or relpath[pages.end() :].startswith("assets/"):
            return None
        if relpath.endswith(".md") and _front_matter(before) != _front_matter(after):
            return None
        changed.append(relpath)
    return changed


def _front_matter(page: bytes) -> bytes:
    """The YAML between a page's opening ``---`` and closing ``---`` lines."""
    return page.split(b"\n---\n", 1)[0].removeprefix(b"---\n")


class _UnchangedPages(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """For a dirty MkDocs build: the pages it does not read still need their titles (for
    the nav of the pages it renders), and their search entries must stay in the index."""

    def __init__(self, docs: Path, site: Path, listings: set[str]) -> None:
        self.docs = docs
        index = site / "search" / "search_index.json"
        self.index_file = index
        self.old_index: dict[str, Any] = json.loads(index.read_text(encoding="utf-8"))
        self.listings = listings
        """Tag listing pages (source paths): read, but their output and index entries are kept."""
        self.listing_urls: set[str] = set()
        self.rebuilt: set[str] = set()

    def on_nav(self, nav: Navigation, **kwargs: Any) -> Navigation:
        for page in nav.pages:
            if page.file.src_uri in self.listings:
                self.listing_urls.add(page.url)
                continue
            if page.file.is_modified():
                self.rebuilt.add(page.url)
                continue
            meta = yaml.safe_load(_front_matter((self.docs / page.file.src_uri).read_bytes()))
            page.meta = meta if isinstance(meta, dict) else {}
            page.markdown = ""  # not None: MkDocs reads a page without Markdown as untitled
        return nav

    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Page, **kwargs: Any) -> str:
        if page.file.src_uri in self.listings:
            return Path(page.file.abs_dest_path).read_text(encoding="utf-8")
        return output

    @event_priority(-100)  # after the search plugin has written its index of the rebuilt pages
    def on_post_build(self, **kwargs: Any) -> None:
        def page_of(entry: dict[str, Any]) -> str:
            return str(entry.get("location", "")).split("#")[0]

        new = json.loads(self.index_file.read_text(encoding="utf-8"))
        kept = [e for e in self.old_index.get("docs", []) if page_of(e) not in self.rebuilt]
        fresh = [e for e in new.get("docs", []) if page_of(e) not in self.listing_urls]
        new["docs"] = kept + fresh
        self.index_file.write_text(json.dumps(new, ensure_ascii=False), encoding="utf-8")


class _Watcher(FileSystemEventHandler):
    def __init__(self, changed: threading.Event) -> None:
        self.changed = changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(str(p).endswith(WATCHED_SUFFIXES) for p in paths if p):
            self.changed.set()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site, quietly, with the reload script in every HTML page."""

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.path.split("?")[0] == GENERATION_PATH:
            self._send(str(self.preview.generation).encode(), "text/plain; charset=utf-8")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                super().do_GET()  # redirects to the address with a slash
                return
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            html = path.read_text(encoding="utf-8").replace("</body>", RELOAD_SCRIPT + "</body>", 1)
            self._send(html.encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log: the terminal shows build reports only."""
