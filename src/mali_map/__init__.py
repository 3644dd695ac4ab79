"""mali-map: map who does what where in Mali.

The pipeline stages are the modules, each visited once per record::

    load_records / load_boundaries  ->  join  ->  aggregate / unit_totals
        ->  interactive_map / render_site (HTML)  and  static_map / export_static (PNG, PDF, SVG)
        ->  snapshot (the 3W report: PDF or HTML)

>>> import mali_map
>>> result = mali_map.join_files()          # seed dataset + embedded regions
>>> sorted(mali_map.summarise(result))
['conflicts', 'invalid', 'matched', 'multi', 'national', 'rows', 'unmatched', 'warning']

Static maps (``static_map``, ``export_map``, ``export_static``) need the optional
``mali-map[static]`` dependencies; they are imported on first use, so
``import mali_map`` never imports matplotlib.
"""

import inspect as _inspect
from typing import Any as _Any

from . import _render  # noqa: F401  (registers JoinResult's display)
from ._build import Options, join_files, read_report, write_report
from ._core import (
    ArgumentError,
    BadValue,
    InputError,
    InputFileNotFound,
    MaliMapError,
    MissingColumns,
    MissingExtra,
    OptionError,
    OutputError,
    UnreadableFile,
    __version__,
)
from ._core import checked as _checked
from ._geo import Boundaries, load_boundaries
from ._join import JoinResult, join, summarise
from ._measure import Classes, aggregate, classify, metric_classes, unit_totals
from ._outputs import write_data_outputs
from ._read import load_records
from ._reference import (
    SECTORS,
    Place,
    embedded_regions_path,
    find_place,
    sector_label,
    seed_records_path,
)
from ._render.html import InteractiveMap, interactive_map, render_site

#: Names served on first use from modules with optional dependencies.
_LAZY = {"export_map": "_render.static", "export_static": "_render.static",
         "static_map": "_render.static",
         "snapshot": "_snapshot", "SnapshotOptions": "_snapshot"}


def __getattr__(name: str) -> _Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
        if _inspect.isfunction(value):
            value = _checked(value)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ArgumentError",
    "BadValue",
    "Boundaries",
    "Classes",
    "InputError",
    "InputFileNotFound",
    "InteractiveMap",
    "JoinResult",
    "MaliMapError",
    "MissingColumns",
    "MissingExtra",
    "OptionError",
    "Options",
    "OutputError",
    "Place",
    "SECTORS",
    "SnapshotOptions",
    "UnreadableFile",
    "__version__",
    "aggregate",
    "classify",
    "embedded_regions_path",
    "export_map",
    "export_static",
    "find_place",
    "interactive_map",
    "join",
    "join_files",
    "load_boundaries",
    "load_records",
    "metric_classes",
    "read_report",
    "render_site",
    "sector_label",
    "seed_records_path",
    "snapshot",
    "static_map",
    "summarise",
    "unit_totals",
    "write_data_outputs",
    "write_report",
]


def _check_public_functions() -> None:
    """Every public function checks its arguments' types (see ``_arguments``)."""
    namespace = globals()
    for name in __all__:
        if name not in _LAZY and _inspect.isfunction(namespace[name]):
            namespace[name] = _checked(namespace[name])


_check_public_functions()
