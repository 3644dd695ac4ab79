"""The programmes panel: records the join calls ``national`` or ``multi`` (placed in no
one unit), grouped into lines, with exact counts under every filter.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..._join import JoinResult
from ..._measure import ROWS
from ..._reference import sector_label
from ._encode import encode_table
from ._strings import status_label, ui
from ._values import TEXT_LIMITS, texts, years

__all__ = ["PROGRAMME_CAP", "PROGRAMME_STATUSES", "programme_records", "programme_table",
           "programmes_json"]

#: Join statuses of the records the programmes panel lists, and their ``kind`` code.
PROGRAMME_STATUSES: dict[str, int] = {"national": 0, "multi": 1}
#: Most programme lines one page carries (groups of identical records count as one).
PROGRAMME_CAP = 300
_UNIT_SPLIT = re.compile(r"\s*[;,|]\s*")


def _report_column(result: JoinResult, column: str) -> pd.Series | None:
    """A join report column aligned with ``result.records`` (by row number), if present."""
    report, records = result.report, result.records
    if column not in report:
        return None
    if len(report) == len(records) and "row" in report and "row" in records and (
            report["row"].to_numpy() == records["row"].to_numpy()).all():
        return pd.Series(report[column].to_numpy(), index=records.index)
    if "row" not in report or "row" not in records or report["row"].duplicated().any():
        return None
    return records["row"].map(report.set_index("row")[column])


def programme_records(result: JoinResult) -> pd.DataFrame:
    """Records the join report calls ``national`` or ``multi``, with ``kind`` and ``units``.

    ``units`` is the tuple of P-codes of a multi-unit record (report column
    ``units``, codes separated by ``;``), empty for a national record.
    """
    status = _report_column(result, "status")
    if status is None:
        return result.records.iloc[0:0].assign(kind=[], units=[])
    status = texts(status)
    chosen = status.isin(PROGRAMME_STATUSES.keys())
    records = result.records[chosen.to_numpy()]
    units = _report_column(result, "units")
    if units is None and "units" in result.records:
        units = result.records["units"]
    unit_text = (texts(units[chosen.to_numpy()]) if units is not None
                 else pd.Series("", index=records.index))
    kinds = status[chosen.to_numpy()].map(PROGRAMME_STATUSES).to_numpy()
    unit_lists = [tuple(u for u in _UNIT_SPLIT.split(t) if u) if k == 1 else ()
                  for t, k in zip(unit_text, kinds, strict=True)]
    return records.assign(kind=kinds, units=unit_lists)


def _ancestors(units: tuple[str, ...], parent_of: dict[str, str]) -> set[str]:
    """The units and every unit above them.

    >>> sorted(_ancestors(("ML0503",), {"ML0503": "ML05"}))
    ['ML05', 'ML0503']
    """
    out: set[str] = set()
    for unit in units:
        while unit and unit not in out:
            out.add(unit)
            unit = parent_of.get(unit, "")
    return out


def programme_table(progs: pd.DataFrame, parent_of: dict[str, str]) -> pd.DataFrame:
    """The programme records as the texts and years the panel shows, with the set of
    units each applies ``within``: its units and all their ancestors (``parent_of`` maps
    a unit to its parent), so the page of any unit finds the programmes inside it."""
    if progs.empty:
        return progs
    y0 = years(progs["start_date"]).to_numpy(dtype=float)
    y1 = years(progs["end_date"]).to_numpy(dtype=float)
    return pd.DataFrame({
        "kind": progs["kind"].to_numpy(), "units": list(progs["units"]),
        "within": [_ancestors(units, parent_of) for units in progs["units"]],
        "org_text": texts(progs["organisation"]).to_numpy(),
        "sector_text": texts(progs["sector"]).to_numpy(),
        "activity_text": (texts(progs["activity"]).to_numpy() if "activity" in progs
                          else ""),
        "status_text": texts(progs["status"]).to_numpy(),
        "y0": y0, "y1": np.where(np.isnan(y1) | (y1 < y0), y0, y1)})


def programmes_json(progs: pd.DataFrame | None, names: dict[str, str], kind: str,
                    key: str | None, lang: str) -> dict[str, Any]:
    """The national and multi-unit records that apply to one page, grouped into lines.

    The overview lists them all; a unit's page (``kind`` ``"region"``) the national ones
    and the multi-unit ones that name the unit or a unit inside it; a sector page
    those of its sector. Identical lines (same kind, organisation, sector,
    activity, status, years and units) are counted once with their number ``n``.
    """
    if progs is None or progs.empty:
        return {"rows": [], "lines": 0}
    if kind == "region":
        keep = [k == 0 or key in within for k, within in
                zip(progs["kind"], progs["within"], strict=True)]
        progs = progs[np.asarray(keep, dtype=bool)]
    elif kind == "sector":
        progs = progs[progs["sector_text"] == key]
    if progs.empty:
        return {"rows": [], "lines": 0}
    out = {"rows": _programme_lines(progs, names, lang), "lines": 0, **_programme_counts(progs)}
    out["lines"] = out["rows"].pop()
    return out


def _programme_counts(progs: pd.DataFrame) -> dict[str, Any]:
    """Every programme record counted by sector, organisation, status and year span.

    The panel's count comes from this table, so that it stays exact under every
    filter even when the list of lines is cut at :data:`PROGRAMME_CAP`.
    """
    def coded(values: pd.Series) -> tuple[list[str], np.ndarray]:
        vocab = sorted(set(values) - {""})
        lookup = {v: i + 1 for i, v in enumerate(vocab)}
        return vocab, np.array([lookup.get(v, 0) for v in values], dtype=np.int64)

    sectors, sector = coded(progs["sector_text"])
    orgs, org = coded(progs["org_text"])
    statuses, status = coded(progs["status_text"])
    has_span = ~np.isnan(progs["y0"].to_numpy(dtype=float))
    span_key = np.where(has_span, progs["y0"].fillna(0) * 10_000 + progs["y1"].fillna(0), -1)
    span_values = np.unique(span_key[has_span])
    span = np.where(has_span, np.searchsorted(span_values, span_key) + 1, 0)
    frame = pd.DataFrame({"sector": sector, "organisation": org, "status": status,
                          "span": span})
    dims = list(frame.columns)
    counts = frame.groupby(dims, sort=True).size().reset_index(name=ROWS)
    sizes = {"sector": len(sectors) + 1, "organisation": len(orgs) + 1,
             "status": len(statuses) + 1, "span": len(span_values) + 1}
    table = encode_table([(d, counts[d].to_numpy(), sizes[d]) for d in dims],
                         [(ROWS, counts[ROWS].to_numpy())])
    return {"sectors": sectors, "orgs": orgs, "statuses": statuses,
            "spans": [[int(k // 10_000), int(k % 10_000)] for k in span_values],
            "counts": table}


def _programme_lines(progs: pd.DataFrame, names: dict[str, str], lang: str) -> list[Any]:
    """Up to :data:`PROGRAMME_CAP` lines, then the number of lines before the cut."""
    lines = progs.assign(unit_names=[", ".join(names.get(u, u) for u in units)
                                     for units in progs["units"]])
    keys = ["kind", "org_text", "sector_text", "activity_text", "status_text", "y0", "y1",
            "unit_names"]
    grouped = (lines.assign(y0=lines["y0"].fillna(-1), y1=lines["y1"].fillna(-1))
               .groupby(keys, sort=False, dropna=False).size().reset_index(name="n"))
    grouped["_org"] = grouped["org_text"].str.casefold()
    grouped = grouped.sort_values(["kind", "_org", "sector_text", "activity_text"],
                                  kind="stable")
    rows = []
    for r in grouped.head(PROGRAMME_CAP).itertuples(index=False):
        rows.append({"k": int(r.kind), "o": r.org_text, "s": r.sector_text,
                     "sl": sector_label(r.sector_text, lang) if r.sector_text
                     else ui("unknown_sector", lang),
                     "a": r.activity_text[:TEXT_LIMITS["activity"]], "st": r.status_text,
                     "stl": status_label(r.status_text, lang) if r.status_text else "",
                     "y": None if r.y0 < 0 else [int(r.y0), int(r.y1)],
                     "u": r.unit_names, "n": int(r.n)})
    return [*rows, len(grouped)]
