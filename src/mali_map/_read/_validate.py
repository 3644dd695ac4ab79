"""Parse and normalise the raw text of a 3W table, collecting per-row problems.

:func:`validate_records` takes the output of :func:`mali_map._read._io.read_records`
and returns the records table described in :mod:`mali_map._join._model`, with two
more columns: ``issues`` (a tuple of one-line warnings about values that were
ignored or kept as written) and ``invalid`` (``None``, or why the row cannot be
used at all). :func:`load_records` does both steps.

Precision, when the ``precision`` column is blank, is inferred from the most
detailed location the row gives: ``point`` (valid coordinates), ``admin2`` (a
cercle name or pcode), ``admin1`` (a region name or pcode), ``national`` (a
region or place such as "Mali", "National", "Tout le pays"); a row with only a
place name, or only another country, gets no precision (the join decides). A
stated precision wins unless it is ``point`` without valid coordinates. A row is
``invalid`` when it has no region, cercle, place, other country, valid
coordinates or ``national`` precision.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .._core import fold, not_plain_number, unclean
from .._reference import SECTOR_BY_KEY, canonical_organisation, find_sector
from ._fields import RECORD_FIELDS
from ._io import _frame, _read

STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ongoing": ("en cours", "actif", "active", "ongoing", "in progress", "en execution",
                "en cours d execution", "current"),
    "completed": ("termine", "terminee", "acheve", "achevee", "fini", "finie", "completed",
                  "complete", "closed", "done", "finished", "cloture", "cloturee", "clos"),
    "planned": ("planifie", "planifiee", "prevu", "prevue", "planned", "pipeline",
                "a venir", "upcoming"),
    "suspended": ("suspendu", "suspendue", "suspended", "on hold", "en pause"),
}

PRECISION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "point": ("point", "gps", "coordinates", "coordonnees", "site", "exact"),
    "admin2": ("admin2", "adm2", "cercle", "district"),
    "admin1": ("admin1", "adm1", "region", "province"),
    "national": ("national", "nationale", "pays", "country", "mali"),
}

#: Place or region texts that mean "the whole country".
NATIONAL_MARKERS: frozenset[str] = frozenset({
    "mali", "national", "nationale", "niveau national", "national level", "tout le pays",
    "ensemble du pays", "tout le mali", "ensemble du mali", "nationwide", "countrywide",
    "country wide", "whole country", "all regions", "toutes les regions",
})

#: Texts meaning Mali in a country column (folded); any other country is outside Mali.
MALI_NAMES: frozenset[str] = frozenset({
    "mali", "ml", "mli", "466", "republique du mali", "republic of mali", "rep du mali",
})

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    ("janvier", "january", "jan", "janv"), ("fevrier", "february", "feb", "fev", "fevr"),
    ("mars", "march", "mar"), ("avril", "april", "apr", "avr"), ("mai", "may"),
    ("juin", "june", "jun"), ("juillet", "july", "jul", "juil"),
    ("aout", "august", "aug"), ("septembre", "september", "sep", "sept"),
    ("octobre", "october", "oct"), ("novembre", "november", "nov"),
    ("decembre", "december", "dec"),
), start=1):
    for _name in _names:
        _MONTHS[_name] = _number

_STATUS = {fold(s): key for key, names in STATUS_SYNONYMS.items() for s in names}
_PRECISION = {fold(s): key for key, names in PRECISION_SYNONYMS.items() for s in names}
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")
#: Digits grouped by thousands with a space, non-breaking space or apostrophe.
_DIGITS = re.compile(r"[+-]?[\d\s\u00a0\u202f'’.,]+")
_GROUPED = re.compile(r"[+-]?\d{1,3}([\s\u00a0\u202f'’]\d{3})+([.,]\d+)?")
_DMS = re.compile(r"^(\d{1,3})\s*[°º\s]\s*(\d{1,2}(?:\.\d+)?)\s*['′’]\s*"
                  r"(?:(\d{1,2}(?:\.\d+)?)\s*(?:\"|″|''|’’))?$")
_HEMISPHERE = {"N": 1, "S": -1, "E": 1, "W": -1, "O": -1}
_NO_LOCATION = ("no location: no region, cercle, place, valid coordinates "
                "or national precision")
_TIME_SUFFIX = re.compile(
    r"[T ]\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}(:?\d{2})?)?$",
    re.IGNORECASE)


class _Problem(ValueError):
    """A value that cannot be used; the message completes "column 'x': 'v' ..."."""


def clean_text(value: object) -> str | None:
    """Strip, collapse internal whitespace and drop control characters.

    Returns ``None`` for empty text. The text is not escaped.

    >>> clean_text("  Ségou\\t\\x07 <b>Nord</b>\\n ")
    'Ségou <b>Nord</b>'
    >>> clean_text(" \\u00a0 ") is None
    True
    """
    if _missing(value):
        return None
    kept = []
    for ch in str(value):
        if ch in _INVISIBLE:
            continue
        if unicodedata.category(ch) == "Cc":
            kept.append(" " if ch in "\t\n\r\x0b\x0c\x85" else "")
        else:
            kept.append(ch)
    text = " ".join("".join(kept).split())
    return text or None


# ------------------------------------------------------------------------ numbers


def parse_coordinate(text: str, axis: str) -> float:
    """Decimal degrees from ``text`` for ``axis`` "latitude" or "longitude".

    Accepts decimal commas, spaces, a degree sign, a leading or trailing
    hemisphere letter (N/S/E/W, French O for ouest) and degrees-minutes-seconds.
    Raises ``ValueError`` with a short reason.

    >>> parse_coordinate("14,5° N", "latitude"), parse_coordinate("3.2 W", "longitude")
    (14.5, -3.2)
    >>> parse_coordinate("12°30'N", "latitude")
    12.5
    """
    raw = text.strip().upper().replace("\u00a0", " ")
    sign = 1
    letter = None
    if raw and raw[-1] in _HEMISPHERE:
        letter, raw = raw[-1], raw[:-1].strip()
    elif raw and raw[0] in _HEMISPHERE and len(raw) > 1 and not raw[1].isalpha():
        letter, raw = raw[0], raw[1:].strip()
    if letter is not None:
        wanted = "NS" if axis == "latitude" else "EWO"
        if letter not in wanted:
            raise _Problem(f"has hemisphere {letter!r}, which is not valid for {axis}")
        sign = _HEMISPHERE[letter]
    raw = raw.replace(",", ".")
    dms = _DMS.match(raw)
    if dms:
        degrees, minutes, seconds = dms.groups()
        if float(minutes) >= 60 or (seconds is not None and float(seconds) >= 60):
            raise _Problem("has minutes or seconds of 60 or more")
        value = int(degrees) + float(minutes) / 60 + float(seconds or 0) / 3600
    else:
        compact = re.sub(r"\s+", "", raw.rstrip("°º").strip())
        if not _DECIMAL.match(compact):
            raise _Problem("is not a number")
        value = float(compact)
    if letter is not None:
        value = sign * abs(value)
    limit = 90 if axis == "latitude" else 180
    if not math.isfinite(value) or abs(value) > limit:
        raise _Problem(f"is out of range for {axis} (-{limit} to {limit})")
    return round(value, 7)


def parse_count(text: str) -> float:
    """A non-negative number of people from ``text``.

    Thousands separators (space, non-breaking space, apostrophe, ``,`` or ``.``
    followed by groups of exactly three digits) and a decimal comma are accepted.

    Spaces that do not group thousands ("1 2 3") are refused rather than read as
    one number; exponent notation (``1.2e3``, as pandas and Excel write) is read.

    >>> [parse_count(t) for t in ("1 200", "1.200", "1,200", "1.200,5", "2,5", "12")]
    [1200.0, 1200.0, 1200.0, 1200.5, 2.5, 12.0]
    >>> parse_count("1.2e3")
    1200.0
    """
    text = text.strip()
    if (re.search(r"\d[\s\u00a0\u202f'’]+\d", text) and _DIGITS.fullmatch(text)
            and not _GROUPED.fullmatch(text)):
        raise _Problem("is ambiguous: spaces that do not separate thousands "
                       "(write one number, such as 1200 or 1 200)")
    compact = re.sub(r"[\s\u00a0\u202f'’]", "", text)
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", compact):
        compact = compact.replace(".", "")
    elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", compact):
        compact = compact.replace(",", "")
    elif "," in compact and "." in compact:
        if compact.rfind(",") > compact.rfind("."):
            compact = compact.replace(".", "").replace(",", ".")
        else:
            compact = compact.replace(",", "")
    else:
        compact = compact.replace(",", ".")
    if not _DECIMAL.match(compact):
        raise _Problem("is not a number")
    value = float(compact)
    if not math.isfinite(value):
        raise _Problem("is out of range")
    if value < 0:
        raise _Problem("is negative")
    return value


# -------------------------------------------------------------------------- dates


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if not 1900 <= year <= 2100:
        raise _Problem("has a year outside 1900-2100")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise _Problem("has no valid month")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise _Problem("is not a calendar date") from None


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def parse_date(text: str) -> str:
    """ISO text (``2016``, ``2016-03`` or ``2016-03-01``) from a date as people write it.

    Day comes first in numeric dates (French usage); month names in French or
    English, Excel date-times and Excel serial day numbers are accepted.

    >>> [parse_date(t) for t in ("2016", "03/2016", "1/3/2016", "2016-03-01 00:00:00")]
    ['2016', '2016-03', '2016-03-01', '2016-03-01']
    >>> parse_date("1er mars 2016"), parse_date("March 2016")
    ('2016-03-01', '2016-03')
    """
    raw = _TIME_SUFFIX.sub("", text.strip()).strip()
    if m := re.fullmatch(r"(\d{4})", raw):
        return _iso(int(m[1]))
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})", raw):
        return _iso(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw):
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})", raw):
        return _iso(_year(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", raw):
        return _iso(int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{5})(\.\d+)?", raw):
        serial = int(m[1])
        if 20000 <= serial <= 80000:  # Excel day number: 1954..2119
            return (dt.date(1899, 12, 30) + dt.timedelta(days=serial)).isoformat()
    words = fold(raw).split()
    words = [w[:-2] if re.fullmatch(r"\d{1,2}(er|st|nd|rd|th)", w) else w for w in words]
    months = [w for w in words if w in _MONTHS]
    numbers = [w for w in words if w.isdigit()]
    if len(months) == 1 and len(months) + len(numbers) == len(words):
        month = _MONTHS[months[0]]
        years = [n for n in numbers if len(n) == 4]
        days = [n for n in numbers if len(n) <= 2]
        if len(years) == 1 and len(days) <= 1 and len(numbers) == len(years) + len(days):
            return _iso(int(years[0]), month, int(days[0]) if days else None)
    raise _Problem("is not a date (use YYYY, YYYY-MM, YYYY-MM-DD, DD/MM/YYYY or a "
                   "quarter such as T1 2023)")


_ORDINALS = {"premier": 1, "premiere": 1, "first": 1, "deuxieme": 2, "second": 2,
             "seconde": 2, "troisieme": 3, "third": 3, "quatrieme": 4, "fourth": 4}
_PERIOD_WORDS = {"trimestre": 3, "quarter": 3, "qtr": 3, "semestre": 6, "semester": 6,
                 "half": 6}
_PERIOD_LETTERS = {"t": 3, "q": 3, "s": 6, "h": 6}
_NTH = re.compile(r"(\d)(?:er|ere|re|e|eme|nd|st|rd|th)?")


def parse_period(text: str) -> tuple[str, str]:
    """First and last month (ISO ``YYYY-MM``) of a quarter, half-year or month range.

    Quarters as "T1 2023", "Q1 2023", "2023-Q1", "1er trimestre 2023" or "first
    quarter 2023"; half-years as "S1 2023" or "2e semestre 2023"; month ranges as
    "janvier-mars 2023" or "Jan to Mar 2023". Raises ``ValueError`` otherwise.

    >>> parse_period("T1 2023"), parse_period("2e semestre 2023")
    (('2023-01', '2023-03'), ('2023-07', '2023-12'))
    >>> parse_period("janvier à mars 2023")
    ('2023-01', '2023-03')
    """
    words = fold(text).split()
    years = [w for w in words if re.fullmatch(r"\d{4}", w)]
    if len(years) != 1 or not 2 <= len(words) <= 5:
        raise _Problem("is not a period")
    year = int(years[0])
    rest = [w for w in words if w != years[0]]
    size = number = None
    if len(rest) == 1 and (m := re.fullmatch(r"([tqsh])([1-4])", rest[0])):
        size, number = _PERIOD_LETTERS[m[1]], int(m[2])
    elif len(rest) == 2:
        first, second = rest
        if second in _PERIOD_WORDS:
            size = _PERIOD_WORDS[second]
            ordinal = _ORDINALS.get(first)
            nth = _NTH.fullmatch(first)
            number = ordinal if ordinal else int(nth[1]) if nth else None
        elif first in _PERIOD_WORDS and second.isdigit() and len(second) == 1:
            size, number = _PERIOD_WORDS[first], int(second)
    if size is not None and number is not None:
        if not 1 <= number <= 12 // size:
            raise _Problem("is not a period")
        start = (number - 1) * size + 1
        return _iso(year, start), _iso(year, start + size - 1)
    months = [w for w in rest if w in _MONTHS]
    links = [w for w in rest if w not in _MONTHS]
    if len(months) == 2 and all(w in ("a", "au", "to", "through", "till", "until")
                                for w in links) and len(links) <= 1:
        first, last = _MONTHS[months[0]], _MONTHS[months[1]]
        if first <= last:
            return _iso(year, first), _iso(year, last)
    raise _Problem("is not a period")


def _date_reader(end: bool, periods: dict[str, str]) -> Callable[[str], str]:
    """:func:`parse_date`, also reading periods: their first month for a start date,
    their last month for an end date. Each text read as a period is added to
    ``periods`` with the period's last month."""
    def read(text: str) -> str:
        try:
            return parse_date(text)
        except _Problem as problem:
            try:
                first, last = parse_period(text)
            except _Problem:
                raise problem from None
            periods[text] = last
            return last if end else first
    return read


