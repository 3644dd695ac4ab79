"""Look up Mali's towns and localities in the shipped gazetteer.

Two tables: the GeoNames places (CC BY 4.0, ``data/places/mali_places.csv``, built by
``scripts/build_places.py``) and a short supplementary table of localities that 3W
files name but GeoNames' cities500 lacks (``data/places/mali_places_extra.csv``, one
public source and licence per row; a place without a sourced coordinate has none and
is known at cercle level only).

Names are compared with the project's folding rule
(:func:`mali_map._reference._gazetteer.name_key`):
case, accents, punctuation and prefixes such as "commune de" do not matter. A name
shared by several places returns all of them; the caller decides.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from .._core import label
from ._data import embedded_extra_places_path, embedded_places_path
from ._gazetteer import name_key
from ._levels import LEVELS, Level

#: Attribution to show wherever a place from the gazetteer is used.
PLACES_ATTRIBUTION = label("attribution.geonames")


@dataclass(frozen=True)
class Place:
    """One populated place: coordinates (EPSG:4326) and the units that contain it.

    ``latitude``/``longitude`` are ``None`` for a place known only by its cercle;
    ``attribution`` names the source (and licence) to cite when the place is used.
    """

    name: str
    latitude: float | None
    longitude: float | None
    adm1_pcode: str
    adm2_pcode: str
    kind: str
    population: int | None
    geonameid: int | None
    attribution: str = PLACES_ATTRIBUTION

    def unit(self, level: Level) -> str | None:
        """The P-code of the unit of ``level`` the place lies in (``None``: the gazetteer
        does not carry that level).

        >>> [find_place("Kati")[0].unit(lv) for lv in LEVELS]
        ['ML02', 'ML0204', None]
        """
        return getattr(self, f"{level.key}_pcode", None)

    @property
    def finest(self) -> str:
        """The P-code of the finest unit the gazetteer gives for the place."""
        return next(p for p in (self.unit(lv) for lv in reversed(LEVELS)) if p is not None)


def find_place(name: str | None) -> list[Place]:
    """Every place of the gazetteer called ``name`` (any spelling it records), largest first.

    >>> [(p.name, p.adm1_pcode, p.adm2_pcode) for p in find_place("Tombouctou")]
    [('Timbuktu', 'ML06', 'ML0605')]
    >>> find_place("KATI")[0].adm2_pcode
    'ML0204'
    >>> sofara = find_place("Sofara")[0]
    >>> (sofara.adm2_pcode, sofara.latitude)
    ('ML0503', None)
    >>> find_place("Atlantis")
    []
    """
    key = name_key(name)
    return list(_index().get(key, ())) if key else []


def all_places() -> tuple[Place, ...]:
    """Every place of the gazetteer: the GeoNames table, then the supplementary one.

    >>> len(all_places()) > 90
    True
    """
    return tuple(place for place, _ in _rows())


@cache
def _rows() -> tuple[tuple[Place, tuple[str, ...]], ...]:
    """Each place with all the spellings its table records."""
    rows = []
    with embedded_places_path().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            place = Place(name=row["name"], latitude=float(row["latitude"]),
                          longitude=float(row["longitude"]), adm1_pcode=row["adm1_pcode"],
                          adm2_pcode=row["adm2_pcode"], kind=row["kind"],
                          population=int(row["population"]) if row["population"] else None,
                          geonameid=int(row["geonameid"]))
            rows.append((place, (row["name"], row["ascii_name"],
                                 *row["alternate_names"].split(";"))))
    with embedded_extra_places_path().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            located = bool(row["latitude"] and row["longitude"])
            place = Place(name=row["name"],
                          latitude=float(row["latitude"]) if located else None,
                          longitude=float(row["longitude"]) if located else None,
                          adm1_pcode=row["adm1_pcode"], adm2_pcode=row["adm2_pcode"],
                          kind="populated place", population=None, geonameid=None,
                          attribution=f"{row['publisher']} ({row['licence']})")
            rows.append((place, (row["name"], *row["alternate_names"].split(";"))))
    return tuple(rows)


@cache
def _index() -> dict[str, tuple[Place, ...]]:
    found: dict[str, dict[int, Place]] = {}
    for number, (place, spellings) in enumerate(_rows()):
        for spelling in spellings:
            key = name_key(spelling)
            if key:
                found.setdefault(key, {})[number] = place
    return {key: tuple(sorted(by_row.values(), key=lambda p: (-(p.population or 0), p.name)))
            for key, by_row in found.items()}
