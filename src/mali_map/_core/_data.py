"""Where the shipped data lives: in an installed wheel, or in the source checkout.

The one rule for finding a shipped file, used by :mod:`mali_map._core` itself (the
interface-text table) and by :mod:`mali_map._reference` (every other table).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["reference_path", "shipped_path"]

_REPO_DATA = Path(__file__).resolve().parents[3] / "data"


def shipped_path(packaged_name: str, repo_relative: str) -> Path:
    """``mali_map/_data/<packaged_name>`` in a wheel, else ``data/<repo_relative>``.

    >>> shipped_path("reference/levels.toml", "reference/levels.toml").name
    'levels.toml'
    """
    packaged = resources.files("mali_map") / "_data" / packaged_name
    if packaged.is_file():
        return Path(str(packaged))
    return _REPO_DATA / repo_relative


def reference_path(name: str) -> Path:
    """A shipped reference table of ``data/reference/`` (see its README).

    >>> reference_path("strings.toml").name
    'strings.toml'
    """
    return shipped_path(f"reference/{name}", f"reference/{name}")
