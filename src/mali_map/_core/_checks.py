"""The checks every option goes through, wherever it is given (command line, recipe,
API, renderer): one rule per kind of value, one error type (:class:`OptionError`, a
``ValueError`` naming the option and what it expected), one case rule (choices are
compared case-insensitively and returned as spelled in the list).

The vocabularies of later stages are checked with these same functions where they are
defined (``mali_map._measure.check_scheme`` for classification schemes, the metric
registry for metrics): :func:`check_choice` is the one rule for any list of choices.

>>> check_choice("paper", "a4", PAPERS)
'A4'
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

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

__all__ = [
    "DPI_RANGE", "MAP_ID_LIMIT", "ORIENTATIONS", "PAPERS", "STATIC_FORMATS",
    "THRESHOLD_RANGE", "TILES", "TITLE_LIMIT", "check_aliases", "check_choice", "check_date",
    "check_dpi", "check_flag", "check_formats", "check_int", "check_language", "check_path",
    "check_sheet", "check_text", "check_threshold", "is_int", "production_date",
]


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


def check_choice(option: str, value: object, choices: Sequence[str]) -> str:
    """``value`` if it is one of ``choices`` (compared case-insensitively, surrounding
    spaces ignored), as spelled there; else :class:`OptionError` naming the choices.

    >>> check_choice("lang", "FR", LANGUAGES)
    'fr'
    >>> check_choice("scheme", "magic", ("quantiles", "equal_interval"))
    Traceback (most recent call last):
    ...
    mali_map.OptionError: scheme: expected one of quantiles, equal_interval, got 'magic'
    """
    if isinstance(value, str):
        wanted = value.strip().casefold()
        for choice in choices:
            if wanted == choice.casefold():
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


def check_formats(value: object, option: str = "static") -> tuple[str, ...]:
    """Static map formats from ``"png,pdf"`` or a list; ``()`` for none.

    >>> check_formats("PNG, svg")
    ('png', 'svg')
    """
    if value is None or value is False:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, Sequence) or isinstance(items, bytes):
        raise OptionError(option, f"a list of formats among {', '.join(STATIC_FORMATS)}", value)
    out = []
    for item in items:
        if isinstance(item, str) and not item.strip():
            continue
        out.append(check_choice(option, item.strip().lstrip(".") if isinstance(item, str)
                                else item, STATIC_FORMATS))
    if isinstance(value, str) and not out:
        raise OptionError(option, f"formats among {', '.join(STATIC_FORMATS)}", value)
    return tuple(dict.fromkeys(out))


def check_path(option: str, value: object) -> Path | None:
    """A file or folder path (text or :class:`~pathlib.Path`), or ``None``.

    >>> check_path("out", "maps")
    PosixPath('maps')
    """
    if value is None:
        return None
    if isinstance(value, str | Path) and str(value).strip() and "\x00" not in str(value):
        return Path(value)
    raise OptionError(option, "a file or folder path", value)


def check_aliases(option: str, value: object) -> dict[str, str]:
    """A table of ``NAME = TARGET`` spellings, both sides non-empty text (trimmed).

    >>> check_aliases("region_aliases", {" Bélédougou ": "ML02"})
    {'Bélédougou': 'ML02'}
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise OptionError(option, "a table of NAME = TARGET", value)
    out = {}
    for name, target in value.items():
        if (not isinstance(name, str) or not isinstance(target, str) or not name.strip()
                or not target.strip()):
            raise OptionError(option, "NAME = TARGET with non-empty text on both sides",
                              f"{name}={target}")
        out[name.strip()] = target.strip()
    return out


def check_sheet(value: object, option: str = "sheet") -> str | int | None:
    """An XLSX sheet: a name, or a 0-based index (digits in text count as an index).

    >>> check_sheet("2"), check_sheet("3W"), check_sheet(None)
    (2, '3W', None)
    """
    if value is None or is_int(value):
        if is_int(value) and value < 0:
            raise OptionError(option, "a sheet name or a 0-based index", value)
        return value
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else value
    raise OptionError(option, "a sheet name or a 0-based index", value)


def check_date(value: object, option: str = "date") -> str | None:
    """A fixed production date as ``YYYY-MM-DD``; ``None`` (or ``True``) for the default.

    >>> check_date("2024-05-31"), check_date(True)
    ('2024-05-31', None)
    """
    if value is None or value is True:
        return None
    if isinstance(value, bool):
        raise OptionError(option, "a date written YYYY-MM-DD (or none for today)", value)
    return production_date(value, option).isoformat()


def check_flag(option: str, value: object) -> bool:
    """``True`` or ``False``, nothing else (``"yes"`` or ``1`` are refused).

    >>> check_flag("strict", True)
    True
    """
    if not isinstance(value, bool):
        raise OptionError(option, "true or false", value)
    return value
