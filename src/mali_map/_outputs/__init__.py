"""Data outputs: the GeoPackage, the XLSX workbook and CSV tables."""

from ._tables import (
    write_data_outputs,
)

__all__ = [
    "write_data_outputs",
]
