"""Which pages a build has and how a user names one; shared by the HTML and static maps.

A build has an overview, one page per first-level unit with at least one placed
record (slugged by its French name) and one per sector named by a record
(canonical sectors in vocabulary order, then others A–Z).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from .._core import cell_text, fold, slugify
from .._geo import Boundaries
from .._join import JoinResult
from .._reference import SECTOR_BY_KEY, SECTORS, Level, unit_name, unit_names  # noqa: F401 (the one look-up, re-exported)
from .._reference import find_sector as _canonical_sector

#: Longest slug, before any ``-2`` suffix.
SLUG_LIMIT = 60

#: Names Windows reserves for devices, with any extension (``con.html``, ``nul.png``).
WINDOWS_RESERVED: frozenset[str] = frozenset(
    {"con", "prn", "aux", "nul", *(f"{dev}{n}" for dev in ("com", "lpt") for n in range(10))})


def unique_slugs(names: Iterable[str]) -> list[str]:
    """ASCII file-name slugs, de-duplicated with ``-2``, ``-3``...

    A name Windows reserves for a device (``con``, ``aux``, ``lpt1``...) gets ``-page``.

    >>> unique_slugs(["Ségou", "Segou", "../etc", "CON"])
    ['segou', 'segou-2', 'etc', 'con-page']
    """
    used: set[str] = set()
    out = []
    for name in names:
        base = slugify(name)[:SLUG_LIMIT].strip("-") or "unnamed"
        if base in WINDOWS_RESERVED:
            base += "-page"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        out.append(slug)
    return out


def sector_order(keys: Iterable[object]) -> list[str]:
    """Distinct non-empty sector keys: canonical ones in vocabulary order, then others A–Z.

    >>> sector_order(["wash", "Astrologie", "health", None, "wash"])
    ['health', 'wash', 'Astrologie']
    """
    present = {cell_text(k) for k in keys} - {""}
    known = [s.key for s in SECTORS if s.key in present]
    return known + sorted(present - set(known), key=str.casefold)


def page_selection(result: JoinResult) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(pcode, slug)`` of each region page and ``(sector key, slug)`` of each sector page.

    >>> from mali_map._build._pipeline import join_files
    >>> regions, sectors = page_selection(join_files())
    >>> ("ML06", "tombouctou") in regions and ("health", "health") in sectors
    True
    """
    top = result.boundaries.levels[0]
    units = result.boundaries.units(top)
    french = units["name_fr"] if "name_fr" in units.columns else units["name"]
    placed = {cell_text(p) for p in result.records[top.unit_column].dropna().unique()} - {""}
    regions = [(cell_text(p), cell_text(fr) or cell_text(n))
               for p, fr, n in zip(units["pcode"], french, units["name"], strict=True)
               if cell_text(p) in placed]
    sectors = sector_order(result.records["sector"].dropna().unique())
    return (list(zip([p for p, _ in regions], unique_slugs(n for _, n in regions), strict=True)),
            list(zip(sectors, unique_slugs(sectors), strict=True)))


#: The folder of each kind of page below the output folder.
PAGE_FOLDERS: dict[str, str] = {"overview": "", "region": "regions", "sector": "sectors"}


@dataclass(frozen=True)
class SitePage:
    """One page of a build, the same for the HTML site and the static maps: the
    overview, a region (``key`` its P-code) or a sector (``key`` its sector key)."""

    kind: str = "overview"
    key: str | None = None
    slug: str = ""

    @property
    def folder(self) -> str:
        """Its folder: ``""``, ``"regions"`` or ``"sectors"``."""
        return PAGE_FOLDERS[self.kind]

    @property
    def depth(self) -> int:
        """Folders between it and the output folder's root."""
        return 0 if self.kind == "overview" else 1

    def stem(self, overview: str) -> str:
        """Its path without extension; the overview is named ``overview``.

        >>> SitePage("region", "ML05", "mopti").stem("index"), SitePage().stem("index")
        ('regions/mopti', 'index')
        """
        return overview if self.kind == "overview" else f"{self.folder}/{self.slug}"

    @property
    def name(self) -> str:
        """Its name in file names that say what a map shows (``region-mopti``)."""
        return "overview" if self.kind == "overview" else f"{self.kind}-{self.slug}"


def site_pages(result: JoinResult) -> list[SitePage]:
    """The one list of pages of a build: the overview, the region pages and the sector
    pages of :func:`page_selection`, in that order.

    >>> from mali_map._build._pipeline import join_files
    >>> [p.stem("index") for p in site_pages(join_files())][:3]
    ['index', 'regions/mopti', 'regions/tombouctou']
    """
    regions, sectors = page_selection(result)
    return [SitePage(),
            *(SitePage("region", pcode, slug) for pcode, slug in regions),
            *(SitePage("sector", key, slug) for key, slug in sectors)]


