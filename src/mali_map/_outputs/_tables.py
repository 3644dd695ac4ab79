"""Data outputs written beside the pages: a GeoPackage, a workbook and CSV tables.

- ``records.gpkg``: layer ``records`` (every record placed in a unit, its point
  where given, its units' P-codes and names), ``adm1`` and ``adm2`` (unit polygons
  with their totals per metric) and the non-spatial tables ``adm1_sectors`` and
  ``adm2_sectors`` (unit x sector totals, long form). Columns follow OCHA COD
  names (``admin1Pcode``, ``admin1Name_fr``, ...) so they join to COD layers.
- ``aggregates.xlsx``: the same unit and unit x sector totals, one sheet per table,
  headers in the build's language; ``aggregates-<table>.csv``: each table as CSV
  (UTF-8 with BOM), with an HXL hashtag row under the header when asked.

Totals come from :func:`mali_map._measure._aggregate.unit_totals` and
:func:`mali_map._measure._aggregate.aggregate` (the metric registry, one cube per level), never
recounted here.
Every text cell of a spreadsheet output goes through
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
from .._reference import sector_label, unit_name

GEOPACKAGE = "records.gpkg"
WORKBOOK = "aggregates.xlsx"

#: The HXL hashtag of each column (headers are ``column.<name>`` in :mod:`mali_map._core._i18n`).
_HXL: dict[str, str] = {
    "admin0Pcode": "#country+code", "admin1Pcode": "#adm1+code",
    "admin1Name_fr": "#adm1+name+i_fr", "admin1Name_en": "#adm1+name+i_en",
    "admin2Pcode": "#adm2+code", "admin2Name_fr": "#adm2+name+i_fr",
    "admin2Name_en": "#adm2+name+i_en",
    "sector": "#sector+code", "sector_label": "#sector+name",
    "activities": "#activity+num", "organisations": "#org+num", "reached": "#reached",
    "targeted": "#targeted",
}
#: Record fields renamed in the records layer (the names as written in the input).
_GIVEN = {"adm1_pcode": "given_adm1_pcode", "adm1_name": "given_adm1_name",
          "adm2_pcode": "given_adm2_pcode", "adm2_name": "given_adm2_name"}
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def header(column: str, lang: str = "en") -> str:
    """The readable header of a data-output column in ``lang``.

    >>> header("admin1Pcode", "fr"), header("reached", "en")
    ('P-code région', 'People reached')
    """
    key = f"column.{column}"
    return label(key if key in LABELS else column, lang)


def _names(units: pd.DataFrame, lang: str) -> dict[str, str]:
    """``{pcode: name}`` of ``units`` in ``lang``, by the one rule of :func:`unit_name`."""
    return {str(row["pcode"]): unit_name(row, lang) for _, row in units.iterrows()}


def _metrics(frame: pd.DataFrame) -> list[str]:
    return [m for m in METRIC_KEYS if m in frame.columns]


def unit_tables(result: JoinResult, lang: str = "en") -> dict[str, pd.DataFrame]:
    """The unit and unit x sector totals of each level, with OCHA COD column names.

    Keys ``adm1``, ``adm1_sectors`` and, with ADM2 boundaries, ``adm2``,
    ``adm2_sectors``; the unit tables keep their ``geometry``.

    >>> from mali_map._build._pipeline import join_files
    >>> tables = unit_tables(join_files())
    >>> sorted(tables), len(tables["adm1"])
    (['adm1', 'adm1_sectors', 'adm2', 'adm2_sectors'], 9)
    """
    check_language(lang)
    adm1 = result.boundaries.adm1
    adm1_fr, adm1_en = _names(adm1, "fr"), _names(adm1, "en")
    tables: dict[str, pd.DataFrame] = {}
    cube = record_cube(result, "adm1", ["sector"])  # once per level, for both tables
    totals = _unit_totals(adm1, cube)
    tables["adm1"] = gpd.GeoDataFrame({
        "admin0Pcode": "ML",
        "admin1Pcode": totals["pcode"],
        "admin1Name_fr": totals["pcode"].map(adm1_fr),
        "admin1Name_en": totals["pcode"].map(adm1_en),
        **{m: totals[m] for m in _metrics(totals)},
    }, geometry=totals.geometry, crs=totals.crs)
    tables["adm1_sectors"] = _sector_table(_sector_totals(cube), "admin1Pcode",
                                           {"admin1Name_fr": adm1_fr, "admin1Name_en": adm1_en},
                                           lang)
    adm2 = result.boundaries.adm2
    if adm2 is not None:
        adm2_fr, adm2_en = _names(adm2, "fr"), _names(adm2, "en")
        parent = dict(zip(adm2["pcode"], adm2.get("parent_pcode", pd.Series(
            pd.NA, index=adm2.index)), strict=True))
        cube2 = record_cube(result, "adm2", ["sector"])
        totals2 = _unit_totals(adm2, cube2)
        tables["adm2"] = gpd.GeoDataFrame({
            "admin0Pcode": "ML",
            "admin1Pcode": totals2["pcode"].map(parent),
            "admin1Name_fr": totals2["pcode"].map(parent).map(adm1_fr),
            "admin2Pcode": totals2["pcode"],
            "admin2Name_fr": totals2["pcode"].map(adm2_fr),
            "admin2Name_en": totals2["pcode"].map(adm2_en),
            **{m: totals2[m] for m in _metrics(totals2)},
        }, geometry=totals2.geometry, crs=totals2.crs)
        by_sector = _sector_table(_sector_totals(cube2), "admin2Pcode",
                                  {"admin2Name_fr": adm2_fr, "admin2Name_en": adm2_en}, lang)
        by_sector.insert(0, "admin1Pcode", by_sector["admin2Pcode"].map(parent))
        by_sector.insert(1, "admin1Name_fr", by_sector["admin1Pcode"].map(adm1_fr))
        tables["adm2_sectors"] = by_sector
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
    adm1 = result.boundaries.adm1
    adm2 = result.boundaries.adm2
    adm2_fr, adm2_en = ({}, {}) if adm2 is None else (_names(adm2, "fr"), _names(adm2, "en"))
    adm2_codes = placed["adm2"] if "adm2" in placed else pd.Series(pd.NA, index=placed.index)
    front = pd.DataFrame({
        "row": placed["row"],
        "admin1Pcode": placed["pcode"],
        "admin1Name_fr": placed["pcode"].map(_names(adm1, "fr")),
        "admin1Name_en": placed["pcode"].map(_names(adm1, "en")),
        "admin2Pcode": adm2_codes,
        "admin2Name_fr": adm2_codes.map(adm2_fr),
        "admin2Name_en": adm2_codes.map(adm2_en),
    }, index=placed.index)
    skip = {"row", "pcode", "admin_name", "adm2", "geometry", "issues", "invalid"}
    rest = pd.DataFrame(placed[[c for c in placed.columns if c not in skip]]).rename(
        columns=_GIVEN)
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
        tags = [_HXL.get(c, "") for c in frame.columns if c != "geometry"]
        table = pd.concat([pd.DataFrame([tags], columns=table.columns), table],
                          ignore_index=True)
    table.to_csv(path, index=False, encoding="utf-8-sig")


def _write_workbook(path: Path, tables: dict[str, pd.DataFrame], lang: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for key, frame in tables.items():
        sheet = book.create_sheet(label(f"sheet.{key}", lang)[:31])
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
