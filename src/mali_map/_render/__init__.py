"""Rendering: what both renderers share (pages of a scope, sector styles, the notebook
card); ``html`` and ``static`` are independent of each other.
"""

from ._notebook import (
    short_repr,
    summary_card,  # registers JoinResult's display
)
from ._pages import (
    SitePage,
    drawn_level,
    sector_order,
    site_pages,
    unit_level,
    units_within,
)

__all__ = [
    "SitePage",
    "site_pages",
    "drawn_level",
    "unit_level",
    "units_within",
    "sector_order",
    "short_repr",
    "summary_card",
]
