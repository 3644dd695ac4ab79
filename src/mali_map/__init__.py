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
from importlib import metadata as _metadata
from typing import Any as _Any

from ._aggregate import aggregate, metric_classes, unit_totals
from ._arguments import checked as _checked
from ._boundaries import load_boundaries
from ._classify import Classes, classify
from ._data import embedded_regions_path, seed_records_path
from ._errors import (
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
)
from ._html import InteractiveMap, interactive_map, render_site
from ._join import join, summarise
from ._geomodel import Boundaries
from ._model import JoinResult
from ._notebook import short_repr as _short_repr  # registers JoinResult's display
from ._options import Options
from ._outputs import write_data_outputs
from ._pipeline import join_files, read_report, write_report
from ._places import Place, find_place
from ._validate import load_records
from ._vocabulary import SECTORS, sector_label

try:
    __version__ = _metadata.version("mali-map")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

#: Names served on first use from modules with optional dependencies.
_LAZY = {"export_map": "_export", "export_static": "_export", "static_map": "_export",
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
