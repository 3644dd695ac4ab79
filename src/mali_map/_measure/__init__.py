"""Measuring: the metric registry, the cube every number is reduced from, aggregates and
class breaks.
"""

from ._aggregate import (
    UNIT,
    _sector_totals,
    _unit_totals,
    aggregate,
    classes_by_metric,
    metric_classes,
    placed_records,
    record_cube,
    unit_totals,
)
from ._classify import (
    CLASSES_RANGE,
    NO_DATA_COLOUR,
    SCHEMES,
    Classes,
    check_classes,
    check_scheme,
    classify,
    require_scheme,
)
from ._metrics import (
    METRIC_KEYS,
    METRICS,
    REGISTRY,
    ROWS,
    cube,
    descriptors,
    metric,
    reduce_cube,
    sum_columns,
)

__all__ = [
    "CLASSES_RANGE",
    "Classes",
    "METRICS",
    "METRIC_KEYS",
    "NO_DATA_COLOUR",
    "REGISTRY",
    "ROWS",
    "SCHEMES",
    "UNIT",
    "_sector_totals",
    "_unit_totals",
    "aggregate",
    "check_classes",
    "check_scheme",
    "classify",
    "cube",
    "descriptors",
    "metric",
    "classes_by_metric",
    "metric_classes",
    "placed_records",
    "record_cube",
    "reduce_cube",
    "require_scheme",
    "sum_columns",
    "unit_totals",
]
