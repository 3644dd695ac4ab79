"""Reading records: bytes, CSV and workbooks, header and HXL recognition, validation into
the canonical record fields.
"""

from ._fields import (
    RECORD_FIELDS,
    record_fields,
)
from ._validate import (
    MALI_NAMES,
    NATIONAL_MARKERS,
    load_records,
)

__all__ = [
    "MALI_NAMES",
    "NATIONAL_MARKERS",
    "RECORD_FIELDS",
    "record_fields",
    "load_records",
]
