"""Interactive maps: one page in a notebook, or the whole site that ``mali-map build`` writes.

The site is ``index.html`` (overview map, summary table, links), one
``regions/<slug>.html`` per first-level unit that has at least one record, and
one ``sectors/<slug>.html`` per sector named by at least one record. Slugs are
ASCII (``segou``, ``tombouctou``, ``child-protection``); nothing is written
outside the output folder.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import pandas as pd

from .._classify import SCHEMES, Classes
from .._errors import OutputError
from .._i18n import check_language, label
from .._model import METRICS, JoinResult
from .._options import check_classes
from .._pages import find_region, find_sector, page_selection
from .._text import fold
from .._vocabulary import sector_label
from ._assets import load_assets
from ._page import esc, render_page
from ._payload import (
    Scope,
    adm2_classes,
    build_payload,
    format_number,
    number,
    overview_classes,
    scope_records,
    tally,
    text,
)
from ._strings import status_label, ui

TILES: tuple[str, ...] = ("none", "osm")


# --------------------------------------------------------------------------- options

@dataclass(frozen=True)
class _Options:
    lang: str
    metric: str
    scheme: str
    k: int
    tiles: str
    title: str


def _options(lang: str, metric: str, scheme: str, k: int, tiles: str,
             title: str | None) -> _Options:
    check_language(lang)
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of: {', '.join(METRICS)}")
    if scheme not in SCHEMES:
        known = ", ".join(sorted(SCHEMES))
        raise ValueError(f"unknown classification scheme {scheme!r}; choose one of: {known}")
    if tiles not in TILES:
        raise ValueError(f"unknown tiles {tiles!r}; choose one of: {', '.join(TILES)}")
    k = check_classes(k, "k")  # the one bound every renderer shares
    return _Options(lang, metric, scheme, int(k), tiles, title or ui("title", lang))


def _report_href(report_name: str | None, depth: int) -> str | None:
    """A relative link to the join report from a page ``depth`` folders below the site root."""
    if not report_name:
        return None
    path = PurePosixPath(report_name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in report_name:
        raise ValueError(f"report name must be a relative path inside the output folder: "
                         f"{report_name!r}")
    return "../" * depth + quote(str(path))


# --------------------------------------------------------------------------- pages

@dataclass
class _Site:
    """What every page of one build shares."""

    result: JoinResult
    opts: _Options
    adm1: dict[str, Classes]
    adm2: dict[str, Classes] | None
    report_name: str | None
    regions: dict[str, str] = field(default_factory=dict)   # pcode -> slug
    sectors: dict[str, str] = field(default_factory=dict)   # key -> slug
    generated: str = field(default_factory=lambda: _dt.date.today().isoformat())
    standalone: bool = False   # one page on its own: no links to other pages


def _region_names(result: JoinResult) -> dict[str, str]:
    adm1 = result.boundaries.adm1
    return {text(p): text(n) for p, n in zip(adm1["pcode"], adm1["name"], strict=True)}


def _site(result: JoinResult, opts: _Options, report_name: str | None) -> _Site:
    site = _Site(result, opts, overview_classes(result, opts.scheme, opts.k),
                 adm2_classes(result, opts.scheme, opts.k)
                 if result.boundaries.adm2 is not None else None, report_name)
    regions, sectors = page_selection(result)
    site.regions, site.sectors = dict(regions), dict(sectors)
    return site


def _nav(site: _Site, depth: int) -> str:
    if depth == 0 or site.standalone:
        return ""
    return f'<a href="../index.html">{esc(label("overview", site.opts.lang))}</a>'


def _meta(site: _Site) -> str:
    lang, records = site.opts.lang, site.result.records
    colon = ui("colon", lang)
    dates = [d for d in (*records["start_date"].map(text), *records["end_date"].map(text)) if d]
    bits = []
    if site.result.source:
        bits.append(f"{ui('data_source', lang)}{colon}{site.result.source}")
    if dates:
        bits.append(f"{ui('data_date', lang)}{colon}{max(dates)}")
    bits.append(f"{ui('generated', lang)} {site.generated}")
    return esc(" · ".join(bits))


def _footer(site: _Site) -> str:
    lang = site.opts.lang
    b = site.result.boundaries
    colon = ui("colon", lang)
    lines = [f"{label('boundaries', lang)}{colon}{'; '.join(b.attribution)}"]
    if site.result.source:
        lines.append(f"{label('data', lang)}{colon}{site.result.source}")
    if site.opts.tiles == "osm":
        lines.append(ui("tiles", lang))
    versions = load_assets().versions
    lines.append("Leaflet " + versions["leaflet"] + " (BSD-2-Clause), Leaflet.markercluster "
                 + versions["leaflet.markercluster"] + " (MIT)")
    lines.append(label("disclaimer", lang))
    return "\n".join(f"<p>{esc(line)}</p>" for line in lines)


def _table(headers: list[tuple[str, bool]], rows: Iterable[list[tuple[str, bool]]],
           table_id: str) -> str:
    """A table from already-escaped cells; the flag marks numeric columns."""
    head = "".join(f'<th{" class=mm-num" if num else ""} scope="col">{h}</th>'
                   for h, num in headers)
    body = "\n".join(
        "<tr>" + "".join(f'<td{" class=mm-num" if num else ""}>{c}</td>' for c, num in row)
        + "</tr>" for row in rows)
    return (f'<div class="mm-table-wrap"><table class="mm-table" id="{table_id}">'
            f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>")


def _num(value: float, lang: str) -> tuple[str, bool]:
    return esc(format_number(value, lang)), True


def _overview_content(site: _Site, depth: int) -> str:
    lang, result = site.opts.lang, site.result
    totals = tally(result.records, "pcode")
    names = _region_names(result)
    rows = []
    for pcode, name in names.items():
        cell = esc(name)
        if pcode in site.regions and not site.standalone:
            cell = f'<a href="regions/{site.regions[pcode]}.html">{cell}</a>'
        rows.append([(cell, False)] + [_num(float(totals[m].get(pcode, 0.0)), lang)
                                      for m in METRICS])
    all_orgs = {text(o) for o in result.mapped["organisation"]} - {""}
    reached = pd.to_numeric(result.mapped["reached"], errors="coerce").sum()
    rows.append([(f"<strong>{esc(ui('total', lang))}</strong>", False),
                 _num(float(len(result.mapped)), lang), _num(float(len(all_orgs)), lang),
                 _num(float(reached), lang)])
    off = result.not_mapped
    off_cell = esc(ui("not_on_map_row", lang))
    href = _report_href(site.report_name, depth)
    if href:
        off_cell += f' (<a href="{esc(href)}">{esc(ui("join_report", lang))}</a>)'
    off_orgs = {text(o) for o in off["organisation"]} - {""}
    rows.append([(off_cell, False), _num(float(len(off)), lang), _num(float(len(off_orgs)), lang),
                 _num(float(pd.to_numeric(off["reached"], errors="coerce").sum()), lang)])
    headers = [(esc(label("region", lang)), False)] + [(esc(label(m, lang)), True)
                                                       for m in METRICS]
    parts = [f"<h2>{esc(ui('summary', lang))}</h2>", _table(headers, rows, "mm-summary")]
    if site.regions and not site.standalone:
        links = "".join(f'<li><a href="regions/{slug}.html">{esc(names.get(p, p))}</a></li>'
                        for p, slug in site.regions.items())
        parts.append(f"<h2>{esc(ui('regions', lang))}</h2><ul class=\"mm-links\" "
                     f'id="mm-region-links">{links}</ul>')
    if site.sectors and not site.standalone:
        links = "".join(f'<li><a href="sectors/{slug}.html">{esc(sector_label(k, lang))}</a></li>'
                        for k, slug in site.sectors.items())
        parts.append(f"<h2>{esc(ui('sectors', lang))}</h2><ul class=\"mm-links\" "
                     f'id="mm-sector-links">{links}</ul>')
    return "\n".join(parts)


def _region_content(site: _Site, pcode: str) -> str:
    lang = site.opts.lang
    records = scope_records(site.result, Scope("region", pcode))
    adm2 = site.result.boundaries.adm2
    adm2_names = ({} if adm2 is None else
                  {text(p): text(n) for p, n in zip(adm2["pcode"], adm2["name"], strict=True)})
    headers = [(esc(label(k, lang)), False) for k in
               ("organisation", "sector", "activity", "place", "status", "start_date",
                "end_date")] + [(esc(label("reached", lang)), True)]
    if adm2 is not None:
        headers.insert(4, (esc(ui("subdivisions", lang)), False))
    rows = []
    for r in records.itertuples(index=False):
        sector = text(r.sector)
        cells = [(esc(text(r.organisation)), False),
                 (esc(sector_label(sector, lang) if sector else ""), False),
                 (esc(text(r.activity)), False), (esc(text(r.place)), False),
                 (esc(status_label(text(r.status), lang) if text(r.status) else ""), False),
                 (esc(text(r.start_date)), False), (esc(text(r.end_date)), False)]
        reached = number(r.reached)
        cells.append(_num(reached, lang) if reached is not None else ("", True))
        if adm2 is not None:
            cells.insert(4, (esc(adm2_names.get(text(r.adm2), "")), False))
        rows.append(cells)
    name = _region_names(site.result).get(pcode, pcode)
    return (f"<h2>{esc(ui('activities_in', lang).format(name=name))}</h2>"
            + _table(headers, rows, "mm-activities"))


def _sector_content(site: _Site, key: str) -> str:
    lang = site.opts.lang
    records = scope_records(site.result, Scope("sector", key))
    names = _region_names(site.result)
    by_org: dict[str, dict] = {}
    for r in records.itertuples(index=False):
        org = text(r.organisation)
        if not org:
            continue
        entry = by_org.setdefault(org, {"n": 0, "regions": set(), "reached": 0.0})
        entry["n"] += 1
        if text(r.pcode):
            entry["regions"].add(names.get(text(r.pcode), text(r.pcode)))
        entry["reached"] += number(r.reached) or 0.0
    rows = [[(esc(org), False), _num(float(e["n"]), lang),
             (esc(", ".join(sorted(e["regions"], key=fold))), False),
             _num(e["reached"], lang)]
            for org, e in sorted(by_org.items(), key=lambda kv: kv[0].casefold())]
    headers = [(esc(label("organisation", lang)), False), (esc(label("activities", lang)), True),
               (esc(ui("regions_col", lang)), False), (esc(label("reached", lang)), True)]
    title = ui("organisations_in", lang).format(name=sector_label(key, lang))
    return f"<h2>{esc(title)}</h2>" + _table(headers, rows, "mm-organisations")


def _render(site: _Site, scope: Scope, depth: int, report_href: str | None) -> str:
    opts, result = site.opts, site.result
    if scope.kind == "region":
        name = _region_names(result).get(scope.key or "", scope.key or "")
        heading = ui("region_page", opts.lang).format(name=name)
        content = _region_content(site, scope.key or "")
    elif scope.kind == "sector":
        heading = ui("sector_page", opts.lang).format(name=sector_label(scope.key or "",
                                                                        opts.lang))
        content = _sector_content(site, scope.key or "")
    else:
        heading, content = opts.title, _overview_content(site, depth)
    title = heading if scope.kind == "overview" else f"{heading} — {opts.title}"
    attribution = list(result.boundaries.attribution)
    payload = build_payload(
        result, scope, lang=opts.lang, metric=opts.metric, adm1=site.adm1, adm2=site.adm2,
        tiles=opts.tiles, report_href=report_href, attribution=attribution)
    strings = {"map": ui("map", opts.lang), "no_script": ui("no_script", opts.lang)}
    return render_page(payload, title=title, heading_html=esc(heading), meta_html=_meta(site),
                       nav_html=_nav(site, depth), content_html=content,
                       footer_html=_footer(site), strings=strings)


# --------------------------------------------------------------------------- public API

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
    """One interactive map: the overview, or one ``region`` (pcode or name) or ``sector``.

    Classes are computed from the overview totals, as in :func:`render_site`.
    ``report_href`` is an optional link to the join report shown next to the
    count of records that are not on the map.

    >>> from mali_map._pipeline import join_files
    >>> page = interactive_map(join_files(), region="Tombouctou", lang="fr")
    >>> page.html.startswith("<!DOCTYPE html>") and "Région : Tombouctou" in page.html
    True
    """
    if region is not None and sector is not None:
        raise ValueError("choose a region or a sector, not both")
    opts = _options(lang, metric, scheme, k, tiles, title)
    site = _site(result, opts, None)
    site.standalone = True
    if region is not None:
        scope = Scope("region", find_region(result, region))
    elif sector is not None:
        scope = Scope("sector", find_sector(result, sector))
    else:
        scope = Scope()
    return InteractiveMap(_render(site, scope, 1, report_href))


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
) -> list[Path]:
    """Write ``index.html``, ``regions/<slug>.html`` and ``sectors/<slug>.html`` to ``out_dir``.

    Region pages exist for every first-level unit with at least one record;
    sector pages for every sector named by at least one record. The same classes
    (from the overview totals) colour every page. ``report_name`` is the join
    report's path relative to ``out_dir`` (linked, not written, here).

    >>> import tempfile
    >>> from mali_map._pipeline import join_files
    >>> out = Path(tempfile.mkdtemp())
    >>> pages = render_site(join_files(), out, lang="fr")
    >>> [p.relative_to(out.resolve()).as_posix() for p in pages][:3]
    ['index.html', 'regions/mopti.html', 'regions/tombouctou.html']
    """
    opts = _options(lang, metric, scheme, k, tiles, title)
    _report_href(report_name, 0)  # validate early
    try:
        root = Path(out_dir).resolve()
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder: "
                          f"{exc.strerror or exc}") from exc
    site = _site(result, opts, report_name)
    written = [_write(root, "index.html",
                      _render(site, Scope(), 0, _report_href(report_name, 0)))]
    for pcode, slug in site.regions.items():
        written.append(_write(root, f"regions/{slug}.html",
                              _render(site, Scope("region", pcode), 1,
                                      _report_href(report_name, 1))))
    for key, slug in site.sectors.items():
        written.append(_write(root, f"sectors/{slug}.html",
                              _render(site, Scope("sector", key), 1,
                                      _report_href(report_name, 1))))
    return written
