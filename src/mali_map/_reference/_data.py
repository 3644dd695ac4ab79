"""Where the shipped data lives: in an installed wheel, or in the source checkout."""

from __future__ import annotations

from pathlib import Path

from .._core import reference_path  # the one rule lives in mali_map._core._data
from .._core import shipped_path as _shipped


def embedded_regions_path() -> Path:
    """The shipped first-level boundaries (geoBoundaries, pre-2016 regions).

    >>> embedded_regions_path().name
    'mali_adm1.geojson'
    """
    return _shipped("mali_adm1.geojson", "regions/mali_adm1.geojson")


def embedded_cercles_path() -> Path:
    """The shipped second-level boundaries (geoBoundaries cercles with OCHA P-codes).

    >>> embedded_cercles_path().name
    'mali_adm2.geojson'
    """
    return _shipped("mali_adm2.geojson", "regions/mali_adm2.geojson")


def embedded_places_path() -> Path:
    """The shipped gazetteer of Mali's towns and localities (GeoNames).

    >>> embedded_places_path().name
    'mali_places.csv'
    """
    return _shipped("mali_places.csv", "places/mali_places.csv")


def embedded_extra_places_path() -> Path:
    """The shipped supplementary places (sourced by hand, one source per row).

    >>> embedded_extra_places_path().name
    'mali_places_extra.csv'
    """
    return _shipped("mali_places_extra.csv", "places/mali_places_extra.csv")


def seed_records_path() -> Path:
    """The seed dataset built from the HI and UNICEF Mali pages.

    >>> seed_records_path().read_text(encoding="utf-8").split(",")[0]
    'id'
    """
    return _shipped("interventions.csv", "interventions.csv")


def reforms_path() -> Path:
    """The table of unit codes and names across reforms, and named areas.

    >>> reforms_path().name
    'reforms.csv'
    """
    return reference_path("reforms.csv")
