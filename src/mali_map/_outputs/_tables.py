"""Data outputs written beside the pages: a GeoPackage, a workbook and CSV tables.

- ``records.gpkg``: layer ``records`` (every record placed in a unit, its point
  where given, its units' P-codes and names), one layer per loaded admin level, named
  by the level's key (``adm1``, ``adm2``...: unit polygons with their totals per metric)
  and the non-spatial tables ``<key>_sectors`` (unit x sector totals, long form).
  Columns follow OCHA COD names (``admin1Pcode``, ``admin1Name_fr``, ...: the level's
  number) so they join to COD layers.
- ``aggregates.xlsx``: the same unit and unit x sector totals, one sheet per table,
  headers in the build's language; ``aggregates-<table>.csv``: each table as CSV
  (UTF-8 with BOM), with an HXL hashtag row under the header when asked.

The levels are those of ``result.boundaries.levels``, read at call time from the level
registry, so a level registered later gets its own layer, sheet and CSVs. Totals come
from :func:`mali_map._measure.record_cube` reduced by the unit totals of
:mod:`mali_map._measure` (the metric registry, one cube per level), never recounted
here. Every text cell of a spreadsheet output goes through
:func:`mali_map._core._write.defuse_formula`.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .._core import LABELS, check_language, defuse_formula, inside, label, write_atomic
from .._join import JoinResult
from .._measure import METRIC_KEYS, _sector_totals, _unit_totals, record_cube
from .._reference import LEVELS, Level, sector_label, unit_name

__all__ = ["GEOPACKAGE", "WORKBOOK", "header", "records_layer", "unit_tables",
           "write_data_outputs"]

GEOPACKAGE = "records.gpkg"
WORKBOOK = "aggregates.xlsx"
#: The country column of every unit table (OCHA COD ``admin0Pcode``).
_COUNTRY = {"admin0Pcode": "ML"}
#: Languages of the unit-name columns, in COD order (French first for Mali).
_NAME_LANGS = ("fr", "en")

#: The HXL hashtag of the other columns (headers are ``column.<name>`` in the i18n table).
_HXL: dict[str, str] = {
    "admin0Pcode": "#country+code",
    "sector": "#sector+code", "sector_label": "#sector+name",
    "activities": "#activity+num", "organisations": "#org+num", "reached": "#reached",
    "targeted": "#targeted",
}
_ADMIN = re.compile(r"admin(\d+)(?:Pcode|Name_(\w+))")
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _code(level: Level) -> str:
    """The COD code column of ``level`` (``admin2Pcode``)."""
    return f"admin{level.number}Pcode"


def _name(level: Level, lang: str) -> str:
    """The COD name column of ``level`` in ``lang`` (``admin2Name_fr``)."""
    return f"admin{level.number}Name_{lang}"


def hxl_tag(column: str) -> str:
    """The HXL hashtag of a data-output column (``""`` when it has none).

    >>> hxl_tag("admin2Pcode"), hxl_tag("admin1Name_fr"), hxl_tag("reached")
    ('#adm2+code', '#adm1+name+i_fr', '#reached')
    """
    found = _ADMIN.fullmatch(column)
    if found and found.group(1) != "0":
        lang = found.group(2)
        return f"#adm{found.group(1)}" + (f"+name+i_{lang}" if lang else "+code")
    return _HXL.get(column, "")


def _given() -> dict[str, str]:
    """Record fields renamed in the records layer (the codes and names as written in the
    input), from the registry's record fields."""
    fields = [f for lv in LEVELS for f in (lv.record_code, lv.record_name) if f]
    return {f: f"given_{f}" for f in fields}


def header(column: str, lang: str = "en") -> str:
    """The readable header of a data-output column in ``lang``.

    >>> header("admin1Pcode", "fr"), header("reached", "en")
    ('P-code région', 'People reached')
    """
    key = f"column.{column}"
    return label(key if key in LABELS else column, lang)


def sheet_name(table: str, lang: str = "en") -> str:
    """The workbook sheet of a table (``adm1``, ``adm1_sectors``...) in ``lang``: the
    table's entry in the i18n table, else the level's plural label (x sectors).

    >>> sheet_name("adm1_sectors", "fr")
    'Régions x secteurs'
    """
    key = f"sheet.{table}"
    if key in LABELS:
        return label(key, lang)[:31]
    level_key = table.removesuffix("_sectors")
    found = next((lv for lv in LEVELS if lv.key == level_key), None)
    text = found.label(lang, plural=True) if found else level_key
    if level_key != table:
        text = f"{text} x {label('sectors', lang).lower()}"
    return text[:31]


