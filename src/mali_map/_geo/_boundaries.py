"""Load administrative boundaries: the embedded default or a user's file.

Any vector format GDAL reads (GeoJSON, GeoPackage, shapefile, zipped shapefile,
TopoJSON), any CRS: everything comes out in EPSG:4326 with the columns of
:class:`mali_map._join._model.Boundaries`. Name and code columns are detected for OCHA
COD-AB and geoBoundaries files and can be named explicitly.

A user's file is checked before use: polygons only, null or empty geometries
skipped with a note, a CRS (or degrees), units located in Mali, one layer, unique
codes (duplicate names are noted). Each refusal is one line naming the file and
the feature.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from .._core import UnreadableFile
from .._reference import LEVELS, Level
from ._columns import attach_parents, attribution, detect_file_level, standardise
from ._embedded import EMBEDDED_ATTRIBUTION, embedded, embedded_frames
from ._files import read_file
from ._model import Boundaries

__all__ = ["EMBEDDED_ATTRIBUTION", "load_boundaries"]

#: Kept importable under its former name (tests read the embedded reference through it).
_embedded_frames = embedded_frames
_File = tuple[str | Path, str | None]


def load_boundaries(
    path: str | Path | None = None,
    *,
    adm2: str | Path | None = None,
    name_column: str | None = None,
    code_column: str | None = None,
    layer: str | None = None,
    adm2_layer: str | None = None,
    adm3: str | Path | None = None,
    adm3_layer: str | None = None,
) -> Boundaries:
    """Load first- and second-level boundaries (and communes, third-level, when given).

    With no argument: the embedded regions (ADM1) and cercles (ADM2), from
    geoBoundaries with OCHA P-codes. ``path`` is a user's ADM1 file (then no
    cercles unless ``adm2`` is given) or ADM2 file (then the embedded regions
    serve as ADM1). ``adm2`` names an ADM2 file explicitly; without it and
    without ``path`` the embedded cercles are used. An ADM2 file without a parent
    column gets its parent derived spatially from ADM1. ``layer`` / ``adm2_layer``
    choose a layer of a multi-layer file (GeoPackage, folder or zip of shapefiles).
    ``adm3`` is a communes (ADM3) file: loaded, checked and given parent cercles like
    ADM2, and served by ``Boundaries.index("adm3")`` and the join.

    >>> b = load_boundaries()
    >>> len(b.adm1), len(b.adm2), b.adm1.crs.to_epsg()
    (9, 50, 4326)
    >>> b.adm2.set_index("pcode").loc["ML0503", ["name", "parent_pcode"]].tolist()
    ['Djenné', 'ML05']
    """
    # The public arguments, translated once to files by level key.
    files = {key: (file, chosen) for key, file, chosen in
             (("adm2", adm2, adm2_layer), ("adm3", adm3, adm3_layer)) if file is not None}
    return _load(None if path is None else (path, layer), files, name_column, code_column)


def _load(top_file: _File | None, files: dict[str, _File], name_column: str | None,
          code_column: str | None) -> Boundaries:
    """Boundaries from the top level's file (``None``: the embedded units) and the files of
    finer levels by key; ``name_column`` / ``code_column`` apply to the first user file."""
    notes: list[str] = []
    credits: list[str] = []
    top = LEVELS[0]
    reused: dict[str, gpd.GeoDataFrame] = {}
    units: dict[str, gpd.GeoDataFrame] = {}
    # --name-column / --code-column: the ``path`` file, else the second level's file.
    columns_for = None if top_file is not None else LEVELS[1].key
    if top_file is None:
        units = {k: v for k, v in embedded().items() if k == top.key or k not in files}
        credits.append(EMBEDDED_ATTRIBUTION)
        source = "embedded"
    else:
        path, layer = top_file
        frame = read_file(path, layer, notes)
        found = detect_file_level(frame, path, LEVELS[1])
        if found.parent is not None and found.key not in files:
            units[top.key] = embedded()[top.key]
            credits.append(EMBEDDED_ATTRIBUTION)
            files = {**files, found.key: (path, layer)}
            reused[found.key] = frame
        else:
            units[top.key] = standardise(frame, path, top, name_column, code_column, notes,
                                         reference=_reference(top))
            credits.append(attribution(frame, path))
        source = str(path)
    for lv in LEVELS[1:]:
        if lv.key not in files:
            continue
        path, layer = files[lv.key]
        above = lv.parent
        if above is None or above.key not in units:
            raise UnreadableFile(f"{lv.label('en', plural=True).lower()} need their "
                                 f"{above.label('en', plural=True).lower() if above else ''}: "
                                 f"give an {above.key.upper() if above else ''} file too",
                                 file=path)
        raw = reused[lv.key] if lv.key in reused else read_file(path, layer, notes)
        detect_file_level(raw, path, lv)  # refuses a finer level given as this one
        chosen = lv.key == columns_for
        frame = standardise(raw, path, lv, name_column if chosen else None,
                            code_column if chosen else None, notes, reference=_reference(lv))
        units[lv.key] = attach_parents(frame, raw, units[above.key], path, notes, lv)
        credits.append(attribution(raw, path))
    first = units.pop(top.key)
    boundaries = Boundaries(adm1=first, attribution=tuple(dict.fromkeys(credits)),
                            source=source, warnings=notes)
    for key, frame in units.items():
        boundaries = boundaries.with_units(key, frame)
    return boundaries


def _reference(lv: Level) -> gpd.GeoDataFrame | None:
    """The embedded units of level ``lv`` (to recognise P-codes by outline), if any."""
    frames = embedded_frames()
    return frames[lv.number - 1] if lv.number <= len(frames) else None
