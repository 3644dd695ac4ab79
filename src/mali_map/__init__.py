"""mali-map: map who does what where in Mali.

The pipeline stages are the modules, each visited once per record::

    load_records / load_boundaries  ->  join  ->  aggregate / unit_totals
        ->  interactive_map / render_site (HTML)  and  static_map / export_static (PNG, PDF, SVG)

>>> import mali_map
>>> result = mali_map.join_files()          # seed dataset + embedded regions
>>> sorted(mali_map.summarise(result))
['conflicts', 'invalid', 'matched', 'multi', 'national', 'rows', 'unmatched', 'warning']
"""

from ._aggregate import aggregate, metric_classes, unit_totals
from ._boundaries import load_boundaries
from ._classify import Classes, classify
from ._data import embedded_regions_path, seed_records_path
from ._errors import (
    BadValue,
    InputError,
    InputFileNotFound,
    MaliMapError,
    MissingColumns,
    OutputError,
    UnreadableFile,
)
from ._export import export_map, export_static, static_map
from ._html import InteractiveMap, interactive_map, render_site
from ._join import join, summarise
from ._model import Boundaries, JoinResult
from ._pipeline import join_files, read_report, write_report
from ._validate import load_records
from ._vocabulary import SECTORS, sector_label

__version__ = "0.1.0"

__all__ = [
    "BadValue",
    "Boundaries",
    "Classes",
    "InputError",
    "InputFileNotFound",
    "InteractiveMap",
    "JoinResult",
    "MaliMapError",
    "MissingColumns",
    "OutputError",
    "SECTORS",
    "UnreadableFile",
    "__version__",
    "aggregate",
    "classify",
    "embedded_regions_path",
    "export_map",
    "export_static",
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
    "static_map",
    "summarise",
    "unit_totals",
    "write_report",
]