def _names(units: pd.DataFrame | None, lang: str) -> dict[str, str]:
    """``{pcode: name}`` of ``units`` in ``lang``, by the one rule of :func:`unit_name`."""
    if units is None:
        return {}
    return {str(row["pcode"]): unit_name(row, lang) for _, row in units.iterrows()}


def _metrics(frame: pd.DataFrame) -> list[str]:
    return [m for m in METRIC_KEYS if m in frame.columns]


def unit_tables(result: JoinResult, lang: str = "en") -> dict[str, pd.DataFrame]:
    """The unit and unit x sector totals of each loaded level, with OCHA COD column names.

    Keys ``<level>`` and ``<level>_sectors`` for each level of the result's boundaries
    (``adm1``, ``adm1_sectors``, ``adm2``, ``adm2_sectors`` with the embedded ones);
    the unit tables keep their ``geometry``.

    >>> from mali_map._build._pipeline import join_files
    >>> tables = unit_tables(join_files())
    >>> sorted(tables), len(tables["adm1"])
    (['adm1', 'adm1_sectors', 'adm2', 'adm2_sectors'], 9)
    """
    check_language(lang)
    tables: dict[str, pd.DataFrame] = {}
    names: dict[str, dict[str, dict[str, str]]] = {}
    for level in result.boundaries.levels:
        units = result.boundaries.units(level)
        names[level.key] = {n: _names(units, n) for n in _NAME_LANGS}
        own = {_name(level, n): names[level.key][n] for n in _NAME_LANGS}
        cube = record_cube(result, level, ["sector"])  # once per level, for both tables
        totals = _unit_totals(units, cube)
        front: dict[str, object] = dict(_COUNTRY)
        parent = level.parent
        up: dict[str, object] = {}
        if parent is not None and parent.key in names:
            up = dict(zip(units["pcode"], units.get("parent_pcode", pd.Series(
                pd.NA, index=units.index)), strict=True))
            front[_code(parent)] = totals["pcode"].map(up)
            front[_name(parent, "fr")] = totals["pcode"].map(up).map(
                names[parent.key]["fr"])
        front[_code(level)] = totals["pcode"]
        front.update({column: totals["pcode"].map(mapping) for column, mapping in own.items()})
        tables[level.key] = gpd.GeoDataFrame(
            {**front, **{m: totals[m] for m in _metrics(totals)}},
            geometry=totals.geometry, crs=totals.crs)
        by_sector = _sector_table(_sector_totals(cube), _code(level), own, lang)
        if parent is not None and parent.key in names:
            by_sector.insert(0, _code(parent), by_sector[_code(level)].map(up))
            by_sector.insert(1, _name(parent, "fr"),
                             by_sector[_code(parent)].map(names[parent.key]["fr"]))
        tables[f"{level.key}_sectors"] = by_sector
    return tables


def _sector_table(table: pd.DataFrame, code: str, names: dict[str, dict],
                  lang: str) -> pd.DataFrame:
    out = pd.DataFrame({code: table["pcode"].astype(object)})
    for column, mapping in names.items():
        out[column] = table["pcode"].map(mapping)
    out["sector"] = table["sector"].astype(object)
    out["sector_label"] = [sector_label(s, lang) if isinstance(s, str) else s
                           for s in table["sector"]]
    for m in _metrics(table):
        out[m] = table[m]
    return out.reset_index(drop=True)