# ------------------------------------------------------------------- vocabularies


def _sector(text: str, aliases: dict[str, str]) -> str | None:
    target = aliases.get(fold(text))
    for candidate in ((target, text) if target else (text,)):
        if candidate in SECTOR_BY_KEY:
            return candidate
        found = find_sector(candidate)
        if found is not None:
            return found.key
    return None


def normalise_status(text: str) -> str | None:
    """``ongoing``/``completed``/``planned``/``suspended`` for French or English text.

    >>> normalise_status("Terminé"), normalise_status("in progress"), normalise_status("?")
    ('completed', 'ongoing', None)
    """
    return _STATUS.get(fold(text))


# ---------------------------------------------------------------------------- rows


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))




def _as_text(values: object, n: int) -> np.ndarray:
    """An object array of ``str`` (``""`` where missing) from a column or ``None``."""
    if values is None:
        out = np.empty(n, dtype=object)
        out[:] = ""
        return out
    array = pd.Series(values).to_numpy(dtype=object)
    if n and pd.api.types.infer_dtype(array, skipna=False) == "string":
        return array
    array = array.copy()
    array[np.equal(array, None)] = ""
    if n and pd.api.types.infer_dtype(array, skipna=False) != "string":
        array[pd.isna(array)] = ""
        array[:] = [v if isinstance(v, str) else str(v) for v in array]
    return array


