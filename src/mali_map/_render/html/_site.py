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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import pandas as pd

from ..._core import (
    WORKERS,
    OptionError,
    OutputError,
    attribution,
    available_workers,
    check_language,
    fold,
    label,
    parallel_map,
)
from ..._join import JoinResult
from ..._measure import METRIC_KEYS, REGISTRY, SCHEMES, check_classes, reduce_cube
from ..._reference import NEIGHBOURS_ATTRIBUTION, sector_label
from .._pages import find_region, find_sector, page_selection, unit_names
from ._assets import load_assets
from ._page import esc, render_page
from ._payload import (
    Build,
    Page,
    Scope,
    build_payload,
    counted,
    format_number,
    on_map,
    page,
    prepare,
    text,
)
from ._strings import ui

TILES: tuple[str, ...] = ("none", "osm")
#: Pages are rendered in parallel from this many records and pages on.
PARALLEL_MIN_RECORDS = 50_000
PARALLEL_MIN_PAGES = 4


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
    if metric not in METRIC_KEYS:
        raise ValueError(f"unknown metric {metric!r}; choose one of: {', '.join(METRIC_KEYS)}")
    if scheme not in SCHEMES:
        known = ", ".join(sorted(SCHEMES))
        raise ValueError(f"unknown classification scheme {scheme!r}; choose one of: {known}")
    if tiles not in TILES:
        raise ValueError(f"unknown tiles {tiles!r}; choose one of: {', '.join(TILES)}")
    k = check_classes(k, "k")  # the one bound every renderer shares
    return _Options(lang, metric, scheme, int(k), tiles, title or ui("title", lang))


def _relative_href(name: str | None, depth: int, what: str) -> str | None:
    """A relative link to ``name`` from a page ``depth`` folders below the site root."""
    if not name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or ":" in name or "\\" in name:
        raise OptionError(what, "a relative path inside the output folder (no scheme, "
                          "'..' or backslash)", name)
    return "../" * depth + quote(str(path))


def _report_href(report_name: str | None, depth: int) -> str | None:
    return _relative_href(report_name, depth, "report_name")


# --------------------------------------------------------------------------- pages

@dataclass
class _Site:
    """What every page of one build shares."""

    result: JoinResult
    opts: _Options
    build: Build
    report_name: str | None
    records_name: str | None = None
    regions: dict[str, str] = field(default_factory=dict)   # pcode -> slug
    sectors: dict[str, str] = field(default_factory=dict)   # key -> slug
    generated: str = field(default_factory=lambda: _dt.date.today().isoformat())
    standalone: bool = False   # one page on its own: no links to other pages
    meta: str | None = None    # the header line, computed once


def _region_names(result: JoinResult, lang: str) -> dict[str, str]:
    adm1 = result.boundaries.adm1
    return {text(p): n for p, n in zip(adm1["pcode"], unit_names(adm1, lang), strict=True)}


def _site(result: JoinResult, opts: _Options, report_name: str | None,
          records_name: str | None = None) -> _Site:
    site = _Site(result, opts, prepare(result, opts.scheme, opts.k), report_name, records_name)
    regions, sectors = page_selection(result)
    site.regions, site.sectors = dict(regions), dict(sectors)
    return site


def _nav(site: _Site, depth: int) -> str:
    if depth == 0 or site.standalone:
        return ""
    return f'<a href="../index.html">{esc(label("overview", site.opts.lang))}</a>'


def _latest_date(records: pd.DataFrame) -> str:
    dates = [texts for column in ("start_date", "end_date") if column in records
             for texts in [records[column].dropna().astype(str).str.strip()]]
    found = [d[d != ""].max() for d in dates if (d != "").any()]
    return max(found) if found else ""


def _meta(site: _Site) -> str:
    if site.meta is None:
        site.meta = _meta_text(site)
    return site.meta


