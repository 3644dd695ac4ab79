"""Look up Mali's towns and localities in the shipped gazetteer (GeoNames, CC BY 4.0).

Names are compared with the project's folding rule (:func:`mali_map._gazetteer.name_key`):
case, accents, punctuation and prefixes such as "commune de" do not matter. A name
shared by several places returns all of them; the caller decides.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from ._data import embedded_places_path
from ._gazetteer import name_key

#: Attribution to show wherever a place from the gazetteer is used.
PLACES_ATTRIBUTION = "GeoNames (CC BY 4.0)"


@dataclass(frozen=True)
class Place:
    """One populated place: coordinates (EPSG:4326) and the units that contain it."""

    name: str
    latitude: float
    longitude: float
    adm1_pcode: str
    adm2_pcode: str
    kind: str
    population: int | None
    geonameid: int


def find_place(name: str | None) -> list[Place]:
    """Every place of the gazetteer called ``name`` (any spelling it records), largest first.

    >>> [(p.name, p.adm1_pcode, p.adm2_pcode) for p in find_place("Tombouctou")]
    [('Timbuktu', 'ML06', 'ML0605')]
    >>> find_place("KATI")[0].adm2_pcode
    'ML0204'
    >>> find_place("Atlantis")
    []
    """
    key = name_key(name)
    return list(_index().get(key, ())) if key else []


def all_places() -> tuple[Place, ...]:
    """Every place of the gazetteer, in file order.

    >>> len(all_places()) > 90
    True
    """
    return _load()


@cache
def _load() -> tuple[Place, ...]:
    with embedded_places_path().open(encoding="utf-8", newline="") as handle:
        return tuple(
            Place(name=row["name"], latitude=float(row["latitude"]),
                  longitude=float(row["longitude"]), adm1_pcode=row["adm1_pcode"],
                  adm2_pcode=row["adm2_pcode"], kind=row["kind"],
                  population=int(row["population"]) if row["population"] else None,
                  geonameid=int(row["geonameid"]))
            for row in csv.DictReader(handle))


@cache
def _index() -> dict[str, tuple[Place, ...]]:
    found: dict[str, dict[int, Place]] = {}
    with embedded_places_path().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for place, row in zip(_load(), rows, strict=True):
        spellings = (row["name"], row["ascii_name"], *row["alternate_names"].split(";"))
        for spelling in spellings:
            key = name_key(spelling)
            if key:
                found.setdefault(key, {})[place.geonameid] = place
    return {key: tuple(sorted(by_id.values(), key=lambda p: (-(p.population or 0), p.name)))
            for key, by_id in found.items()}
