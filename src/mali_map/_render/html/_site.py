"""Interactive maps: one page in a notebook, or the whole site that ``mali-map build`` writes.

The site is ``index.html`` (overview map, summary table, links), one
``regions/<slug>.html`` per first-level unit that has at least one record, and
one ``sectors/<slug>.html`` per sector named by at least one record. Slugs are
ASCII (``segou``, ``tombouctou``, ``child-protection``); nothing is written
outside the output folder.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..._core import (
    WORKERS,
    OutputError,
    available_workers,
    parallel_map,
)
from ..._join import JoinResult
from .._pages import find_sector, find_unit
from ._content import meta_line, render_scope
from ._selection import Scope
from ._settings import make_site, relative_href, report_link, site_options

__all__ = ["InteractiveMap", "interactive_map", "render_site"]

#: Pages are rendered in parallel from this many records and pages on.
PARALLEL_MIN_RECORDS = 50_000
PARALLEL_MIN_PAGES = 4


class InteractiveMap:
    """One self-contained interactive map page."""

    def __init__(self, page: str) -> None:
        self.html = page

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        target = Path(path)
        try:
            target.write_text(self.html, encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"{target}: cannot write the map: {exc.strerror or exc}") from exc
        return target

    def _repr_html_(self) -> str:
        """The page in a sandboxed ``<iframe srcdoc>`` for Jupyter (scripts only, no origin)."""
        return ('<iframe sandbox="allow-scripts" style="width:100%;height:640px;border:0" '
                f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>')

    def __len__(self) -> int:
        return len(self.html.encode("utf-8"))


def interactive_map(
    result: JoinResult,
    *,
    region: str | None = None,
    sector: str | None = None,
    lang: str = "en",
    metric: str = "activities",
    scheme: str = "quantiles",
    k: int = 5,
    tiles: str = "none",
    title: str | None = None,
    report_href: str | None = None,
) -> InteractiveMap:
    """One interactive map: the overview, or one ``region`` or ``sector``.

    ``region`` names a unit of any loaded level (a P-code, or a name as ``--region``
    takes it); its page draws the units of the level below inside it.

    Classes are computed from the overview totals, as in :func:`render_site`.
    ``report_href`` is an optional link to the join report shown next to the
    count of records that are not on the map.

    >>> from mali_map._build._pipeline import join_files
    >>> page = interactive_map(join_files(), region="Tombouctou", lang="fr")
    >>> page.html.startswith("<!DOCTYPE html>") and "Région\\xa0: Tombouctou" in page.html
    True
    """
    if region is not None and sector is not None:
        raise ValueError("choose a region or a sector, not both")
    opts = site_options(lang, metric, scheme, k, tiles, title)
    report_href = relative_href(report_href, 0, "report_href")  # never javascript: etc.
    site = make_site(result, opts, None)
    site.standalone = True
    if region is not None:
        scope = Scope("region", find_unit(result, region))
    elif sector is not None:
        scope = Scope("sector", find_sector(result, sector))
    else:
        scope = Scope()
    return InteractiveMap(render_scope(site, scope, 1, report_href))


def _write(root: Path, relative: str, page: str) -> Path:
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise OutputError(f"{target}: refusing to write outside the output folder {root}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    return target


def render_site(
    result: JoinResult,
    out_dir: Path,
    *,
    lang: str = "en",
    metric: str = "activities",
    scheme: str = "quantiles",
    k: int = 5,
    tiles: str = "none",
    title: str | None = None,
    report_name: str | None = "join-report.csv",
    records_name: str | None = "records.gpkg",
    workers: int | None = None,
) -> list[Path]:
    """Write ``index.html``, ``regions/<slug>.html`` and ``sectors/<slug>.html`` to ``out_dir``.

    Region pages exist for every first-level unit with at least one record;
    sector pages for every sector named by at least one record. The same classes
    (from the overview totals) colour every page. ``report_name`` (the join
    report) and ``records_name`` (every record with its coordinates) are paths
    relative to ``out_dir``, linked from the pages, not written here. Pages are
    rendered on :data:`~mali_map._core._parallel.WORKERS` processes when there are
    enough records to pay for it (``workers`` forces a number); the files are
    the same either way.

    >>> import tempfile
    >>> from mali_map._build._pipeline import join_files
    >>> out = Path(tempfile.mkdtemp())
    >>> pages = render_site(join_files(), out, lang="fr")
    >>> [p.relative_to(out.resolve()).as_posix() for p in pages][:3]
    ['index.html', 'regions/mopti.html', 'regions/tombouctou.html']
    """
    opts = site_options(lang, metric, scheme, k, tiles, title)
    report_link(report_name, 0)  # validate early
    relative_href(records_name, 0, "records_name")
    try:
        root = Path(out_dir).resolve()
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder: "
                          f"{exc.strerror or exc}") from exc
    site = make_site(result, opts, report_name, records_name)
    meta_line(site)  # once, before the pages (and workers) need it
    jobs = [(f"{p.stem('index')}.html", Scope(p.kind, p.key), p.depth) for p in site.pages]
    if workers is None:
        workers = (WORKERS if len(result.records) >= PARALLEL_MIN_RECORDS
                   and len(jobs) >= PARALLEL_MIN_PAGES else 1)

    def render(job: tuple[str, Scope, int]) -> str:
        _, scope, depth = job
        return render_scope(site, scope, depth, report_link(report_name, depth))

    pages = parallel_map(render, jobs, workers=min(workers, available_workers()))
    return [_write(root, relative, html_page)
            for (relative, _, _), html_page in zip(jobs, pages, strict=True)]
