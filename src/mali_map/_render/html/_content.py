"""One page's HTML around its map: header line, navigation, footer, tables and links,
assembled with its payload by :func:`render_scope`."""

from __future__ import annotations

import pandas as pd

from ..._core import (
    attribution,
    cell_text,
    label,
)
from ..._reference import NEIGHBOURS_ATTRIBUTION, sector_label
from .._pages import unit_names
from ._assets import load_assets
from ._page import esc, render_page
from ._payload import build_payload
from ._selection import Page, Scope, page
from ._settings import Site, relative_href
from ._strings import ui
from ._tables import org_rows, sector_rows, subdivisions_word, summary_table

__all__ = ["meta_line", "render_scope"]


def _nav(site: Site, depth: int) -> str:
    if depth == 0 or site.standalone:
        return ""
    return f'<a href="../index.html">{esc(label("overview", site.opts.lang))}</a>'


def _latest_date(records: pd.DataFrame) -> str:
    dates = [texts for column in ("start_date", "end_date") if column in records
             for texts in [records[column].dropna().astype(str).str.strip()]]
    found = [d[d != ""].max() for d in dates if (d != "").any()]
    return max(found) if found else ""


def meta_line(site: Site) -> str:
    if site.meta is None:
        site.meta = _meta_text(site)
    return site.meta


def _meta_text(site: Site) -> str:
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


def _footer(site: Site) -> str:
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


def _overview_content(site: Site, pg: Page, depth: int) -> tuple[str, list[dict]]:
    lang = site.opts.lang
    names = site.build.unit_name_by_lang(lang)
    rows = []
    for i, pcode in enumerate(pg.units["pcode"]):
        pcode = cell_text(pcode)
        cell = esc(names.get(pcode, pcode))
        if pcode in site.regions and not site.standalone:
            cell = f'<a href="regions/{site.regions[pcode]}.html">{cell}</a>'
        rows.append((str(i + 1), cell))
    table, spec = summary_table(site, pg, "mm-summary", "unit", rows, extra=True)
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


def _region_content(site: Site, pg: Page, pcode: str) -> tuple[str, list[dict]]:
    lang = site.opts.lang
    name = site.build.unit_name_by_lang(lang).get(pcode, pcode)
    parts = [f"<h2>{esc(ui('activities_in', lang).format(name=name))}</h2>"]
    specs = []
    own = site.build.level_of(pcode)
    if own is not None and pg.level.number > own.number:  # it draws the units inside
        rows = [(str(i + 1), esc(n)) for i, n in enumerate(unit_names(pg.units, lang))]
        table, spec = summary_table(site, pg, "mm-units", "unit", rows, extra=True)
        parts += [f"<h2>{esc(subdivisions_word(pg.level, lang))}</h2>", table]
        specs.append(spec)
    for table_id, by, rows, title in (
            ("mm-sectors", "sector", sector_rows(site, pg), ui("by_sector", lang)),
            ("mm-activities", "organisation", org_rows(site, pg),
             ui("by_organisation", lang))):
        table, spec = summary_table(site, pg, table_id, by, rows)
        parts += [f"<h2>{esc(title)}</h2>", table]
        specs.append(spec)
    return "\n".join(parts), specs


def _unit_heading(site: Site, pcode: str) -> str:
    """"Region: Mopti" for a top-level unit, else the unit's level label and its name."""
    lang = site.opts.lang
    name = site.build.unit_name_by_lang(lang).get(pcode, pcode)
    own = site.build.level_of(pcode)
    if own is None or own == site.build.levels[0]:
        return ui("region_page", lang).format(name=name)
    return f"{own.label(lang)}{ui('colon', lang)}{name}"


def _sector_content(site: Site, pg: Page, key: str) -> tuple[str, list[dict]]:
    lang = site.opts.lang
    table, spec = summary_table(site, pg, "mm-organisations", "organisation", org_rows(site, pg),
                         units_column=True)
    title = ui("organisations_in", lang).format(name=sector_label(key, lang))
    return f"<h2>{esc(title)}</h2>" + table, [spec]


def _fixed_bytes() -> int:
    """Bytes every page spends on inlined scripts and styles."""
    assets = load_assets()
    return sum(len(t.encode("utf-8")) for t in (*assets.scripts, assets.css))


def render_scope(site: Site, scope: Scope, depth: int, report_href: str | None) -> str:
    opts, result = site.opts, site.result
    pg = page(site.build, scope)
    if scope.kind == "region":
        heading = _unit_heading(site, scope.key or "")
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
                    relative_href(site.records_name, depth, "records file"))
    payload = build_payload(
        site.build, pg, lang=opts.lang, metric=opts.metric, tiles=opts.tiles,
        report_href=report_href, records_href=records_href, attribution=credits,
        tables=tables, page_bytes=len(content) + _fixed_bytes())
    strings = {"map": ui("map", opts.lang), "no_script": ui("no_script", opts.lang)}
    return render_page(payload, title=title, heading_html=esc(heading), meta_html=meta_line(site),
                       nav_html=_nav(site, depth), content_html=content,
                       footer_html=_footer(site), strings=strings)
