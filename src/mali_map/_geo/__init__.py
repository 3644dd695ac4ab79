"""Boundaries: loading any boundary file, the unit look-up (code, name, alias, fuzzy),
simplification for pages.
"""

from ._boundaries import (
    load_boundaries,
)
from ._geometry import (
    COORD_DECIMALS,
    SimpleBoundaries,
    simplify_boundaries,
    simplify_units,
)
from ._lookup import (
    FUZZY_THRESHOLD,
    UnitIndex,
)
from ._model import (
    Boundaries,
)

__all__ = [
    "Boundaries",
    "COORD_DECIMALS",
    "FUZZY_THRESHOLD",
    "SimpleBoundaries",
    "UnitIndex",
    "load_boundaries",
    "simplify_boundaries",
    "simplify_units",
]
