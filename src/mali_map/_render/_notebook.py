"""How a :class:`~mali_map.JoinResult` shows itself in Jupyter and at the prompt.

A short one-line ``repr`` and an HTML summary card: counts by join status, the
first rows that need attention and a small inline SVG map of the first-level units
coloured with the shared classes (no script, no external resource; every text
from the data is HTML-escaped).
"""

from __future__ import annotations

import html

import numpy as np

from .._join import JoinResult, register_display, summarise
from .._measure import metric_classes, unit_totals

#: Rows needing attention listed on the card.
CARD_ROWS = 5
_MAP_WIDTH = 220
_STATUS_COLOURS = {"matched": "#1a9641", "warning": "#d68a00", "national": "#2c7fb8",
                   "multi": "#41b6c4", "unmatched": "#c0392b", "invalid": "#7f7f7f"}


def short_repr(result: JoinResult) -> str:
    """One line: source, row counts by status, levels.

    >>> from mali_map._build._pipeline import join_files
    >>> short_repr(join_files())[:50]
    "JoinResult(source='interventions.csv', rows=20, ma"
    """
    counts = summarise(result)
    parts = ", ".join(f"{k}={v}" for k, v in counts.items())
    return (f"JoinResult(source={result.source!r}, {parts}, "
            f"adm2={result.boundaries.adm2 is not None})")


def _svg_map(result: JoinResult) -> str:
    """A small SVG of the first-level units coloured by activities (shared classes)."""
    totals = unit_totals(result)
    classes = metric_classes(result, "activities")
    geoms = totals.geometry.simplify(0.05)
    x0, y0, x1, y1 = totals.total_bounds
    if not np.all(np.isfinite([x0, y0, x1, y1])) or x1 <= x0 or y1 <= y0:
        return ""
    kx = np.cos(np.radians((y0 + y1) / 2))  # rough equirectangular aspect at Mali's latitude
    scale = _MAP_WIDTH / ((x1 - x0) * kx)
    height = (y1 - y0) * scale
    shapes = []
    for geom, name, value in zip(geoms, totals["name"], totals["activities"], strict=True):
        rings = []
        for poly in getattr(geom, "geoms", [geom]):
            if getattr(poly, "geom_type", "") != "Polygon" or poly.is_empty:
                continue
            for ring in (poly.exterior, *poly.interiors):
                xy = np.asarray(ring.coords)[:, :2]
                points = " ".join(f"{(x - x0) * kx * scale:.1f},{(y1 - y) * scale:.1f}"
                                  for x, y in xy)
                rings.append(f"M{points}Z")
        if rings:
            shapes.append(f'<path d="{" ".join(rings)}" fill="{classes.colour_for(value)}" '
                          f'fill-rule="evenodd" stroke="#555" stroke-width="0.5">'
                          f"<title>{html.escape(str(name))}: {int(value)}</title></path>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_MAP_WIDTH}" '
            f'height="{height:.0f}" viewBox="0 0 {_MAP_WIDTH} {height:.0f}" role="img" '
            f'aria-label="activities per region">{"".join(shapes)}</svg>')


def summary_card(result: JoinResult) -> str:
    """The HTML card Jupyter shows for a join result.

    >>> from mali_map._build._pipeline import join_files
    >>> card = summary_card(join_files())
    >>> "<svg" in card and "invalid" in card and "<script" not in card
    True
    """
    counts = summarise(result)
    esc = html.escape
    badges = "".join(
        f'<span style="display:inline-block;margin:0 .6em .3em 0;padding:.1em .5em;'
        f'border-radius:.8em;background:{_STATUS_COLOURS[s]};color:#fff">{esc(s)}: '
        f"{counts[s]}</span>" for s in _STATUS_COLOURS)
    problems = result.report[~result.report["status"].isin(["matched", "national", "multi"])]
    rows = "".join(
        f"<tr><td>{esc(str(r.row))}</td><td>{esc(str(r.status))}</td>"
        f"<td>{esc(str(r.message))}</td></tr>" for r in problems.head(CARD_ROWS).itertuples())
    more = (f"<p style='margin:.3em 0'>… and {len(problems) - CARD_ROWS} more in "
            f"<code>.report</code></p>" if len(problems) > CARD_ROWS else "")
    table = (f"<table><thead><tr><th>row</th><th>status</th><th>message</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>{more}" if rows else
             "<p>Every row is placed in a unit.</p>")
    try:
        svg = _svg_map(result)
    except Exception:  # a card never fails to show because of a drawing problem
        svg = ""
    levels = "ADM1 + ADM2" if result.boundaries.adm2 is not None else "ADM1"
    return (
        "<div class='mali-map-join' style='display:flex;gap:1.2em;align-items:flex-start;"
        "font-family:sans-serif;font-size:13px'>"
        f"<div>{svg}</div><div><strong>JoinResult</strong> · {esc(str(result.source))} · "
        f"{counts['rows']} rows · {levels} ({esc(str(result.boundaries.source))})"
        f"<div style='margin:.4em 0'>{badges}</div>"
        f"<div><em>Rows needing attention</em></div>{table}</div></div>")


register_display(short_repr, summary_card)
