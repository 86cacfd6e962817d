"""Headless Chromium for the browser tests: the reference site built once and served on
127.0.0.1, one browser per test session, and tabs that record every request and console error.

Chromium is Debian's /usr/bin/chromium driven by Playwright. Without it these tests skip,
except when PLAYBOOKGEN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure. The
fixtures are registered once, in conftest.py, so that several test modules share the browser.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from playbookgen.build import build

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "playbook"

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
ARTIFACTS = REPO / "test-artifacts"
PHONE = {"width": 360, "height": 740}


def unavailable(reason: str) -> None:
    if os.environ.get("PLAYBOOKGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and PLAYBOOKGEN_REQUIRE_BROWSER=1 requires the browser tests to run")
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log in the test output."""


@dataclass
class Site:
    root: Path
    url: str


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The reference playbook built once (without PDFs) and served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("browser") / "site"
    result = build(REFERENCE, out, pdf=False)
    assert result.ok, result.problems
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(out, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Tab:
    """A page with every request and console error it caused."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        foreign = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about", "file"):
                continue
            if parsed.hostname not in LOCAL_HOSTS:
                foreign.append(url)
        return foreign


@pytest.fixture
def open_tab(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def opener(viewport: dict[str, int] | None = None) -> Tab:
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        tab = Tab(page)
        context.on("request", lambda request: tab.requests.append(request.url))
        page.on(
            "console", lambda message: tab.errors.append(message.text) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: tab.errors.append(str(error)))
        return tab

    yield opener
    for context in contexts:
        context.close()
