"""A seeded synthetic JoinResult of any size, built directly (no files, no join run).

It has the messy cases the pages must count right: records without organisation,
without people reached or targeted, fractional numbers, multi-year spans, spans
whose end is before the start, no start year, no status, no sector, records not
placed in any unit (national or unmatched), records with and without coordinates;
with ``multi`` > 0, records placed in several units (join status ``multi``, their
P-codes in ``units``), as "Gao, Kidal" or "northern Mali" are.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mali_map._geo._boundaries import load_boundaries
from mali_map._join._model import Boundaries, JoinResult

SECTORS = ("health", "education", "wash", "nutrition", "protection", "mine-action",
           "food-security", "Astrologie")
STATUSES = ("ongoing", "completed", "planned", "suspended")


def synthetic_result(rows: int, *, seed: int = 1, orgs: int = 60, located: float = 0.6,
                     unplaced: float = 0.15, boundaries: Boundaries | None = None,
                     focused: bool = False, multi: float = 0.0) -> JoinResult:
    """``rows`` records joined to ``boundaries`` (the embedded regions by default).

    By default every field is drawn independently (the worst case for a page's
    cube); ``focused=True`` makes each organisation work in 2 sectors and 3 regions,
    as 3W data usually does. ``multi`` is the share of records placed in several
    regions (2 or 3) instead of one.
    """
    rng = np.random.default_rng(seed)
    bounds = boundaries or load_boundaries()
    adm1 = bounds.adm1
    pcodes = adm1["pcode"].to_numpy()
    unit = rng.integers(0, len(pcodes), rows)
    org_code = rng.integers(0, orgs, rows)
    sector_code = rng.choice(len(SECTORS) + 1, rows,
                             p=[0.2, 0.15, 0.15, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05])
    if focused:
        own_sectors = rng.integers(0, len(SECTORS), (orgs, 2))
        own_units = rng.integers(0, len(pcodes), (orgs, 3))
        sector_code = own_sectors[org_code, rng.integers(0, 2, rows)]
        unit = own_units[org_code, rng.integers(0, 3, rows)]
    placed = rng.random(rows) >= unplaced
    several = np.full(rows, None, dtype=object)
    if multi:  # drawn only then: the default stream (and every other test's data) is kept
        combos = np.array([";".join(pcodes[i] for i in c) for c in
                           ((5, 6, 7), (6, 7), (0, 1, 5), (3, 6))], dtype=object)
        chosen = rng.random(rows) < multi
        several[chosen] = combos[rng.integers(0, len(combos), int(chosen.sum()))]
        placed &= ~chosen
    pcode = np.where(placed, pcodes[unit], None)
    adm2 = np.full(rows, None, dtype=object)
    if bounds.adm2 is not None:
        for i, p in enumerate(pcodes):
            subs = bounds.adm2.loc[bounds.adm2["parent_pcode"] == p, "pcode"].to_numpy()
            mine = np.flatnonzero(placed & (unit == i))
            if len(subs) and len(mine):
                pick = rng.integers(0, len(subs) + 1, len(mine))  # one more = no cercle
                adm2[mine] = np.where(pick < len(subs), subs[np.minimum(pick, len(subs) - 1)],
                                      None)
    names = np.array([f"ONG {i:03d}" for i in range(orgs)], dtype=object)
    org = np.where(rng.random(rows) < 0.1, None, names[org_code])
    sector = np.array((*SECTORS, ""), dtype=object)[sector_code]
    status = np.array((*STATUSES, ""), dtype=object)[rng.integers(0, 5, rows)]
    y0 = rng.integers(2012, 2025, rows)
    length = rng.choice([0, 0, 1, 2, 3, -1], rows)  # -1: an end before the start
    start = np.array([f"{y}-0{m}" for y, m in zip(y0, rng.integers(1, 10, rows),
                                                  strict=True)], dtype=object)
    start = np.where(rng.random(rows) < 0.05, None, start)
    end = np.where(rng.random(rows) < 0.3, None, (y0 + length).astype(str).astype(object))
    reached = np.round(rng.exponential(800, rows))
    reached = np.where(rng.random(rows) < 0.05, reached + 0.5, reached)
    reached = np.where(rng.random(rows) < 0.3, np.nan, reached)
    targeted = np.where(rng.random(rows) < 0.6, np.nan, np.round(rng.exponential(1500, rows)))
    has_point = placed & (rng.random(rows) < located)
    minx, miny, maxx, maxy = (adm1.bounds[c].to_numpy() for c in ("minx", "miny", "maxx",
                                                                   "maxy"))
    lon = minx[unit] + (maxx[unit] - minx[unit]) * rng.random(rows)
    lat = miny[unit] + (maxy[unit] - miny[unit]) * rng.random(rows)
    geometry = shapely.points(lon, lat)
    geometry[~has_point] = None
    records = gpd.GeoDataFrame({
        "id": [f"S{i:07d}" for i in range(rows)],
        "organisation": org, "sector": sector,
        "activity": [f"Activity {i}" for i in range(rows)],
        "place": np.where(has_point, "Village", None),
        "latitude": np.where(has_point, lat, np.nan),
        "longitude": np.where(has_point, lon, np.nan),
        "start_date": start, "end_date": end, "status": status,
        "reached": reached, "targeted": targeted, "source": "synthetic.csv",
        "row": np.arange(2, rows + 2),
        "pcode": pcode, "admin_name": None, "adm2": adm2,
        "join_status": np.where(placed, "matched",
                                np.where(pd.isna(several), "unmatched", "multi")),
        "units": pd.array(several, dtype="string"),
        "method": None, "score": np.nan, "message": None,
    }, geometry=geometry, crs="EPSG:4326")
    report = pd.DataFrame({"row": records["row"], "status": records["join_status"],
                           "units": records["units"]})
    return JoinResult(records, report, bounds, source="synthetic.csv")


def year_of(value: object) -> int | None:
    """The year of a date text, the rule the pages state (first four digits)."""
    if value is None or value != value:
        return None
    text = str(value).strip()
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def active(record: dict, year: int) -> bool:
    """Whether a record's [start year, end year] contains ``year`` (no start: never)."""
    y0 = year_of(record["start_date"])
    if y0 is None:
        return False
    y1 = year_of(record["end_date"])
    y1 = y0 if y1 is None or y1 < y0 else y1
    return y0 <= year <= y1