def find_region(result: JoinResult, region: str) -> str:
    """The P-code of the first-level unit that ``region`` names: a P-code (or a cercle's),
    an ISO code, a name in any spelling the join accepts, an alias, or a close spelling.

    The same look-up as the join (:meth:`Boundaries.index`), so text that places a record
    selects its region.

    >>> from mali_map._build._pipeline import join_files
    >>> result = join_files()
    >>> [find_region(result, r) for r in ("Timbuktu", "Région de Ségou", "ML-4", "segou")]
    ['ML06', 'ML04', 'ML04', 'ML04']
    """
    index = result.boundaries.index(result.boundaries.levels[0].key)
    found = index.find(region)
    if found is None or found.others:
        why = "" if found is None else f" (it names {len(found.others) + 1} regions)"
        raise ValueError(f"unknown region {region!r}{why}; choose a P-code or name: "
                         f"{index.choices()}")
    return found.pcode


def find_unit(result: JoinResult, unit: str) -> str:
    """The P-code of the unit of any loaded level that ``unit`` names.

    A P-code of a unit of any level selects that unit; other text is looked up exactly
    (code, name, alias) in each level's index, top down, so "Mopti" is the region; then
    as :func:`find_region` does (close spellings of a first-level unit), then by close
    spelling in each lower level.

    >>> from mali_map._build._pipeline import join_files
    >>> result = join_files()
    >>> [find_unit(result, u) for u in ("ML0503", "Tombouctou", "Djenné")]
    ['ML0503', 'ML06', 'ML0503']
    """
    bounds = result.boundaries
    code = cell_text(unit)
    for lv in bounds.levels:
        if (bounds.units(lv)["pcode"].astype(str) == code).any():
            return code
    for lv in bounds.levels:
        found = bounds.index(lv.key).find(unit, threshold=None)
        if found is not None and not found.others:
            return found.pcode
    try:
        return find_region(result, unit)
    except ValueError:
        for lv in bounds.levels[1:]:
            found = bounds.index(lv.key).find(unit)
            if found is not None and not found.others:
                return found.pcode
        raise


def find_sector(result: JoinResult, sector: str) -> str:
    """The sector key that ``sector`` names: a key, a label or synonym, or a sector as written.

    >>> from mali_map._build._pipeline import join_files
    >>> find_sector(join_files(), "Santé")
    'health'
    """
    present = sector_order(result.records["sector"].dropna().unique())
    if sector in present or sector in SECTOR_BY_KEY:
        return sector
    canonical = _canonical_sector(sector)
    if canonical is not None:
        return canonical.key
    for raw in present:
        if fold(raw) == fold(sector):
            return raw
    raise ValueError(f"unknown sector {sector!r}; sectors in the data: "
                     f"{', '.join(present) or 'none'}")


# --------------------------------------------------------------------------- scopes
# One rule for what a page draws, read by the HTML pages and the static maps alike: the
# overview draws the top level; the page of a unit of level L draws the units of level
# L + 1 inside it, when that level is loaded, else the unit itself.


def unit_level(boundaries: Boundaries, pcode: str) -> Level:
    """The loaded level ``pcode`` is a unit of (``ValueError`` if none).

    >>> from mali_map._geo import load_boundaries
    >>> unit_level(load_boundaries(), "ML0503").key
    'adm2'
    """
    for lv in boundaries.levels:
        units = boundaries.units(lv)
        if units is not None and (units["pcode"] == pcode).any():
            return lv
    raise ValueError(f"{pcode!r} is no unit of the loaded boundaries")


def drawn_level(boundaries: Boundaries, pcode: str | None = None) -> Level:
    """The level whose units a page draws: the top level for the overview (``None``),
    else the level below the unit's own when loaded, else the unit's own level.

    >>> from mali_map._geo import load_boundaries
    >>> b = load_boundaries()
    >>> drawn_level(b).key, drawn_level(b, "ML05").key, drawn_level(b, "ML0503").key
    ('adm1', 'adm2', 'adm2')
    """
    loaded = boundaries.levels
    if pcode is None:
        return loaded[0]
    own = unit_level(boundaries, pcode)
    return loaded[own.number] if own.number < len(loaded) else own


def units_within(boundaries: Boundaries, pcode: str | None, level: Level) -> gpd.GeoDataFrame:
    """The units of ``level`` inside the unit ``pcode`` (all of them for ``None``), by
    following each unit's ``parent_pcode`` up to the unit's level.

    >>> from mali_map._geo import load_boundaries
    >>> sorted(units_within(load_boundaries(), "ML05", drawn_level(load_boundaries(), "ML05"))
    ...        ["pcode"])[:2]
    ['ML0501', 'ML0502']
    """
    units = boundaries.units(level)
    if units is None:
        raise ValueError(f"no {level.key} boundaries loaded")
    if pcode is None:
        return units
    own = unit_level(boundaries, pcode)
    if own.number == level.number:
        return units[units["pcode"] == pcode]
    ancestors = units["pcode"].astype(object)
    for lv in reversed(boundaries.levels[own.number:level.number]):
        frame = boundaries.units(lv)
        parents = dict(zip(frame["pcode"], frame.get("parent_pcode",
                                                      pd.Series(None, index=frame.index)),
                           strict=True))
        ancestors = ancestors.map(parents)
    return units[(ancestors == pcode).to_numpy()]
