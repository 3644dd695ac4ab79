"""Helpers for the browser tests and the benchmarks: the system Chromium, a local
server, a guarded page -- the one copy (``benchmarks/_browser.py`` imports
:func:`serve`, :func:`chromium` and :data:`CHROMIUM` from here).

Never downloads a browser: uses ``$MALI_MAP_CHROMIUM`` or ``/usr/bin/chromium``;
:func:`launch_browser` skips a test (with the reason) when it or Playwright is missing.
Importing this module needs neither pytest nor Playwright.
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

#: The system Chromium (``$MALI_MAP_CHROMIUM`` overrides it).
CHROMIUM = os.environ.get("MALI_MAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions"]


def _missing(reason: str) -> None:
    """Skip on a developer's machine; under CI a missing browser is a failure, not a skip."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests: see scripts/ensure_chromium.sh)")
    pytest.skip(reason)


def chromium_path() -> str:
    """The Chromium executable to drive, or skip the test with the reason."""
    path = CHROMIUM
    resolved = shutil.which(path) or (path if os.path.isfile(path) else None)
    if not resolved or not os.access(resolved, os.X_OK):
        _missing(f"no Chromium executable at {path!r} (set MALI_MAP_CHROMIUM)")
    return resolved


@contextmanager
def chromium(executable: str = CHROMIUM) -> Iterator[object]:
    """A headless system Chromium driven by Playwright's sync API (never a downloaded
    browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def launch_browser() -> Iterator[object]:
    """:func:`chromium` for a test: skipped (failed under CI) when it cannot run."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        _missing(f"playwright is not importable: {exc}")
    with chromium(chromium_path()) as browser:
        yield browser


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


# --------------------------------------------------------------------------- test data

#: A small 3W table with a known answer: (id, organisation, sector, pcode, lat, lon,
#: status, start, end, reached). ``pcode`` None = not on the map (national or unknown).
SAMPLE = (
    ("T01", "Org A", "health", "ML07", 16.27, -0.04, "ongoing", "2020", "2022", 100.0),
    ("T02", "Org A", "health", "ML07", None, None, "completed", "2019", "2019", 50.0),
    ("T03", "Org B", "education", "ML07", 16.30, -0.10, "planned", "2023", "", None),
    ("T04", "Org B", "wash", "ML05", 14.49, -4.19, "ongoing", "2021-03", "2023-06", 200.0),
    ("T05", "Org C", "wash", "ML05", None, None, "ongoing", "2022", "", None),
    ("T06", "Org C", "health", "ML06", 16.77, -3.01, "completed", "2018", "2020", 30.0),
    ("T07", "Org A", "education", "ML06", None, None, "ongoing", "2021", "", 10.0),
    ("T08", "Org B", "health", "ML01", 14.45, -11.44, "suspended", "2020", "2021", None),
    ("T09", "Org A", "wash", None, None, None, "ongoing", "2020", "", None),
    ("T10", "Org C", "education", None, None, None, "planned", "2024", "", 5.0),
)
SAMPLE_FIELDS = ("id", "organisation", "sector", "pcode", "lat", "lon", "status", "start",
                 "end", "reached")


def sample_rows() -> list[dict]:
    return [dict(zip(SAMPLE_FIELDS, row, strict=True)) for row in SAMPLE]


def sample_records() -> object:
    """The SAMPLE table as the records DataFrame the pipeline reads."""
    import pandas as pd

    rows = []
    for r in sample_rows():
        national = r["id"] == "T09"
        rows.append({
            "id": r["id"], "organisation": r["organisation"], "sector": r["sector"],
            "activity": f"Activity {r['id']}", "adm1_pcode": r["pcode"],
            "adm1_name": "Atlantis" if r["id"] == "T10" else None,
            "place": "Mali" if national else f"Place {r['id']}",
            "latitude": r["lat"], "longitude": r["lon"], "start_date": r["start"] or None,
            "end_date": r["end"] or None, "status": r["status"], "reached": r["reached"],
            "precision": "national" if national else None, "source": "sample.csv",
            "source_text": f"Quote {r['id']}",
        })
    frame = pd.DataFrame(rows)
    frame["row"] = range(2, len(frame) + 2)
    return frame


def sample_result(adm2: Path | None = None, *, cercles: bool = False) -> object:
    """SAMPLE joined to the embedded regions (and an ADM2 file, or the embedded cercles)."""
    from mali_map._geo._boundaries import load_boundaries
    from mali_map._join._join import join

    bounds = load_boundaries(adm2=adm2)
    if adm2 is None and not cercles:
        bounds.adm2 = None  # regions only: the renderer tests count one unit per region
    result = join(sample_records(), bounds)
    result.source = "sample.csv"
    got = dict(zip(result.records["id"], result.records["pcode"], strict=True))
    for r in sample_rows():
        value = got[r["id"]]
        value = None if value is None or value != value else value
        assert value == r["pcode"], f"join placed {r['id']} in {value}, expected {r['pcode']}"
    return result


#: Texts that must show as text and never run.
CANARIES = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "${window.__pwned=1}",
    "</script><script>window.__pwned=1</script>",
    "\"'`quotes`'\" <b>bold</b> &amp; \u2028line",
    "<svg onload=window.__pwned=1>",
)


def canary(i: int) -> str:
    return CANARIES[i % len(CANARIES)]


def canary_result() -> object:
    """Records and boundary names that are all hostile payloads, joined for real."""
    import pandas as pd

    from mali_map._geo._boundaries import load_boundaries
    from mali_map._join._join import join

    bounds = load_boundaries()
    adm1 = bounds.adm1.copy()
    for col in ("name", "name_fr", "name_en"):
        if col in adm1:
            adm1[col] = [f"{canary(i)} {p}" for i, p in enumerate(adm1["pcode"])]
    bounds.adm1 = adm1
    bounds.attribution = (canary(1), canary(3))
    rows = []
    pcodes = ("ML07", "ML07", "ML05", "ML06", None, None)
    coords = ((16.27, -0.04), (None, None), (14.49, -4.19), (16.77, -3.01), (None, None),
              (None, None))
    for i in range(6):
        lat, lon = coords[i]
        rows.append({
            "id": f"{canary(i)}#{i}", "organisation": canary(i), "sector": canary(i + 1),
            "activity": canary(i + 2), "adm1_pcode": pcodes[i], "place": canary(i + 3),
            "latitude": lat, "longitude": lon, "start_date": "2020", "end_date": "2021",
            "status": canary(i + 4), "reached": 10.0 * (i + 1),
            "precision": "national" if pcodes[i] is None else None,
            "source": canary(i + 5), "source_text": canary(i),
            "description": canary(i + 1),
        })
    frame = pd.DataFrame(rows)
    frame["row"] = range(2, len(frame) + 2)
    result = join(frame, bounds)
    result.source = canary(0)
    return result