def _meta_text(site: _Site) -> str:
    lang = site.opts.lang
    colon = ui("colon", lang)
    bits = []
    if site.result.source:
        bits.append(f"{ui('data_source', lang)}{colon}{site.result.source}")
    latest = _latest_date(site.result.records)
    if latest:
        bits.append(f"{ui('data_date', lang)}{colon}{latest}")
    bits.append(f"{ui('generated', lang)} {site.generated}")
    return esc(" · ".join(bits))


def _footer(site: _Site) -> str:
    lang = site.opts.lang
    b = site.result.boundaries
    colon = ui("colon", lang)
    lines = [f"{label('boundaries', lang)}{colon}"
             + "; ".join(attribution(a, lang) for a in (*b.attribution, NEIGHBOURS_ATTRIBUTION))]
    if site.result.source:
        lines.append(f"{label('data', lang)}{colon}{site.result.source}")
    if site.opts.tiles == "osm":
        lines.append(ui("tiles", lang))
    versions = load_assets().versions
    lines.append("Leaflet " + versions["leaflet"] + " (BSD-2-Clause), Leaflet.markercluster "
                 + versions["leaflet.markercluster"] + " (MIT)")
    lines.append(label("disclaimer", lang))
    return "\n".join(f"<p>{esc(line)}</p>" for line in lines)


# --------------------------------------------------------------------------- tables

def _table_metrics(by: str) -> list[str]:
    """The metric columns of a table grouped by ``by`` (not "distinct ``by``", always 1)."""
    return [m.key for m in REGISTRY if not (m.kind == "distinct" and m.field == by)]


def _groups(pg: Page, by: str, where: pd.Series | None = None) -> dict[object, pd.Series]:
    """Every metric per code of ``by`` (or one ``"all"`` group) via the registry reducer.

    Per unit, a record placed in several units counts in each (its copies); grouped
    otherwise, every record counts once.
    """
    table = pg.cube if where is None else pg.cube[where]
    if by != "unit":
        table = table[counted(table)]
    if by == "all":
        table = table.assign(all="all")
    reduced = reduce_cube(table, [by])
    return {g: row for g, row in zip(reduced[by], reduced.itertuples(index=False), strict=True)}


def _units_cells(pg: Page, names: list[str]) -> dict[int, str]:
    """The escaped "units" cell of each organisation code: one groupby for the page."""
    placed = pg.cube[(pg.cube["unit"] > 0) & (pg.cube["n"] > 0)]
    units = placed.groupby("organisation", sort=False, observed=True)["unit"].unique()
    return {int(org): esc(", ".join(sorted({names[u - 1] for u in found}, key=fold)))
            for org, found in units.items()}


