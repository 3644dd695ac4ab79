"""The one JSON document a page embeds: shared geometry, a cube of counts, points, strings.

A page carries aggregates, never one object per record:

- a sparse **cube** (:func:`mali_map._measure._metrics.cube`) of the page's records over
  unit × sector × organisation × status × year span × copy, with the partial sums
  of every registered metric. Records the map cannot place are in it with unit 0,
  so "not on the map" follows the filters too; a record placed in several units is
  in it once as itself and once per unit as a copy (see :data:`COPY`, :func:`counted`).
  The page script reduces it with the registry's
  :func:`~mali_map._measure._metrics.descriptors` for every number shown;
- the **points**: up to :data:`POINT_CAP` records with coordinates as columns
  (with the few fields their popups show); above the cap, a grid of cells with
  exact counts per sector, organisation, status and span (no record list);
- the boundaries, simplified once per build (:mod:`mali_map._geo._geometry`).

Category dimensions are coded ``1..n`` in the page's own lists, ``0`` meaning
missing (no organisation, no status, no start year, not on the map).

Everything is serialised by :func:`dump_json` with ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped, so that it can sit in a ``<script type="application/json">``
element whatever the data holds; the page reads it with ``JSON.parse`` and puts
every string into the DOM as text.
"""

from __future__ import annotations

from typing import Any

from ..._core import digits, label
from ..._measure import (
    METRIC_KEYS,
    NO_DATA_COLOUR,
    REGISTRY,
    ROWS,
    Classes,
    descriptors,
    sum_columns,
)
from ..._reference import sector_label
from .._style import sector_styles
from ._build import Build
from ._cube import DIMS, MULTI, value_columns
from ._encode import encode_table
from ._geojson import features, neighbours_json
from ._points import PAGE_TARGET, POINT_CAP, points_json
from ._programmes import PROGRAMME_CAP, programmes_json
from ._selection import Page
from ._strings import status_label, ui
from ._values import dump_json

__all__ = ["SCRIPT_STRINGS", "SHARED_STRINGS", "build_payload", "cube_json"]

#: OpenStreetMap's standard tile layer, used only with ``tiles="osm"``.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

#: Interface strings the page script needs.
SCRIPT_STRINGS: tuple[str, ...] = (
    "filters", "layers", "legend", "counts", "map_shows", "all_sectors", "all_organisations",
    "all_statuses", "all_years", "year", "reset", "points_by_sector", "records_selected",
    "on_map", "not_on_map", "not_on_map_adm2", "join_report", "points_shown", "more",
    "no_records", "dates", "reached", "place", "row", "tiles", "units_layer", "colon",
    "by_sector", "by_organisation", "no_organisation", "grid_note", "grid_cell", "records_n",
    "records_gpkg", "unknown_sector", "number.thousands", "number.decimal", "programmes",
    "programmes_n", "kind_national", "kind_multi", "programmes_cap", "no_programmes",
)
SHARED_STRINGS: tuple[str, ...] = (
    "activities", "organisations", "sector", "organisation", "activity", "status",
    "source", "no_data", "boundaries",
)


def _classes_json(classes: dict[str, Classes], lang: str) -> dict[str, Any]:
    out = {}
    for metric, cls in classes.items():
        labels = [digits(lbl, lang) for lbl in cls.labels()]
        out[metric] = {"bounds": list(cls.bounds), "colours": list(cls.colours),
                       "labels": labels}
    return out


def cube_json(pg: Page) -> dict[str, Any]:
    """The page cube in the columnar encoding of :mod:`._encode`."""
    sizes = {"unit": len(pg.units) + 1, "sector": len(pg.sectors) + 1,
             "organisation": len(pg.orgs) + 1, "status": len(pg.statuses) + 1,
             "span": len(pg.spans) + 1, "copy": MULTI + 1}
    relative = {stated: ROWS for m in REGISTRY if m.kind == "sum"
                for stated in [sum_columns(m)[1]]}
    return encode_table([(d, pg.cube[d].to_numpy(), sizes[d]) for d in DIMS],
                        [(c, pg.cube[c].to_numpy()) for c in value_columns()], relative)


def year_options(spans: list[tuple[int, int]]) -> list[int]:
    """Every year some span covers (at most 50 years after its start)."""
    out: set[int] = set()
    for y0, y1 in spans:
        out.update(range(y0, min(y1, y0 + 50) + 1))
    return sorted(out)


def build_payload(
    build: Build,
    pg: Page,
    *,
    lang: str,
    metric: str,
    tiles: str,
    report_href: str | None,
    records_href: str | None,
    attribution: list[str],
    tables: list[dict[str, Any]],
    page_bytes: int = 0,
) -> dict[str, Any]:
    """The JSON document of one page; ``page_bytes`` is the size of the rest of the page."""
    classes = build.classes.get(pg.level.key)
    strings = {key: ui(key, lang) for key in SCRIPT_STRINGS}
    strings.update({key: label(key, lang) for key in SHARED_STRINGS})
    strings.update({f"metric.{m}": label(m, lang) for m in METRIC_KEYS})
    view = pg.view
    units = features(pg.units, lang)
    context = None if pg.context is None else features(pg.context, lang)
    neighbours = neighbours_json(build.neighbours, view, lang)
    cube_table = cube_json(pg)
    styles = sector_styles(build.sectors)
    left = (PAGE_TARGET - page_bytes - len(cube_table["data"]) - len(dump_json(units))
            - (len(dump_json(context)) if context else 0)
            - (len(dump_json(neighbours)) if neighbours else 0))
    return {
        "lang": lang,
        "kind": pg.scope.kind,
        "level": pg.level.key,
        "metric": metric,
        "metrics": list(METRIC_KEYS),
        "descriptors": descriptors(),
        "tiles": tiles,
        "tileUrl": OSM_TILE_URL if tiles == "osm" else None,
        "report": report_href,
        "recordsFile": records_href,
        "view": [[float(view[1]), float(view[0])], [float(view[3]), float(view[2])]],
        "units": units,
        "context": context,
        "classes": _classes_json(classes or {}, lang),
        "noData": {"colour": NO_DATA_COLOUR, "label": label("no_data", lang)},
        "neighbours": neighbours,
        "sectors": [{"k": k, "l": sector_label(k, lang) if k else ui("unknown_sector", lang),
                     "c": styles[k].colour, "s": styles[k].shape}
                    for k in pg.sectors],
        "orgs": pg.orgs,
        "statuses": [status_label(s, lang) for s in pg.statuses],
        "statusKeys": pg.statuses,
        "programmes": programmes_json(build.programmes, build.unit_name_by_lang(lang),
                                      pg.scope.kind, pg.scope.key, lang),
        "programmeCap": PROGRAMME_CAP,
        "spans": [list(s) for s in pg.spans],
        "years": year_options(pg.spans),
        "cube": cube_table,
        "points": points_json(build, pg, left),
        "pointCap": POINT_CAP,
        "tables": tables,
        "attribution": attribution,
        "t": strings,
    }
