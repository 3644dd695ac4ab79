"""A build: the Options every entry point checks, recipes, and the join_files/report pipeline."""

from ._options import (
    CLASSES_RANGE,
    DPI_RANGE,
    LANGUAGES,
    METRIC_CHOICES,
    OPTION_NAMES,
    ORIENTATIONS,
    PAPERS,
    SCHEME_CHOICES,
    STATIC_FORMATS,
    TILES,
    Options,
    check_language,
    merge,
    read_recipe,
    starter_recipe,
)
from ._pipeline import (
    join_files,
    read_report,
    write_report,
)

__all__ = [
    "CLASSES_RANGE",
    "DPI_RANGE",
    "LANGUAGES",
    "METRIC_CHOICES",
    "OPTION_NAMES",
    "ORIENTATIONS",
    "Options",
    "PAPERS",
    "SCHEME_CHOICES",
    "STATIC_FORMATS",
    "TILES",
    "check_language",
    "join_files",
    "merge",
    "read_recipe",
    "read_report",
    "starter_recipe",
    "write_report",
]
