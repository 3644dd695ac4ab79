"""The join: records placed in admin units, the join report, and the JoinResult type."""

from ._join import (
    join,
    summarise,
)
from ._model import (
    STATUSES,
    JoinResult,
    register_display,
)

__all__ = [
    "JoinResult",
    "STATUSES",
    "join",
    "register_display",
    "summarise",
]
