"""The canonical fields of a record, the one list every reader, join and output uses.

Records (``load_records``) are a :class:`pandas.DataFrame` with one row per input
data row and these columns, plus ``row``: the line number of that row in the source
file (1-based, counting the header and any HXL row). Missing values are
``pd.NA``/``NaN``/``None``.
"""

from __future__ import annotations

from .._reference import LEVELS

__all__ = ["RECORD_FIELDS", "record_fields"]

#: Record fields before the level fields, and after them, in display order.
_BEFORE_LEVELS: tuple[str, ...] = (
    "id",
    "organisation",
    "sector",          # canonical sector key (see _vocabulary) or the text as written
    "activity",
)
_AFTER_LEVELS: tuple[str, ...] = (
    "place",
    "latitude",        # float, EPSG:4326
    "longitude",       # float, EPSG:4326
    "start_date",      # ISO text: "2016", "2016-03" or "2016-03-01"
    "end_date",
    "status",
    "reached",         # float beneficiaries reached, NaN where not stated
    "targeted",
    "precision",       # point / admin2 / admin1 / national
    "description",
    "source",
    "source_text",
    "country",         # the row's country as written (rows of another country are not placed)
)


def record_fields() -> tuple[str, ...]:
    """The record fields with the code and name fields of every registered level that
    records carry (:data:`~mali_map._reference.LEVELS`), read at call time.

    >>> record_fields()[4:8]
    ('adm1_pcode', 'adm1_name', 'adm2_pcode', 'adm2_name')
    """
    levels = tuple(f for lv in LEVELS for f in (lv.record_code, lv.record_name) if f)
    return (*_BEFORE_LEVELS, *levels, *_AFTER_LEVELS)


#: The record fields of the levels registered at import (prefer :func:`record_fields`).
RECORD_FIELDS: tuple[str, ...] = record_fields()
