"""The pipeline in one call: load -> validate -> join, plus writing the join report."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ._boundaries import load_boundaries
from ._data import seed_records_path
from ._errors import OutputError
from ._join import FUZZY_THRESHOLD, join
from ._model import JoinResult
from ._validate import load_records


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
) -> JoinResult:
    """Load a records file and boundaries and join them.

    ``records=None`` uses the seed dataset; ``boundaries=None`` the embedded regions.

    >>> result = join_files()
    >>> len(result.report) == len(result.records)
    True
    """
    path = seed_records_path() if records is None else Path(records)
    table = load_records(path, sheet=sheet,
                         organisation_aliases=dict(organisation_aliases or {}),
                         sector_aliases=dict(sector_aliases or {}))
    units = load_boundaries(boundaries, adm2=adm2, name_column=name_column,
                            code_column=code_column)
    result = join(table, units, fuzzy_threshold=fuzzy_threshold,
                  region_aliases=region_aliases, adm2_aliases=adm2_aliases)
    result.source = path.name
    return result


def write_report(result: JoinResult, path: str | Path) -> Path:
    """Write the join report as UTF-8 CSV (with BOM, so Excel shows accents) and return its path.

    >>> import tempfile, pathlib
    >>> path = write_report(join_files(), pathlib.Path(tempfile.mkdtemp()) / "report.csv")
    >>> list(read_report(path).columns)[:7]
    ['row', 'status', 'pcode', 'admin_name', 'adm2_pcode', 'adm2_name', 'units']
    """
    target = Path(path)
    report = result.report
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            buffer = io.StringIO()
            buffer.write("\ufeff")  # the BOM, so that Excel reads UTF-8
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(report.columns)
            writer.writerows(zip(*(_csv_cells(report[c], c) for c in report.columns),
                                 strict=True))
            handle.write(buffer.getvalue())
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the join report ({exc.strerror})") from None
    return target


#: Report columns holding free text, where a formula could hide.
_TEXT_COLUMNS = ("admin_name", "message")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cells(column: pd.Series, name: str) -> list:
    """The cells of one report column as the CSV writer takes them: text, ints, floats.

    Missing values are empty cells, floats are written as pandas writes them, and
    free text that a spreadsheet would run as a formula is quoted; each distinct
    value is formatted once.
    """
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.tolist()
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    if pd.api.types.is_float_dtype(column.dtype):
        cells = [repr(float(u)) for u in uniques]
    elif name in _TEXT_COLUMNS:
        cells = [_defuse_formula(str(u)) for u in uniques]
    else:
        cells = [str(u) for u in uniques]
    return np.array([*cells, ""], dtype=object)[codes].tolist()


def _defuse_formula(text: str) -> str:
    """Quote text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``).

    >>> _defuse_formula("=HYPERLINK(1)"), _defuse_formula("Mopti")
    ("'=HYPERLINK(1)", 'Mopti')
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def read_report(path: str | Path) -> pd.DataFrame:
    """Read a join report written by :func:`write_report`.

    >>> import tempfile, pathlib
    >>> path = write_report(join_files(), pathlib.Path(tempfile.mkdtemp()) / "report.csv")
    >>> report = read_report(path)
    >>> bool(report["status"].isin(["matched", "warning", "national", "multi", "unmatched",
    ...                              "invalid"]).all())
    True
    """
    return pd.read_csv(path, encoding="utf-8-sig", dtype={
        c: "string" for c in ("pcode", "adm2_pcode", "units", "suggestion", "location")})
