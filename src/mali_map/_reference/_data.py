"""Where the shipped data lives: in an installed wheel, or in the source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_DATA = Path(__file__).resolve().parents[3] / "data"


def _shipped(packaged_name: str, repo_relative: str) -> Path:
    packaged = resources.files("mali_map") / "_data" / packaged_name
    if packaged.is_file():
        return Path(str(packaged))
    return _REPO_DATA / repo_relative


def reference_path(name: str) -> Path:
    """A shipped reference table of ``data/reference/`` (see its README).

    >>> reference_path("levels.toml").name
    'levels.toml'
    """
    return _shipped(f"reference/{name}", f"reference/{name}")


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
