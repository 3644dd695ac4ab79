"""The ``mali-map`` command."""

from ._main import (
    run,
)

__all__ = [
    "run",
]
