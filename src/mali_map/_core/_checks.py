"""The checks every option goes through, wherever it is given (command line, recipe,
API, renderer): one rule per kind of value, one error type (:class:`OptionError`, a
``ValueError`` naming the option and what it expected), one case rule (choices are
compared case-insensitively and returned as spelled in the list).

>>> check_choice("paper", "a4", PAPERS)
'A4'
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Sequence
from datetime import UTC, date, datetime

from ._errors import OptionError
from ._i18n import LANGUAGES

TILES: tuple[str, ...] = ("none", "osm")
PAPERS: tuple[str, ...] = ("A4", "A3")
ORIENTATIONS: tuple[str, ...] = ("landscape", "portrait")
STATIC_FORMATS: tuple[str, ...] = ("png", "pdf", "svg")
DPI_RANGE = (1, 1200)
THRESHOLD_RANGE = (0.0, 100.0)
MAP_ID_LIMIT = 40
TITLE_LIMIT = 200


def is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)  # numpy's too


def check_int(option: str, value: object, low: int, high: int) -> int:
    """``value`` as an int within ``low``–``high``, else :class:`OptionError`.

    >>> check_int("classes", 9, 1, 9)
    9
    """
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        value = int(value)
    if not is_int(value) or not low <= value <= high:
        raise OptionError(option, f"a whole number from {low} to {high}", value)
    return int(value)


def check_dpi(value: object, option: str = "dpi") -> int:
    """A PNG resolution in dots per inch, 1–1200.

    >>> check_dpi(300)
    300
    """
    return check_int(option, value, *DPI_RANGE)


def check_threshold(value: object, option: str = "fuzzy_threshold") -> float:
    """A fuzzy-match score threshold: a finite number from 0 to 100.

    >>> check_threshold("90")
    90.0
    """
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or not THRESHOLD_RANGE[0] <= number <= THRESHOLD_RANGE[1]:
        raise OptionError(option, "a number from 0 to 100", value)
    return number


def check_choice(option: str, value: object, choices: Sequence[str], *,
                 fold: bool = True) -> str:
    """``value`` if it is one of ``choices`` (compared case-insensitively), as spelled there.

    >>> check_choice("lang", "FR", LANGUAGES)
    'fr'
    """
    if isinstance(value, str):
        for choice in choices:
            if value == choice or (fold and value.strip().casefold() == choice.casefold()):
                return choice
    raise OptionError(option, f"one of {', '.join(choices)}", value)


def check_language(value: object, option: str = "lang") -> str:
    """A supported language code, any case (``FR`` -> ``fr``)."""
    return check_choice(option, value, LANGUAGES)


def check_text(option: str, value: object, limit: int) -> str | None:
    """Optional one-line text of at most ``limit`` characters, no control characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise OptionError(option, "text", value)
    if len(value) > limit:
        raise OptionError(option, f"at most {limit} characters", value)
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
        raise OptionError(option, "one line of text without control characters", value)
    return value.strip() or None


def production_date(value: object = None, option: str = "date") -> date:
    """The production date printed on maps and reports, the one rule for every output.

    ``value`` as a date (a :class:`datetime.date` or ``YYYY-MM-DD`` text); ``None`` or
    ``True``: the day of ``$SOURCE_DATE_EPOCH`` (UTC) when it is set, for reproducible
    builds, else today. A bad value raises :class:`OptionError` (a ``ValueError``) naming
    ``option``.

    >>> production_date("2026-03-01")
    datetime.date(2026, 3, 1)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is not None and value is not True:
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise OptionError(option, "a date written YYYY-MM-DD", value) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError, OSError):
            raise OptionError("SOURCE_DATE_EPOCH", "a Unix time in seconds", epoch) from None
    return date.today()
