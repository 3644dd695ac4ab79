"""Shared fixtures: paths to the repository, the optional ../shared data, the seed join."""

from __future__ import annotations

from pathlib import Path

import pytest

import mali_map

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GEOBOUNDARIES = SHARED / "data" / "geoboundaries-mli"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def geoboundaries() -> Path:
    """The real geoBoundaries Mali files; tests using them skip when ../shared is absent."""
    if not (GEOBOUNDARIES / "geoBoundaries-MLI-ADM2_simplified.geojson").is_file():
        pytest.skip(f"real geoBoundaries files not available: {GEOBOUNDARIES} is absent "
                    "(they live in ../shared beside the checkout)")
    return GEOBOUNDARIES


@pytest.fixture(scope="session")
def embedded() -> mali_map.Boundaries:
    return mali_map.load_boundaries()


@pytest.fixture(scope="session")
def seed_result() -> mali_map.JoinResult:
    return mali_map.join_files()