def _table(site: _Site, pg: Page, table_id: str, by: str,
           rows: list[tuple[str, str]], *, extra: bool = False,
           units_column: bool = False) -> tuple[str, dict]:
    """A summary table from the page cube: one row per ``(code, escaped label)``.

    Numbers come from :func:`mali_map._measure._metrics.reduce_cube` here and from the
    same reduction in the page script, which rewrites them when filters change.
    ``extra`` adds the on-map total and the not-on-map rows (grouped by unit).
    """
    lang = site.opts.lang
    metrics = _table_metrics(by)
    values = _groups(pg, by)
    names = unit_names(pg.units, lang)

    def cells(row: object) -> str:
        out = []
        for m in metrics:
            value = float(getattr(row, m)) if row is not None else 0.0
            out.append(f'<td class="mm-num" data-m="{m}">{esc(format_number(value, lang))}'
                       "</td>")
        return "".join(out)

    header = [f'<th scope="col">{esc(_group_word(pg, by, lang))}</th>']
    header += [f'<th class="mm-num" scope="col">{esc(label(m, lang))}</th>' for m in metrics]
    if units_column:
        header.append(f'<th scope="col">{esc(ui("regions_col", lang))}</th>')
    body = []
    units = _units_cells(pg, names) if units_column else {}
    for code, cell_html in rows:
        line = f'<tr data-g="{code}"><td>{cell_html}</td>{cells(values.get(int(code)))}'
        if units_column:
            line += f'<td data-m="units">{units.get(int(code), "")}</td>'
        body.append(line + "</tr>")
    if extra:
        placed = _groups(pg, "all", on_map(pg.cube)).get("all")
        body.append(f'<tr data-g="all"><td><strong>{esc(ui("total", lang))}</strong></td>'
                    f"{cells(placed)}</tr>")
        off = _groups(pg, "all", ~on_map(pg.cube)).get("all")
        off_cell = esc(ui("not_on_map_row" if pg.level == "adm1" else "not_on_map_adm2",
                          lang))
        href = _report_href(site.report_name, 0 if pg.scope.kind == "overview" else 1)
        if href and not site.standalone:
            off_cell += f' (<a href="{esc(href)}">{esc(ui("join_report", lang))}</a>)'
        body.append(f'<tr data-g="off"><td>{off_cell}</td>{cells(off)}</tr>')
    html_table = (f'<div class="mm-table-wrap"><table class="mm-table" id="{table_id}" '
                  f'data-by="{by}"><thead><tr>{"".join(header)}</tr></thead><tbody>\n'
                  + "\n".join(body) + "\n</tbody></table></div>")
    return html_table, {"id": table_id, "by": by, "metrics": metrics,
                        "units": units_column, "hideEmpty": by != "unit"}


def _group_word(pg: Page, by: str, lang: str) -> str:
    if by != "unit":
        return label(by, lang)
    return label("region", lang) if pg.level == "adm1" else ui("subdivisions", lang)


def _sector_rows(site: _Site, pg: Page) -> list[tuple[str, str]]:
    lang = site.opts.lang
    return [(str(i + 1), esc(sector_label(k, lang) if k else ui("unknown_sector", lang)))
            for i, k in enumerate(pg.sectors)]


def _org_rows(site: _Site, pg: Page) -> list[tuple[str, str]]:
    rows = [(str(i + 1), esc(o)) for i, o in enumerate(pg.orgs)]
    if (pg.cube["organisation"] == 0).any():
        rows.append(("0", esc(ui("no_organisation", site.opts.lang))))
    return rows


def _overview_content(site: _Site, pg: Page, depth: int) -> tuple[str, list[dict]]:
    lang = site.opts.lang
    names = _region_names(site.result, lang)
    rows = []
    for i, pcode in enumerate(pg.units["pcode"]):
        pcode = text(pcode)
        cell = esc(names.get(pcode, pcode))
        if pcode in site.regions and not site.standalone:
            cell = f'<a href="regions/{site.regions[pcode]}.html">{cell}</a>'
        rows.append((str(i + 1), cell))
    table, spec = _table(site, pg, "mm-summary", "unit", rows, extra=True)
    parts = [f"<h2>{esc(ui('summary', lang))}</h2>", table]
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
    return "\n".join(parts), [spec]


def _region_content(site: _Site, pg: Page, pcode: str) -> tuple[str, list[dict]]:
    lang = site.opts.lang
    name = _region_names(site.result, lang).get(pcode, pcode)
    parts = [f"<h2>{esc(ui('activities_in', lang).format(name=name))}</h2>"]
    specs = []
    if pg.level == "adm2":
        rows = [(str(i + 1), esc(n)) for i, n in enumerate(unit_names(pg.units, lang))]
        table, spec = _table(site, pg, "mm-units", "unit", rows, extra=True)
        parts += [f"<h2>{esc(ui('subdivisions', lang))}</h2>", table]
        specs.append(spec)
    for table_id, by, rows, title in (
            ("mm-sectors", "sector", _sector_rows(site, pg), ui("by_sector", lang)),
            ("mm-activities", "organisation", _org_rows(site, pg),
             ui("by_organisation", lang))):
        table, spec = _table(site, pg, table_id, by, rows)
        parts += [f"<h2>{esc(title)}</h2>", table]
        specs.append(spec)
    return "\n".join(parts), specs


