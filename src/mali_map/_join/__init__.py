"""The join: records placed in admin units, the join report, and the JoinResult type."""

from ._join import (
    join,
    summarise,
)
from ._model import (
    REPORT_COLUMNS,
    STATUSES,
    JoinResult,
    joined_levels,
    register_display,
    report_columns,
)

__all__ = [
    "JoinResult",
    "REPORT_COLUMNS",
    "STATUSES",
    "join",
    "joined_levels",
    "register_display",
    "report_columns",
    "summarise",
]
