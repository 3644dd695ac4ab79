"""What every page of one build shares, computed once: code lists, the cube, the points,
the simplified geometry, the classes and the programme records."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ..._geo import SimpleBoundaries, simplify_boundaries
from ..._join import JoinResult
from ..._measure import Classes
from .._pages import unit_names
from ._cube import build_cube, unit_classes
from ._programmes import programme_records, programme_table
from ._values import texts

__all__ = ["Build", "prepare"]


@dataclass
class Build:
    """What every page of one build shares: codes, the cube, points, geometry, classes."""

    result: JoinResult
    geometry: SimpleBoundaries
    pcodes: list[str]
    adm2_pcodes: list[str]
    adm2_parents: list[str]
    sectors: list[str]
    orgs: list[str]
    statuses: list[str]
    spans: list[tuple[int, int]]
    cube: pd.DataFrame        # dims pcode, adm2, sector, organisation, status, span, copy
    points: pd.DataFrame      # one row per located and placed record: codes, lon, lat, index
    adm1_classes: dict[str, Classes]
    adm2_classes: dict[str, Classes] | None
    programmes: pd.DataFrame | None = None   # national and multi-unit records (see below)

    def unit_name_by_lang(self, lang: str) -> dict[str, str]:
        """P-code -> name in ``lang`` of every unit (regions and cercles)."""
        bounds = self.result.boundaries
        out = dict(zip(self.pcodes, unit_names(bounds.adm1, lang), strict=True))
        if bounds.adm2 is not None:
            out.update(zip(self.adm2_pcodes, unit_names(bounds.adm2, lang), strict=True))
        return out


def prepare(result: JoinResult, scheme: str, k: int) -> Build:
    """Everything pages share, computed once per build (no per-record Python loop)."""
    table, vocab = build_cube(result)
    frame = vocab["frame"]
    geoms = result.records.geometry.values if "geometry" in result.records else None
    if geoms is not None:
        lon = shapely.get_x(np.asarray(geoms, dtype=object))
        lat = shapely.get_y(np.asarray(geoms, dtype=object))
    else:
        lon = lat = np.full(len(frame), np.nan)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    usable = np.isfinite(lon) & np.isfinite(lat) & (frame["pcode"].to_numpy() >= 0)
    points = pd.DataFrame({
        "pcode": frame["pcode"].to_numpy()[usable],
        "sector": frame["sector"].to_numpy()[usable],
        "organisation": np.nan_to_num(frame["organisation"].to_numpy()[usable], nan=-1)
        .astype(np.int64),
        "status": frame["status"].to_numpy()[usable],
        "span": frame["span"].to_numpy()[usable],
        "lon": lon[usable], "lat": lat[usable],
        "index": np.flatnonzero(usable),
    })
    adm2 = result.boundaries.adm2
    parents = [] if adm2 is None else texts(adm2["parent_pcode"]).tolist()
    progs = programme_table(programme_records(result),
                            dict(zip(vocab["adm2_pcodes"], parents, strict=True)))
    return Build(
        result=result, geometry=simplify_boundaries(result.boundaries),
        pcodes=vocab["pcodes"], adm2_pcodes=vocab["adm2_pcodes"], adm2_parents=parents,
        sectors=vocab["sectors"], orgs=vocab["orgs"], statuses=vocab["statuses"],
        spans=vocab["spans"], cube=table, points=points,
        adm1_classes=unit_classes(table, "pcode", scheme, k),
        adm2_classes=None if adm2 is None else unit_classes(table, "adm2", scheme, k),
        programmes=progs)
