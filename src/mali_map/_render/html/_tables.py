"""The summary tables under a map, computed from the page cube with the registry's
reducer (the page script rewrites their numbers when filters change)."""

from __future__ import annotations

import pandas as pd

from ..._core import (
    LABELS,
    fold,
    label,
)
from ..._measure import REGISTRY, reduce_cube
from ..._reference import Level, sector_label
from .._pages import unit_names
from ._cube import counted, on_map
from ._page import esc
from ._selection import Page
from ._settings import Site, report_link
from ._strings import ui
from ._values import format_number

__all__ = ["org_rows", "sector_rows", "subdivisions_word", "summary_table"]


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


def summary_table(site: Site, pg: Page, table_id: str, by: str,
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
        off_cell = esc(ui(_not_on_map_key(pg), lang))
        href = report_link(site.report_name, 0 if pg.scope.kind == "overview" else 1)
        if href and not site.standalone:
            off_cell += f' (<a href="{esc(href)}">{esc(ui("join_report", lang))}</a>)'
        body.append(f'<tr data-g="off"><td>{off_cell}</td>{cells(off)}</tr>')
    html_table = (f'<div class="mm-table-wrap"><table class="mm-table" id="{table_id}" '
                  f'data-by="{by}"><thead><tr>{"".join(header)}</tr></thead><tbody>\n'
                  + "\n".join(body) + "\n</tbody></table></div>")
    return html_table, {"id": table_id, "by": by, "metrics": metrics,
                        "units": units_column, "hideEmpty": by != "unit"}


def _not_on_map_key(pg: Page) -> str:
    """The label of the "not on the map" row: a level's own text where the interface
    table has one (``not_on_map_<level key>``), else the plain one."""
    key = f"not_on_map_{pg.level.key}"
    return key if not pg.top and key in LABELS else "not_on_map_row"


def subdivisions_word(level: Level, lang: str) -> str:
    """The heading of the units a unit's page draws: the interface text written for the
    second level, else the level's own plural label."""
    return ui("subdivisions", lang) if level.number == 2 else level.label(lang, plural=True)


def _group_word(pg: Page, by: str, lang: str) -> str:
    if by != "unit":
        return label(by, lang)
    return label("region", lang) if pg.top else subdivisions_word(pg.level, lang)


def sector_rows(site: Site, pg: Page) -> list[tuple[str, str]]:
    lang = site.opts.lang
    return [(str(i + 1), esc(sector_label(k, lang) if k else ui("unknown_sector", lang)))
            for i, k in enumerate(pg.sectors)]


def org_rows(site: Site, pg: Page) -> list[tuple[str, str]]:
    rows = [(str(i + 1), esc(o)) for i, o in enumerate(pg.orgs)]
    if (pg.cube["organisation"] == 0).any():
        rows.append(("0", esc(ui("no_organisation", site.opts.lang))))
    return rows