def records_layer(result: JoinResult, lang: str = "en") -> gpd.GeoDataFrame:
    """Every record placed in a unit, with its units' P-codes and names and its point.

    >>> from mali_map._build._pipeline import join_files
    >>> layer = records_layer(join_files())
    >>> list(layer.columns[:4])
    ['row', 'admin1Pcode', 'admin1Name_fr', 'admin1Name_en']
    """
    check_language(lang)
    placed = result.mapped
    loaded = {lv.key for lv in result.boundaries.levels}
    front = pd.DataFrame({"row": placed["row"]}, index=placed.index)
    for level in LEVELS:  # the loaded levels, and those the join placed records in
        if level.key not in loaded and level.unit_column not in placed:
            continue
        codes = (placed[level.unit_column] if level.unit_column in placed
                 else pd.Series(pd.NA, index=placed.index))
        units = result.boundaries.units(level) if level.key in loaded else None
        front[_code(level)] = codes
        for lang_ in _NAME_LANGS:
            front[_name(level, lang_)] = codes.map(_names(units, lang_))
    skip = {"row", "admin_name", "geometry", "issues", "invalid",
            *(lv.unit_column for lv in LEVELS)}
    rest = pd.DataFrame(placed[[c for c in placed.columns if c not in skip]]).rename(
        columns=_given())
    if "sector" in rest:
        rest.insert(rest.columns.get_loc("sector") + 1, "sector_label",
                    [sector_label(s, lang) if isinstance(s, str) else s
                     for s in rest["sector"]])
    frame = pd.concat([front, rest], axis=1)
    for column in frame.columns:  # GeoPackage columns need one type: text stays text
        values = frame[column]
        # A C-level scan skips the columns that are already text (or missing) throughout.
        if values.dtype == object and pd.api.types.infer_dtype(values) != "string":
            frame[column] = values.map(lambda v: v if v is None or v != v else str(v))
    return gpd.GeoDataFrame(frame.reset_index(drop=True),
                            geometry=list(placed.geometry), crs="EPSG:4326")


def _write_geopackage(path: Path, layers: dict[str, pd.DataFrame]) -> None:
    import pyogrio

    path.unlink(missing_ok=True)
    for name, frame in layers.items():
        kwargs = {}
        if isinstance(frame, gpd.GeoDataFrame):
            kwargs["geometry_type"] = "Point" if name == "records" else "MultiPolygon"
            kwargs["promote_to_multi"] = name != "records"
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", **kwargs)


def _readable(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table for people: no geometry, readable headers, formulas defused."""
    table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    table = table.astype(object).where(table.notna(), None)
    table = table.map(defuse_formula)
    table.columns = [header(c, lang) for c in table.columns]
    return table


def _write_csv(path: Path, frame: pd.DataFrame, lang: str, hxl: bool) -> None:
    table = _readable(frame, lang)
    if hxl:
        tags = [hxl_tag(c) for c in frame.columns if c != "geometry"]
        table = pd.concat([pd.DataFrame([tags], columns=table.columns), table],
                          ignore_index=True)
    table.to_csv(path, index=False, encoding="utf-8-sig")


def _write_workbook(path: Path, tables: dict[str, pd.DataFrame], lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for key, frame in tables.items():
        sheet = book.create_sheet(sheet_name(key, lang))
        table = _readable(frame, lang)
        sheet.append(list(table.columns))
        for row in table.itertuples(index=False):
            sheet.append([_ILLEGAL_XLSX.sub("", v) if isinstance(v, str) else v
                          for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column, title in zip(sheet.columns, table.columns, strict=True):
            sheet.column_dimensions[column[0].column_letter].width = max(10, len(title) + 2)
    book.save(path)


def write_data_outputs(result: JoinResult, out_dir: str | Path, *, lang: str = "en",
                       hxl: bool = False) -> list[Path]:
    """Write ``records.gpkg``, ``aggregates.xlsx`` and ``aggregates-<table>.csv`` to ``out_dir``.

    >>> import tempfile
    >>> from mali_map._build._pipeline import join_files
    >>> out = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_data_outputs(join_files(), out)][:4]
    ['records.gpkg', 'aggregates.xlsx', 'aggregates-adm1.csv', 'aggregates-adm1_sectors.csv']
    """
    check_language(lang)
    tables = unit_tables(result, lang)
    layers = {"records": records_layer(result, lang), **tables}
    written = [write_atomic(inside(out_dir, GEOPACKAGE),
                            lambda tmp: _write_geopackage(tmp, layers), "the GeoPackage"),
               write_atomic(inside(out_dir, WORKBOOK),
                            lambda tmp: _write_workbook(tmp, tables, lang), "the workbook")]
    for key, frame in tables.items():
        written.append(write_atomic(inside(out_dir, f"aggregates-{key}.csv"),
                                    lambda tmp, f=frame: _write_csv(tmp, f, lang, hxl),
                                    "a CSV table"))
    return written
