"""Helpers for the browser tests: the system Chromium, a local server, a guarded page.

Never downloads a browser: uses ``$MALI_MAP_CHROMIUM`` or ``/usr/bin/chromium``
and skips (with the reason) when it or Playwright is missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions"]


def chromium_path() -> str:
    """The Chromium executable to drive, or skip the test with the reason."""
    path = os.environ.get("MALI_MAP_CHROMIUM", "/usr/bin/chromium")
    resolved = shutil.which(path) or (path if os.path.isfile(path) else None)
    if not resolved or not os.access(resolved, os.X_OK):
        pytest.skip(f"no Chromium executable at {path!r} (set MALI_MAP_CHROMIUM)")
    return resolved


@contextmanager
def launch_browser() -> Iterator[object]:
    """A headless system Chromium driven by Playwright's sync API."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        pytest.skip(f"playwright is not importable: {exc}")
    exe = chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (random port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Guard:
    """What a page did: requests other than its own document, console errors, page errors."""

    allowed: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.requests or self.console_errors or self.page_errors)

    def report(self) -> str:
        return (f"requests={self.requests!r} console_errors={self.console_errors!r} "
                f"page_errors={self.page_errors!r}")


def open_page(browser: object, url: str, *, width: int = 1280, height: int = 860,
              ready: bool = True) -> tuple[object, object, Guard]:
    """Open ``url`` in a fresh context; every other request is counted and aborted.

    Returns (context, page, guard). The caller closes the context.
    """
    context = browser.new_context(viewport={"width": width, "height": height},
                                  service_workers="block")
    guard = Guard(allowed=url)

    def route(r: object) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            guard.requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: guard.console_errors.append(m.text) if m.type == "error"
            else None)
    page.on("pageerror", lambda e: guard.page_errors.append(str(e)))
    page.goto(url, wait_until="load")
    if ready:
        page.wait_for_selector("body[data-mm-ready='1']", state="attached", timeout=10_000)
    return context, page, guard
