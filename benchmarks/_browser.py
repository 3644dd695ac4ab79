"""Open a page in headless system Chromium with the network blocked and time it.

Pages are served from a local HTTP server on 127.0.0.1. Every request is routed: the
page itself and files under its own folder are served (and counted as ``local``), CDN
URLs for which a local npm copy exists are answered from it (``from_npm``), anything
else is aborted and counted (``blocked``). Times are read inside the page with
``performance.now()``, whose zero is the navigation start.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

# The local server and the Chromium launch are the browser tests' (tests/browser.py): one copy.
sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))
from browser import CHROMIUM, CHROMIUM_ARGS, chromium, serve

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "chromium", "measure_explore", "measure_mali_map",
           "serve"]

VIEWPORT = {"width": 1280, "height": 860}

#: Installed before any page script: notes when the page says it is ready (mali-map sets
#: ``data-mm-ready`` on <body>), when the window ``load`` event fires, and the frame
#: after each (two animation frames: the first one painted with that state).
_INIT = """
(() => {
  const st = window.__bench = {};
  const twoFrames = (key) => requestAnimationFrame(() => requestAnimationFrame(() => {
    st[key] = performance.now();
  }));
  const seen = () => {
    const body = document.body;
    if (st.ready === undefined && body && body.getAttribute('data-mm-ready') !== null) {
      st.ready = performance.now();
      twoFrames('readyPainted');
    }
  };
  new MutationObserver(seen).observe(document, {subtree: true, childList: true,
    attributes: true, attributeFilter: ['data-mm-ready']});
  window.addEventListener('load', () => {
    st.load = performance.now();
    st.leaflet = document.querySelectorAll('.leaflet-interactive').length;
    twoFrames('loadPainted');
  });
})();
"""

#: Change a <select> and time the page's update. With a ``data-mm-updated`` counter on
#: <body> the update is done when the counter changes; a page without one updates
#: synchronously, so the ``change`` dispatch itself is timed.
_CHANGE = """
([id, value]) => {
  const res = window.__benchChange = {done: false};
  const sel = document.getElementById(id);
  if (!sel) { res.error = 'no #' + id; res.done = true; return; }
  setTimeout(() => {
    const body = document.body;
    const before = body.getAttribute('data-mm-updated');
    const t0 = performance.now();
    const finish = (mode, t) => {
      res.mode = mode;
      res.updated = t - t0;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        res.painted = performance.now() - t0;
        res.done = true;
      }));
    };
    const watch = new MutationObserver(() => {
      if (body.getAttribute('data-mm-updated') !== before) {
        watch.disconnect();
        finish('counter', performance.now());
      }
    });
    sel.value = value;
    sel.dispatchEvent(new Event('change', {bubbles: true}));
    const t1 = performance.now();
    res.sync = t1 - t0;
    const after = body.getAttribute('data-mm-updated');
    if (after !== before) { finish('counter', t1); }
    else if (before === null) { finish('sync dispatch', t1); }
    else { watch.observe(body, {attributes: true, attributeFilter: ['data-mm-updated']}); }
  }, 0);
}
"""


def _heap(cdp: object) -> dict[str, float]:
    """JS heap used (MB) as Chromium reports it, then after a forced garbage collection."""
    def used() -> float:
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return metrics.get("JSHeapUsedSize", float("nan")) / 1e6

    before = used()
    cdp.send("HeapProfiler.collectGarbage")
    return {"heap_mb": before, "heap_after_gc_mb": used()}


def _renderer_mb() -> float | None:
    """Largest resident size (MB) of this process's Chromium renderers (one page is open).

    ``JSHeapUsedSize`` leaves out ArrayBuffer contents (the typed arrays a page decodes
    its data into) and the DOM; the renderer's resident size includes them.
    """
    try:
        import psutil
    except ImportError:
        return None
    sizes = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "--type=renderer" in " ".join(child.cmdline()):
                sizes.append(child.memory_info().rss)
        except psutil.Error:
            continue
    return max(sizes) / 1e6 if sizes else None


def _open(browser: object, page_file: Path, draw_timeout: float,
          local_copy: Callable[[str], Path | None] | None, ready: str) -> dict:
    """Load ``page_file``; ``ready`` is ``'mm'`` (data-mm-ready) or ``'load'`` (Leaflet)."""
    from playwright.sync_api import Error as PlaywrightError

    out: dict = {"local": 0, "from_npm": 0, "blocked": 0, "blocked_urls": [],
                 "page_errors": []}
    with serve(page_file.parent) as base:
        url = f"{base}/{page_file.name}"
        context = browser.new_context(viewport=VIEWPORT, service_workers="block")

        def route(r: object) -> None:
            target = r.request.url
            if target.startswith(base + "/"):
                out["local"] += 1
                r.continue_()
                return
            copy = local_copy(target) if local_copy else None
            if copy is not None:
                out["from_npm"] += 1
                r.fulfill(path=str(copy))
                return
            out["blocked"] += 1
            if len(out["blocked_urls"]) < 20:
                out["blocked_urls"].append(target)
            r.abort()

        context.route("**/*", route)
        context.add_init_script(_INIT)
        page = context.new_page()
        page.on("pageerror", lambda e: out["page_errors"].append(str(e)[:200]))
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        painted = "readyPainted" if ready == "mm" else "loadPainted"
        try:
            page.goto(url, wait_until="commit", timeout=draw_timeout * 1000)
            page.wait_for_function(f"() => (window.__bench || {{}}).{painted} !== undefined",
                                   timeout=draw_timeout * 1000, polling=100)
            bench = page.evaluate("() => window.__bench")
            out["drawn_s"] = bench[painted] / 1000
            out["ready_s"] = bench.get("ready", bench.get("load")) / 1000
            if ready == "load":
                out["leaflet_features"] = bench.get("leaflet")
            out.update(_heap(cdp))
            out["renderer_mb"] = _renderer_mb()
            out["page"] = page
            out["context"] = context
            return out
        except PlaywrightError as exc:
            out["drawn_s"] = None
            out["error"] = f"not drawn in {draw_timeout:g} s" if "Timeout" in str(exc) \
                else str(exc).splitlines()[0][:200]
            context.close()
            return out


def _change(page: object, select_id: str, value: str, timeout: float) -> dict:
    from playwright.sync_api import Error as PlaywrightError

    page.evaluate(_CHANGE, [select_id, value])
    try:
        page.wait_for_function("() => window.__benchChange.done", timeout=timeout * 1000,
                               polling=50)
    except PlaywrightError:
        return {"error": f"not updated in {timeout:g} s"}
    res = page.evaluate("() => window.__benchChange")
    res.pop("done", None)
    return {k: (v / 1000 if isinstance(v, float | int) else v) for k, v in res.items()}


def _options(page: object, select_id: str) -> tuple[str, list[str]]:
    return page.evaluate("""(id) => { const s = document.getElementById(id);
        return s ? [s.value, Array.from(s.options, o => o.value)] : ['', []]; }""", select_id)


def _planned_changes(page: object) -> list[tuple[str, str]]:
    """Every other metric then back; the first two statuses then back to all."""
    current, metrics = _options(page, "mm-metric")
    changes = [("mm-metric", m) for m in metrics if m != current]
    if changes:
        changes.append(("mm-metric", current))
    _, statuses = _options(page, "mm-f-status")
    statuses = [s for s in statuses if s != ""][:2]
    return changes + [("mm-f-status", s) for s in statuses] + [("mm-f-status", "")] * bool(
        statuses)


def measure_mali_map(browser: object, page_file: Path, *, draw_timeout: float = 120,
                     change_timeout: float = 60) -> dict:
    """Draw time, JS heap and the time of metric and status-filter changes of a page.

    A change that does not finish leaves the page busy: the rest of that <select>'s
    changes are skipped and the page is opened afresh for the next <select>.
    """
    out = _open(browser, page_file, draw_timeout, None, "mm")
    page, context = out.pop("page", None), out.pop("context", None)
    if page is None:
        return out
    out["changes"] = []
    try:
        changes = _planned_changes(page)
        stuck = None
        for sid, value in changes:
            if stuck == sid:
                continue
            if stuck is not None:
                context.close()
                again = _open(browser, page_file, draw_timeout, None, "mm")
                page, context = again.pop("page", None), again.pop("context", None)
                if page is None:
                    break
                stuck = None
            timed = _change(page, sid, value, change_timeout)
            out["changes"].append({"select": sid, "value": value, **timed})
            if "error" in timed:
                stuck = sid
    finally:
        if context is not None:
            context.close()
    return out


def measure_explore(browser: object, page_file: Path, folium_dir: Path | None, *,
                    draw_timeout: float = 120) -> dict:
    """Draw time and JS heap of an ``explore()`` page, its CDN files served from npm copies."""
    from _explore_env import local_file

    out = _open(browser, page_file, draw_timeout, lambda u: local_file(u, folium_dir), "load")
    page, context = out.pop("page", None), out.pop("context", None)
    if context is not None:
        out["leaflet_features_drawn"] = page.evaluate(
            "() => document.querySelectorAll('.leaflet-interactive').length")
        context.close()
        if not out["leaflet_features_drawn"]:
            out["drawn_s"], out["error"] = None, "loaded, but no GeoJSON feature drawn"
    return out