def _cleaned(values: np.ndarray) -> np.ndarray:
    """:func:`clean_text` of each value (``""`` for ``None``), touching only dirty values."""
    dirty = unclean(values.tolist())
    if len(dirty):
        values = values.copy()
        values[dirty] = [clean_text(v) or "" for v in values[dirty]]
    return values


def _per_distinct(values: np.ndarray, function: Callable[[str], object],
                  where: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``function`` of each value computed once per distinct value.

    Returns the results (object array) and a boolean array: ``True`` where the
    function raised :class:`_Problem` (its message is the result there).
    ``where`` (indices) limits the work to those values; others get ``None``.
    """
    n = len(values)
    results = np.empty(n, dtype=object)
    failed = np.zeros(n, dtype=bool)
    chosen = values if where is None else values[where]
    if not len(chosen):
        return results, failed
    codes, uniques = pd.factorize(chosen)
    out = np.empty(len(uniques) + 1, dtype=object)
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    for k, value in enumerate(uniques):
        try:
            out[k] = function(value)
        except _Problem as problem:
            out[k], bad[k] = str(problem), True
    if where is None:
        results[:] = out[codes]
        failed[:] = bad[codes]
    else:
        results[where] = out[codes]
        failed[where] = bad[codes]
    return results, failed




def _numbers(values: np.ndarray, signed: bool, prepare: dict[int, str] | None,
             parser: Callable[[str], float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Floats from cleaned text: plain values at C speed, the others with ``parser``
    once per distinct value. Returns floats (NaN if empty or bad), a mask of bad
    values and their messages."""
    n = len(values)
    numbers = np.full(n, math.nan)
    filled = values.astype(bool)
    if not filled.any():
        return numbers, np.zeros(n, dtype=bool), np.empty(n, dtype=object)
    text = values if prepare is None else _translated(values, prepare)
    odd = np.zeros(n, dtype=bool)
    odd[not_plain_number(text.tolist(), signed)] = True
    odd &= filled
    simple = np.flatnonzero(filled & ~odd)
    if len(simple):
        numbers[simple] = list(map(float, text[simple]))
    hard = np.flatnonzero(odd)
    results, failed = _per_distinct(values, parser, hard)
    good = hard[~failed[hard]]
    if len(good):
        numbers[good] = results[good].astype(float)
    return numbers, failed, results


_COMMA_TO_POINT = str.maketrans(",", ".")


def _translated(values: np.ndarray, table: dict[int, str]) -> np.ndarray:
    """``str.translate`` of every value, in one pass over the joined values."""
    joined = "\x00".join(values.tolist())
    for old, new in table.items():
        joined = joined.replace(chr(old), chr(new) if isinstance(new, int) else new)
    parts = joined.split("\x00")
    out = np.empty(len(values), dtype=object)
    out[:] = parts if len(parts) == len(values) else [v.translate(table) for v in values]
    return out


def _coordinates(values: np.ndarray, axis: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    numbers, failed, messages = _numbers(
        values, True, _COMMA_TO_POINT, lambda v: parse_coordinate(v, axis))
    limit = 90 if axis == "latitude" else 180
    with np.errstate(invalid="ignore"):
        out = np.flatnonzero(np.abs(numbers) > limit)
    if len(out):  # plain numbers out of range: the parser words the message
        words, _ = _per_distinct(values, lambda v: parse_coordinate(v, axis), out)
        numbers[out] = math.nan
        failed[out] = True
        messages[out] = words[out]
    precise = np.round(numbers, 7)
    inexact = np.flatnonzero((precise != numbers) & ~np.isnan(numbers))
    if len(inexact):  # Python's correctly rounded round(), as parse_coordinate does
        precise[inexact] = [round(v, 7) for v in numbers[inexact]]
    return precise, failed, messages


def validate_records(
    raw: pd.DataFrame,
    organisation_aliases: dict[str, str] | None = None,
    sector_aliases: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Parse the raw text columns of :func:`read_records` into typed records.

    Coordinates and counts become floats (``NaN`` when absent or unusable), dates
    ISO text, sectors canonical keys (unknown ones kept as written), statuses and
    precisions canonical words. Problems go to ``issues`` (a tuple of one-line
    messages per row); a row with no location at all gets a reason in ``invalid``.
    Each distinct value is parsed once; plain numbers are converted at C speed.

    >>> raw = pd.DataFrame({"row": [2, 3], "sector": ["Santé", "Astrologie"],
    ...                     "adm1_name": ["Mopti", None], "latitude": ["14,5", None],
    ...                     "longitude": ["-4,2", None]})
    >>> out = validate_records(raw)
    >>> out[["sector", "latitude", "precision", "invalid"]].values.tolist()[0]
    ['health', 14.5, 'point', None]
    >>> out.loc[1, "issues"]
    ("column 'sector': 'Astrologie' is not a known sector; kept as written",)
    >>> out.loc[1, "invalid"]
    'no location: no region, cercle, place, valid coordinates or national precision'
    """
    return _validate(raw, organisation_aliases, sector_aliases, clean=False, reader=False)


def _validate(
    raw: pd.DataFrame,
    organisation_aliases: dict[str, str] | None,
    sector_aliases: dict[str, str] | None,
    clean: bool,
    reader: bool,
) -> pd.DataFrame:
    """:func:`validate_records`; ``clean`` says the text cells need no cleaning,
    ``reader`` that ``raw`` comes from the reader with ``""`` for empty cells."""
    headers: dict[str, str] = dict(raw.attrs.get("columns", {}))
    sector_table = {fold(k): v for k, v in (sector_aliases or {}).items()}
    n = len(raw)
    rows = (raw["row"].to_numpy(dtype=np.int64) if "row" in raw.columns
            else np.arange(1, n + 1, dtype=np.int64))
    blank = _as_text(None, n)
    blank.flags.writeable = False
    nothing = np.zeros(n, dtype=bool)
    text = {f: _as_text(raw[f], n) if f in raw.columns else blank for f in RECORD_FIELDS}
    if not clean:
        text = {f: _cleaned(v) if f in raw.columns else v for f, v in text.items()}
    has = {f: text[f].astype(bool) if f in raw.columns else nothing for f in RECORD_FIELDS}
    notes: dict[int, list[str]] = {}

    def note(field: str, where: np.ndarray, values: np.ndarray | str,
             message: np.ndarray | str | Callable[[int], str]) -> None:
        column = headers.get(field, field)
        for i in where.tolist():
            value = values if isinstance(values, str) else values[i]
            words = message(i) if callable(message) else (
                message if isinstance(message, str) else message[i])
            notes.setdefault(i, []).append(f"column {column!r}: {value[:80]!r} {words}")

    def ignored(field: str, failed: np.ndarray, messages: np.ndarray) -> None:
        note(field, np.flatnonzero(failed), text[field],
             lambda i: f"{messages[i]}; ignored")

    # coordinates
    lat, lat_bad, lat_words = _coordinates(text["latitude"], "latitude")
    ignored("latitude", lat_bad, lat_words)
    lon, lon_bad, lon_words = _coordinates(text["longitude"], "longitude")
    ignored("longitude", lon_bad, lon_words)
    has_lat, has_lon = ~np.isnan(lat), ~np.isnan(lon)
    note("latitude", np.flatnonzero(has_lat & ~has_lon), text["latitude"],
         "has no usable longitude; coordinates ignored")
    note("longitude", np.flatnonzero(has_lon & ~has_lat), text["longitude"],
         "has no usable latitude; coordinates ignored")
    zero = has_lat & has_lon & (lat == 0) & (lon == 0)
    note("latitude", np.flatnonzero(zero), "0, 0",
         "is a placeholder position; coordinates ignored")
    has_point = has_lat & has_lon & ~zero
    lat[~has_point] = math.nan
    lon[~has_point] = math.nan

    # counts
    counts = {}
    for field in ("reached", "targeted"):
        counts[field], bad, words = _numbers(text[field], False, None, parse_count)
        ignored(field, bad, words)

    # dates
    dates = {}
    periods: dict[str, str] = {}   # start text read as a period -> its last month
    for field in ("start_date", "end_date"):
        filled = np.flatnonzero(has[field])
        dates[field], bad = _per_distinct(
            text[field], _date_reader(field == "end_date", periods if field == "start_date"
                                      else {}), filled)
        ignored(field, bad, dates[field])
        dates[field][bad] = None
    start, end = dates["start_date"], dates["end_date"]
    if periods:  # a period as the start and no end: it ends with the period
        closing = np.flatnonzero(np.isin(text["start_date"], list(periods))
                                 & ~has["end_date"])
        end[closing] = [periods[v] for v in text["start_date"][closing]]
    both = np.flatnonzero(start.astype(bool) & end.astype(bool))
    if len(both):
        pairs = pd.Series(start[both]) + "|" + pd.Series(end[both])
        backwards, _ = _per_distinct(pairs.to_numpy(dtype=object), _ends_before)
        late = both[backwards.astype(bool)]
        note("end_date", late, np.where(has["end_date"], text["end_date"],
                                        end), lambda i: f"is before the start date "
                                                        f"{start[i]!r}; kept")
    text["start_date"], text["end_date"] = start, end

    # vocabularies
    for field in ("sector", "organisation", "status"):
        if field in raw.columns:
            text[field] = text[field].copy()
    filled = np.flatnonzero(has["sector"])
    keys, _ = _per_distinct(text["sector"], lambda v: _sector(v, sector_table), filled)
    unknown = filled[np.equal(keys[filled], None)]
    note("sector", unknown, text["sector"], "is not a known sector; kept as written")
    known = filled[~np.equal(keys[filled], None)]
    if len(known):
        text["sector"][known] = keys[known]
    filled = np.flatnonzero(has["organisation"])
    names, _ = _per_distinct(
        text["organisation"],
        lambda v: canonical_organisation(v, organisation_aliases) or "", filled)
    if len(filled):
        text["organisation"][filled] = names[filled]
    filled = np.flatnonzero(has["status"])
    statuses, _ = _per_distinct(text["status"], normalise_status, filled)
    unknown = filled[np.equal(statuses[filled], None)]
    note("status", unknown, text["status"], "is not a known status "
         "(ongoing, completed, planned, suspended); kept as written")
    known = filled[~np.equal(statuses[filled], None)]
    if len(known):
        text["status"][known] = statuses[known]

    # precision and validity
    def national(field: str) -> np.ndarray:
        flags, _ = _per_distinct(text[field], lambda v: fold(v) in NATIONAL_MARKERS,
                                 np.flatnonzero(has[field]))
        return flags.astype(bool)

    present = {f: has[f] for f in (
        "adm1_pcode", "adm1_name", "adm2_pcode", "adm2_name", "place")}
    region_national = national("adm1_name")
    inferred = np.full(n, None, dtype=object)
    conditions = [
        has_point,
        present["adm2_name"] | present["adm2_pcode"],
        present["adm1_pcode"] | (present["adm1_name"] & ~region_national),
        region_national | national("place"),
    ]
    for condition, value in zip(conditions, ("point", "admin2", "admin1", "national"),
                                strict=True):
        inferred[condition & np.equal(inferred, None)] = value
    filled = np.flatnonzero(has["precision"])
    stated, _ = _per_distinct(text["precision"], lambda v: _PRECISION.get(fold(v)), filled)
    unknown = filled[np.equal(stated[filled], None)]
    note("precision", unknown, text["precision"], lambda i: (
        "is not a known precision (point, admin2/cercle, admin1/région, national); "
        f"using {inferred[i]!r}"))
    pointless = filled[(stated[filled] == "point") & ~has_point[filled]]
    note("precision", pointless, text["precision"],
         lambda i: f"needs valid coordinates; using {inferred[i]!r}")
    accepted = filled[~np.equal(stated[filled], None) & ~((stated[filled] == "point")
                                                   & ~has_point[filled])]
    inferred[accepted] = stated[accepted]
    text["precision"] = inferred

    located = (inferred == "national") | has_point
    for flags in present.values():
        located |= flags
    # A row of another country is located (outside Mali): the join reports it as such.
    foreign, _ = _per_distinct(text["country"], lambda v: fold(v) not in MALI_NAMES,
                               np.flatnonzero(has["country"]))
    located |= foreign.astype(bool)
    invalid = np.full(n, None, dtype=object)
    invalid[~located] = _NO_LOCATION

    # notes the reader left about cells (merged cells, formulas without values)
    row_notes = raw.attrs.get("row_notes") or {}
    if row_notes:
        for i in np.flatnonzero(np.isin(rows, list(row_notes))).tolist():
            notes.setdefault(i, []).extend(row_notes[int(rows[i])])
    issues = np.empty(n, dtype=object)
    issues[:] = [()] * n
    for i, messages in notes.items():
        issues[i] = tuple(messages)

    columns: dict[str, np.ndarray] = {"row": rows.astype(np.int64, copy=False)}
    numbers = {"latitude": lat, "longitude": lon, **counts}
    for field in RECORD_FIELDS:
        if field in numbers:
            columns[field] = numbers[field].astype("float64", copy=False)
        elif field in ("start_date", "end_date", "precision"):
            columns[field] = text[field]  # fresh arrays, None where empty
        elif field == "organisation":
            columns[field] = np.where(text[field].astype(bool), text[field], None)
        elif field in raw.columns:
            columns[field] = np.where(has[field], text[field], None)
        else:
            columns[field] = np.empty(n, dtype=object)  # all None
    columns["issues"] = issues
    columns["invalid"] = invalid
    for name in raw.columns:
        if str(name).startswith("extra:"):
            values = raw[name].to_numpy(dtype=object)
            if reader:
                columns[name] = np.where(values.astype(bool), values, None)
            else:
                values = values.copy()
                values[pd.isna(values)] = None
                columns[name] = values
    result = _frame(columns, raw.index)
    result.attrs = dict(raw.attrs)
    return result


def _ends_before(pair: str) -> bool:
    """``"start|end"`` ISO dates: does the end come before the start (at their common
    precision)?"""
    start, end = pair.split("|")
    common = min(len(start), len(end))
    return end[:common] < start[:common]


def load_records(
    path: str | Path,
    sheet: str | int | None = None,
    organisation_aliases: dict[str, str] | None = None,
    sector_aliases: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Read and validate a 3W table: ``validate_records(read_records(path, sheet))``.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "3w.csv"
    >>> _ = path.write_text("Org,Secteur,Région,Bénéficiaires\\nHI,EHA,Ségou,1 200\\n")
    >>> load_records(path)[["row", "organisation", "sector", "reached"]].values.tolist()
    [[2, 'Humanity & Inclusion', 'wash', 1200.0]]
    """
    raw, clean = _read(path, sheet, empty="")
    return _validate(raw, organisation_aliases, sector_aliases, clean=clean, reader=True)