def several_units(record: dict) -> list[str]:
    """The regions of a record placed in several (status ``multi``), else ``[]``."""
    units = record.get("units")
    if record.get("join_status") != "multi" or not isinstance(units, str):
        return []
    return units.split(";")


def oracle(records: list[dict], unit_key: str = "pcode") -> dict[str, dict[object, float]]:
    """Every metric per unit (``None`` = not on the map), record by record.

    Activities count records; organisations count distinct non-empty names;
    people reached/targeted add the stated numbers and are ``nan`` where none is stated.
    Per region (``unit_key="pcode"``) a record placed in several regions counts as an
    activity and an organisation in each, without its people (not divided).
    """
    out: dict[str, dict[object, float]] = {"activities": {}, "organisations": {},
                                           "reached": {}, "targeted": {}}
    orgs: dict[object, set] = {}
    for r in records:
        u = r[unit_key] if isinstance(r[unit_key], str) and r[unit_key] else None
        spread = several_units(r) if unit_key == "pcode" else []
        for place in spread or [u]:
            out["activities"][place] = out["activities"].get(place, 0) + 1
            if isinstance(r["organisation"], str) and r["organisation"].strip():
                orgs.setdefault(place, set()).add(r["organisation"].strip())
        for m in ("reached", "targeted"):
            v = r[m]
            if v is not None and v == v and not spread:
                out[m][u] = out[m].get(u, 0.0) + float(v)
    out["organisations"] = {u: len(orgs.get(u, ())) for u in out["activities"]}
    for m in ("reached", "targeted"):
        out[m] = {u: out[m].get(u, float("nan")) for u in out["activities"]}
    return out
