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
    Flag,
    Options,
    check_language,
    flag_of,
    merge,
)
from ._pipeline import (
    join_files,
    read_report,
    write_report,
)
from ._recipe import (
    read_recipe,
    starter_recipe,
)

__all__ = [
    "CLASSES_RANGE",
    "DPI_RANGE",
    "Flag",
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
    "flag_of",
    "join_files",
    "merge",
    "read_recipe",
    "read_report",
    "starter_recipe",
    "write_report",
]
