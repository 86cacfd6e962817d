"""Live preview: build the site (without PDFs) into a private folder, serve it on localhost,
and rebuild when a YAML file or a template of the playbook changes. Open pages reload by
themselves after a successful rebuild; a failed rebuild keeps the last good site and reports
its problems.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from playbookgen.build import BuildResult, build
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
        self._workdir = Path(tempfile.mkdtemp(prefix="playbookgen-serve-"))
        self.out = self._workdir / "site"
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
            result = build(self.root, self.out, pdf=False, offline=self.offline)
            if result.ok:
                self.generation += 1
        self.on_build(result)
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
