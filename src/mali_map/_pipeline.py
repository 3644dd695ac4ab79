"""The pipeline in one call: load -> validate -> join, plus writing the join report."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

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
    layer: str | None = None,
    adm2_layer: str | None = None,
) -> JoinResult:
    """Load a records file and boundaries and join them.

    ``records=None`` uses the seed dataset; ``boundaries=None`` the embedded regions and cercles;
    ``layer``/``adm2_layer`` pick a layer of a multi-layer boundary file.

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
    result = join(table, units, fuzzy_threshold=fuzzy_threshold,
                  region_aliases=region_aliases, adm2_aliases=adm2_aliases)
    result.source = path.name
    return result


def write_report(result: JoinResult, path: str | Path) -> Path:
    """Write the join report as UTF-8 CSV (with BOM, so Excel shows accents) and return its path.

    >>> import tempfile, pathlib
    >>> path = write_report(join_files(), pathlib.Path(tempfile.mkdtemp()) / "report.csv")
    >>> list(read_report(path).columns)
    ['row', 'status', 'pcode', 'admin_name', 'method', 'score', 'message']
    """
    target = Path(path)
    report = result.report.copy()
    for column in ("admin_name", "message"):
        report[column] = report[column].map(_defuse_formula)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        report.to_csv(target, index=False, encoding="utf-8-sig")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the join report ({exc.strerror})") from None
    return target


def _defuse_formula(value: object) -> object:
    """Quote text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``).

    >>> _defuse_formula("=HYPERLINK(1)"), _defuse_formula("Mopti")
    ("'=HYPERLINK(1)", 'Mopti')
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def read_report(path: str | Path) -> pd.DataFrame:
    """Read a join report written by :func:`write_report`.

    >>> import tempfile, pathlib
    >>> path = write_report(join_files(), pathlib.Path(tempfile.mkdtemp()) / "report.csv")
    >>> report = read_report(path)
    >>> bool(report["status"].isin(["matched", "warning", "unmatched", "invalid"]).all())
    True
    """
    return pd.read_csv(path, encoding="utf-8-sig", dtype={"pcode": "string"})
