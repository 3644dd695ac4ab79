"""The pipeline in one call: load -> validate -> join, plus writing the join report."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .._core import LANGUAGES, check_language, label, term, terms, write_atomic
from .._core import defuse_formula as _defuse_formula
from .._geo import FUZZY_THRESHOLD, load_boundaries
from .._join import JoinResult, join
from .._read import load_records
from .._reference import LEVELS, seed_records_path

#: HXL hashtags of the join report's columns that are not a level's (``--hxl``).
_HXL: dict[str, str] = {
    "row": "#meta+row", "status": "#status", "method": "#meta+method", "score": "#meta+score",
    "message": "#description", "suggestion": "#meta+fix", "organisation": "#org",
    "sector": "#sector", "activity": "#activity", "location": "#loc",
}


def report_hxl() -> dict[str, str]:
    """HXL hashtags of the join report's columns: each level's code and name columns (from
    the registry, read now), the top level's list of units, and the others.

    >>> tags = report_hxl()
    >>> tags["pcode"], tags["admin_name"], tags["units"], tags["row"]
    ('#adm1+code', '#adm1+name', '#adm1+code+list', '#meta+row')
    """
    tags = dict(_HXL)
    for level in LEVELS:
        if level.report_code:
            tags[level.report_code] = f"#adm{level.number}+code"
        if level.report_name:
            tags[level.report_name] = f"#adm{level.number}+name"
    tags["units"] = f"#adm{LEVELS[0].number}+code+list"
    return tags


def _text_columns() -> set[str]:
    """Report columns read as text (codes keep their leading zeros)."""
    return {lv.report_code for lv in LEVELS if lv.report_code} | {"units", "suggestion",
                                                                  "location"}


def join_files(
    records: str | Path | None = None,
    boundaries: str | Path | None = None,
    *,
    adm2: str | Path | None = None,
    sheet: str | int | None = None,
    name_column: str | None = None,
    code_column: str | None = None,
    region_aliases: Mapping[str, str] | None = None,
    adm2_aliases: Mapping[str, str] | None = None,
    organisation_aliases: Mapping[str, str] | None = None,
    sector_aliases: Mapping[str, str] | None = None,
    fuzzy_threshold: float = FUZZY_THRESHOLD,
    layer: str | None = None,
    adm2_layer: str | None = None,
    lang: str = "en",
) -> JoinResult:
    """Load a records file and boundaries and join them.

    ``records=None`` uses the seed dataset; ``boundaries=None`` the embedded regions and cercles;
    ``layer``/``adm2_layer`` pick a layer of a multi-layer boundary file; ``lang`` is
    the language of the join report's messages ("en" or "fr").

    >>> result = join_files()
    >>> len(result.report) == len(result.records)
    True
    """
    path = seed_records_path() if records is None else Path(records)
    table = load_records(path, sheet=sheet,
                         organisation_aliases=dict(organisation_aliases or {}),
                         sector_aliases=dict(sector_aliases or {}))
    units = load_boundaries(boundaries, adm2=adm2, name_column=name_column,
                            code_column=code_column, layer=layer, adm2_layer=adm2_layer)
    # Aliases given once serve every look-up of the result (the join, --region).
    units = units.with_aliases(adm1=region_aliases, adm2=adm2_aliases)
    result = join(table, units, fuzzy_threshold=fuzzy_threshold,
                  region_aliases=region_aliases, adm2_aliases=adm2_aliases, lang=lang)
    result.source = path.name
    # what the reader noticed about the file (title skipped, no data rows, ...) first
    result.warnings[:0] = [f"{path.name}: {note}" for note in table.attrs.get("notes", ())]
    return result


def write_report(result: JoinResult, path: str | Path, *, hxl: bool = False,
                 lang: str = "en") -> Path:
    """Write the join report as UTF-8 CSV (with BOM, so Excel shows accents) and return its path.

    Text a spreadsheet would run as a formula is quoted; ``hxl=True`` adds a row of
    HXL hashtags under the header. ``lang`` is the language of the column headers and
    of the status and method words (English keeps the column names and values).

    >>> import tempfile, pathlib
    >>> path = write_report(join_files(), pathlib.Path(tempfile.mkdtemp()) / "report.csv")
    >>> list(read_report(path).columns)[:7]
    ['row', 'status', 'pcode', 'admin_name', 'adm2_pcode', 'adm2_name', 'units']
    """
    lang = check_language(lang)
    report = result.report
    words = {"status": terms("join", lang), "method": terms("method", lang)}
    rows = zip(*(_csv_cells(report[c], words.get(c, {})) for c in report.columns), strict=True)
    header = [term("report", c, lang) for c in report.columns]

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            if hxl:
                tags = report_hxl()
                writer.writerow([tags.get(c, "") for c in report.columns])
            writer.writerows(rows)

    return write_atomic(path, write, "the join report")


def _csv_cells(column: pd.Series, words: Mapping[str, str]) -> list:
    """The cells of one report column as the CSV writer takes them: text, ints, floats.

    Missing values are empty cells, floats are written as pandas writes them, text
    found in ``words`` is replaced by its word, and text that a spreadsheet would run
    as a formula is quoted; each distinct value is formatted once.
    """
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.tolist()
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    if pd.api.types.is_float_dtype(column.dtype):
        cells = [repr(float(u)) for u in uniques]
    else:
        cells = [_defuse_formula(str(words.get(u, u))) for u in uniques]
    return np.array([*cells, ""], dtype=object)[codes].tolist()


def read_report(path: str | Path) -> pd.DataFrame:
    """Read a join report written by :func:`write_report`, in any language, with the
    column names and status and method values of the English report.

    >>> import tempfile, pathlib
    >>> path = write_report(join_files(), pathlib.Path(tempfile.mkdtemp()) / "report.csv")
    >>> report = read_report(path)
    >>> bool(report["status"].isin(["matched", "warning", "national", "multi", "unmatched",
    ...                              "invalid"]).all())
    True
    """
    columns = {label(f"report.{c}", lang): c for lang in LANGUAGES for c in terms("report")}
    dtypes = {header: "string" for header, c in columns.items() if c in _text_columns()}
    report = pd.read_csv(path, encoding="utf-8-sig", dtype=dtypes)
    if len(report) and str(report.iloc[0, 0]).startswith("#"):  # an HXL row (``hxl=True``)
        report = pd.read_csv(path, encoding="utf-8-sig", dtype=dtypes, skiprows=[1])
    report = report.rename(columns=columns)
    for column, group in (("status", "join"), ("method", "method")):
        words = {word: value for lang in LANGUAGES
                 for value, word in terms(group, lang).items() if word != value}
        if column in report and words:
            report[column] = report[column].replace(words)
    return report
