"""Words of the 3W snapshot report: looked up in the one table of :mod:`mali_map._core._i18n`.

The helpers keep the names the report code uses; the text, the punctuation and the
plural rule of each language live in :mod:`mali_map._core._i18n`.
"""

from __future__ import annotations

from .._core import clauses as _clauses
from .._core import label as _label
from .._core import number as _number
from .._core import pair as _pair
from .._core import plural as _plural


def word(key: str, lang: str) -> str:
    """A word of the report (or a shared label) in ``lang``.

    >>> word("kind", "fr"), word("region", "fr"), word("sector.gaps", "fr")[:31]
    ('Instantané 3W', 'Région', 'aucune activité signalée dans\\xa0:')
    """
    return _label(key, lang)


def pair(name: str, value: object, lang: str) -> str:
    """``name: value`` with the French space before the colon.

    >>> pair("Période", "2012", "fr")
    'Période\\xa0: 2012'
    """
    return _pair(name, value, lang)


def number(value: float, lang: str) -> str:
    """A whole number with thousands separators (narrow no-break space in French).

    >>> number(12345, "en"), number(12345.0, "fr")
    ('12,345', '12\\u202f345')
    """
    return _number(round(value), lang)


def counted(n: int, key: str, lang: str) -> str:
    """``n`` and its noun, singular or plural (French: singular for 0 and 1).

    >>> counted(1, "activities", "en"), counted(0, "activities", "fr")
    ('1 activity', '0 activité')
    """
    return _plural(f"n.{key}", n, lang)


def join_list(parts: list[str], lang: str) -> str:
    """Clauses of a generated sentence joined with ``;`` (French spacing)."""
    return _clauses(parts, lang)
