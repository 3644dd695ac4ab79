"""Count activities, organisations and people reached per admin unit and sector."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from ._classify import Classes, classify
from ._model import METRICS, JoinResult


def _mapped(result: JoinResult, level: str, sector: str | None) -> pd.DataFrame:
    key = "pcode" if level == "adm1" else "adm2"
    if level not in ("adm1", "adm2"):
        raise ValueError(f"unknown level {level!r}; choose 'adm1' or 'adm2'")
    records = pd.DataFrame(result.records.drop(columns="geometry"))
    records = records[records[key].notna()]
    if sector is not None:
        records = records[records["sector"] == sector]
    return records.rename(columns={key: "unit"})


def _count(records: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    reached = pd.to_numeric(records["reached"], errors="coerce")
    counted = records.assign(_reached=reached).groupby(by, dropna=False).agg(
        activities=("row", "size"),
        organisations=("organisation", lambda s: s.dropna().replace("", pd.NA).nunique()),
        reached=("_reached", lambda s: s.sum(min_count=1)),
    )
    return counted.reset_index()


def aggregate(result: JoinResult, level: str = "adm1") -> pd.DataFrame:
    """One row per admin unit and sector: ``activities``, ``organisations``, ``reached``.

    ``reached`` sums the beneficiaries where given and is NaN where no record states one.

    >>> from mali_map._boundaries import load_boundaries
    >>> from mali_map._join import join
    >>> recs = pd.DataFrame({"row": [2, 3, 4], "adm1_name": ["Gao", "Gao", "Kidal"],
    ...                      "sector": ["health", "health", "wash"],
    ...                      "organisation": ["HI", "UNICEF", "HI"], "reached": [10, None, None]})
    >>> aggregate(join(recs, load_boundaries())).values.tolist()
    [['ML07', 'health', 2, 2, 10.0], ['ML08', 'wash', 1, 1, nan]]
    """
    records = _mapped(result, level, None)
    table = _count(records, ["unit", "sector"]) if len(records) else pd.DataFrame(
        columns=["unit", "sector", *METRICS])
    return table.rename(columns={"unit": "pcode"}).sort_values(["pcode", "sector"],
                                                                ignore_index=True)


def unit_totals(result: JoinResult, level: str = "adm1",
                sector: str | None = None) -> gpd.GeoDataFrame:
    """Every admin unit of ``level`` with its totals (zero where no record), as a GeoDataFrame.

    ``sector`` (a canonical key) restricts the counts to that sector.

    >>> from mali_map._boundaries import load_boundaries
    >>> from mali_map._join import join
    >>> recs = pd.DataFrame({"adm1_name": ["Gao", "Gao"], "organisation": ["HI", "HI"]})
    >>> totals = unit_totals(join(recs, load_boundaries()))
    >>> totals.set_index("pcode").loc[["ML07", "ML08"], ["activities", "organisations"]].values
    array([[2, 1],
           [0, 0]])
    """
    units = result.boundaries.adm1 if level == "adm1" else result.boundaries.adm2
    if units is None:
        raise ValueError("no ADM2 boundaries were loaded; pass an ADM2 file")
    records = _mapped(result, level, sector)
    counts = (_count(records, ["unit"]).set_index("unit") if len(records)
              else pd.DataFrame(columns=list(METRICS)))
    keep = [c for c in ("pcode", "name", "name_fr", "name_en", "parent_pcode") if c in units]
    totals = units[[*keep, "geometry"]].copy()
    for metric in METRICS:
        values = totals["pcode"].map(counts[metric]) if len(counts) else pd.Series(
            pd.NA, index=totals.index)
        totals[metric] = values.fillna(0).astype(int) if metric != "reached" \
            else pd.to_numeric(values, errors="coerce").astype(float)
    return gpd.GeoDataFrame(totals, geometry="geometry", crs=units.crs)


def metric_classes(result: JoinResult, metric: str = "activities", scheme: str = "quantiles",
                   k: int = 5, level: str = "adm1") -> Classes:
    """Choropleth classes of ``metric`` over the country-wide unit totals of ``level``.

    Computed once from all records so that every page and every export of the
    same data shares the same classes and colours (``level="adm2"`` for the
    cercles drawn on region pages).

    >>> from mali_map._pipeline import join_files
    >>> classes = metric_classes(join_files(), "activities", scheme="quantiles", k=5)
    >>> len(classes.bounds) == len(classes.colours) == len(classes.labels())
    True
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of: {', '.join(METRICS)}")
    return classify(unit_totals(result, level=level)[metric].tolist(), scheme=scheme, k=k)