def _sector_content(site: _Site, pg: Page, key: str) -> tuple[str, list[dict]]:
    lang = site.opts.lang
    table, spec = _table(site, pg, "mm-organisations", "organisation", _org_rows(site, pg),
                         units_column=True)
    title = ui("organisations_in", lang).format(name=sector_label(key, lang))
    return f"<h2>{esc(title)}</h2>" + table, [spec]


def _fixed_bytes() -> int:
    """Bytes every page spends on inlined scripts and styles."""
    assets = load_assets()
    return sum(len(t.encode("utf-8")) for t in (*assets.scripts, assets.css))


def _render(site: _Site, scope: Scope, depth: int, report_href: str | None) -> str:
    opts, result = site.opts, site.result
    pg = page(site.build, scope)
    if scope.kind == "region":
        name = _region_names(result, opts.lang).get(scope.key or "", scope.key or "")
        heading = ui("region_page", opts.lang).format(name=name)
        content, tables = _region_content(site, pg, scope.key or "")
    elif scope.kind == "sector":
        heading = ui("sector_page", opts.lang).format(name=sector_label(scope.key or "",
                                                                        opts.lang))
        content, tables = _sector_content(site, pg, scope.key or "")
    else:
        heading = opts.title
        content, tables = _overview_content(site, pg, depth)
    title = heading if scope.kind == "overview" else f"{heading} — {opts.title}"
    credits = [attribution(a, opts.lang)
               for a in (*result.boundaries.attribution, NEIGHBOURS_ATTRIBUTION)]
    records_href = (None if site.standalone else
                    _relative_href(site.records_name, depth, "records file"))
    payload = build_payload(
        site.build, pg, lang=opts.lang, metric=opts.metric, tiles=opts.tiles,
        report_href=report_href, records_href=records_href, attribution=credits,
        tables=tables, page_bytes=len(content) + _fixed_bytes())
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

    >>> from mali_map._build._pipeline import join_files
    >>> page = interactive_map(join_files(), region="Tombouctou", lang="fr")
    >>> page.html.startswith("<!DOCTYPE html>") and "Région\\xa0: Tombouctou" in page.html
    True
    """
    if region is not None and sector is not None:
        raise ValueError("choose a region or a sector, not both")
    opts = _options(lang, metric, scheme, k, tiles, title)
    report_href = _relative_href(report_href, 0, "report_href")  # never javascript: etc.
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
    opts = _options(lang, metric, scheme, k, tiles, title)
    _report_href(report_name, 0)  # validate early
    _relative_href(records_name, 0, "records_name")
    try:
        root = Path(out_dir).resolve()
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder: "
                          f"{exc.strerror or exc}") from exc
    site = _site(result, opts, report_name, records_name)
    _meta(site)  # once, before the pages (and workers) need it
    jobs: list[tuple[str, Scope, int]] = [("index.html", Scope(), 0)]
    jobs += [(f"regions/{slug}.html", Scope("region", pcode), 1)
             for pcode, slug in site.regions.items()]
    jobs += [(f"sectors/{slug}.html", Scope("sector", key), 1)
             for key, slug in site.sectors.items()]
    if workers is None:
        workers = (WORKERS if len(result.records) >= PARALLEL_MIN_RECORDS
                   and len(jobs) >= PARALLEL_MIN_PAGES else 1)

    def render(job: tuple[str, Scope, int]) -> str:
        _, scope, depth = job
        return _render(site, scope, depth, _report_href(report_name, depth))

    pages = parallel_map(render, jobs, workers=min(workers, available_workers()))
    return [_write(root, relative, html_page)
            for (relative, _, _), html_page in zip(jobs, pages, strict=True)]
