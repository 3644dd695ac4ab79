"""Parse and normalise the raw text of a 3W table, collecting per-row problems.

:func:`validate_records` takes the output of :func:`mali_map._io.read_records`
and returns the records table described in :mod:`mali_map._model`, with two
more columns: ``issues`` (a tuple of one-line warnings about values that were
ignored or kept as written) and ``invalid`` (``None``, or why the row cannot be
used at all). :func:`load_records` does both steps.

Precision, when the ``precision`` column is blank, is inferred from the most
detailed location the row gives: ``point`` (valid coordinates), ``admin2`` (a
cercle name or pcode), ``admin1`` (a region name or pcode), ``national`` (a
region or place such as "Mali", "National", "Tout le pays"); a row with only a
place name gets no precision (the join decides). A stated precision wins
unless it is ``point`` without valid coordinates. A row is ``invalid`` when it
has no region, cercle, place, valid coordinates or ``national`` precision.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ._io import read_records
from ._model import RECORD_FIELDS
from ._text import fold
from ._vocabulary import SECTOR_BY_KEY, canonical_organisation, find_sector

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
_TEXT_FIELDS = ("id", "organisation", "sector", "activity", "adm1_pcode", "adm1_name",
                "adm2_pcode", "adm2_name", "place", "start_date", "end_date", "status",
                "precision", "description", "source", "source_text")
_NUMERIC_FIELDS = ("latitude", "longitude", "reached", "targeted")

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DMS = re.compile(r"^(\d{1,3})\s*[°º\s]\s*(\d{1,2}(?:\.\d+)?)\s*['′’]\s*"
                  r"(?:(\d{1,2}(?:\.\d+)?)\s*(?:\"|″|''|’’))?$")
_HEMISPHERE = {"N": 1, "S": -1, "E": 1, "W": -1, "O": -1}
_NO_LOCATION = ("no location: no region, cercle, place, valid coordinates "
                "or national precision")
_TIME_SUFFIX = re.compile(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


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

    >>> [parse_count(t) for t in ("1 200", "1.200", "1,200", "1.200,5", "2,5", "12")]
    [1200.0, 1200.0, 1200.0, 1200.5, 2.5, 12.0]
    """
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
    raise _Problem("is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY)")


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
    headers: dict[str, str] = dict(raw.attrs.get("columns", {}))
    sector_table = {fold(k): v for k, v in (sector_aliases or {}).items()}
    n = len(raw)
    cells: dict[str, list[object]] = {
        f: raw[f].tolist() if f in raw.columns else [None] * n for f in RECORD_FIELDS}
    text_out: dict[str, list[str | None]] = {f: [None] * n for f in _TEXT_FIELDS}
    number_out: dict[str, list[float]] = {f: [math.nan] * n for f in _NUMERIC_FIELDS}
    issues_out: list[tuple[str, ...]] = []
    invalid_out: list[str | None] = []

    for i in range(n):
        issues: list[str] = []

        def note(field: str, value: str, message: str, issues: list[str] = issues) -> None:
            column = headers.get(field, field)
            issues.append(f"column {column!r}: {value[:80]!r} {message}")

        def parsed(field: str, parser: Callable[[str], object], row: int = i) -> object:
            value = clean_text(cells[field][row])
            if value is None:
                return None
            try:
                return parser(value)
            except _Problem as problem:
                note(field, value, f"{problem}; ignored")
                return None

        text = {f: clean_text(cells[f][i]) for f in _TEXT_FIELDS}

        # coordinates
        lat = parsed("latitude", lambda v: parse_coordinate(v, "latitude"))
        lon = parsed("longitude", lambda v: parse_coordinate(v, "longitude"))
        if (lat is None) != (lon is None):
            have, missing = ("latitude", "longitude") if lat is not None else (
                "longitude", "latitude")
            note(have, clean_text(cells[have][i]) or "",
                 f"has no usable {missing}; coordinates ignored")
            lat = lon = None
        if lat == 0 and lon == 0:
            note("latitude", "0, 0", "is a placeholder position; coordinates ignored")
            lat = lon = None
        if lat is not None and lon is not None:
            number_out["latitude"][i] = float(lat)  # type: ignore[arg-type]
            number_out["longitude"][i] = float(lon)  # type: ignore[arg-type]

        # counts
        for field in ("reached", "targeted"):
            value = parsed(field, parse_count)
            if value is not None:
                number_out[field][i] = float(value)  # type: ignore[arg-type]

        # dates
        start = parsed("start_date", parse_date)
        end = parsed("end_date", parse_date)
        if isinstance(start, str) and isinstance(end, str):
            common = min(len(start), len(end))
            if end[:common] < start[:common]:
                note("end_date", text["end_date"] or end,
                     f"is before the start date {start!r}; kept")
        text["start_date"] = start  # type: ignore[assignment]
        text["end_date"] = end  # type: ignore[assignment]

        # vocabularies
        if text["sector"] is not None:
            key = _sector(text["sector"], sector_table)
            if key is None:
                note("sector", text["sector"], "is not a known sector; kept as written")
            else:
                text["sector"] = key
        if text["organisation"] is not None:
            text["organisation"] = canonical_organisation(
                text["organisation"], organisation_aliases) or None
        if text["status"] is not None:
            status = normalise_status(text["status"])
            if status is None:
                note("status", text["status"], "is not a known status "
                     "(ongoing, completed, planned, suspended); kept as written")
            else:
                text["status"] = status

        # precision and validity
        has_point = not math.isnan(number_out["latitude"][i])
        region_national = fold(text["adm1_name"]) in NATIONAL_MARKERS
        if has_point:
            inferred: str | None = "point"
        elif text["adm2_name"] or text["adm2_pcode"]:
            inferred = "admin2"
        elif text["adm1_pcode"] or (text["adm1_name"] and not region_national):
            inferred = "admin1"
        elif region_national or fold(text["place"]) in NATIONAL_MARKERS:
            inferred = "national"
        else:
            inferred = None
        if text["precision"] is not None:
            stated = _PRECISION.get(fold(text["precision"]))
            if stated is None:
                note("precision", text["precision"], "is not a known precision (point, "
                     f"admin2/cercle, admin1/région, national); using {inferred!r}")
            elif stated == "point" and not has_point:
                note("precision", text["precision"], "needs valid coordinates; "
                     f"using {inferred!r}")
            else:
                inferred = stated
        text["precision"] = inferred

        located = inferred == "national" or has_point or any(text[f] for f in (
            "adm1_pcode", "adm1_name", "adm2_pcode", "adm2_name", "place"))
        invalid_out.append(None if located else _NO_LOCATION)
        for field in _TEXT_FIELDS:
            text_out[field][i] = text[field]
        issues_out.append(tuple(issues))

    columns: dict[str, pd.Series] = {
        "row": pd.Series(raw["row"].to_numpy() if "row" in raw.columns
                         else range(1, n + 1), dtype="int64"),
    }
    for field in RECORD_FIELDS:
        if field in number_out:
            columns[field] = pd.Series(number_out[field], dtype="float64")
        else:
            columns[field] = pd.Series(text_out[field], dtype=object)
    columns["issues"] = pd.Series(issues_out, dtype=object)
    columns["invalid"] = pd.Series(invalid_out, dtype=object)
    for name in raw.columns:
        if str(name).startswith("extra:"):
            columns[name] = pd.Series([None if _missing(v) else v for v in raw[name]],
                                      dtype=object)
    result = pd.DataFrame(columns)
    result.index = raw.index
    result.attrs = dict(raw.attrs)
    return result


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
    return validate_records(read_records(path, sheet), organisation_aliases, sector_aliases)
