"""Read a 3W table (CSV, TSV or XLSX, optionally with an HXL hashtag row).

:func:`read_records` turns a file into raw text columns named after
:data:`mali_map._join._model.RECORD_FIELDS`; parsing and checking the values is the job
of :mod:`mali_map._read._validate`. Columns are recognised in this order:

1. an HXL hashtag row (``#org``, ``#adm1+name`` ...) in the first five rows;
2. the header text, compared after :func:`mali_map._core._text.fold` with spaces
   removed, against :data:`HEADER_SYNONYMS` (French and English);
3. anything else is kept as ``extra:<header>`` so nothing the user wrote is lost.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._core import (
    InputFileNotFound,
    MissingColumns,
    MissingExtra,
    UnreadableFile,
    fold,
    starting_with_hash,
    untidy,
    wide_spaces,
)
from ._fields import RECORD_FIELDS

#: Largest records file read, in bytes (a 3W of a million rows is about 100 MB).
MAX_FILE_BYTES = 512 * 2**20
#: Most columns read from one table.
MAX_COLUMNS = 1000
#: Longest cell, in characters: the most an Excel cell holds.
MAX_CELL_CHARS = 32_767
#: Most cells (rows x columns, empty ones included) read from one table: a million
#: rows of 30 columns. Bounds the memory a small but dense file can take.
MAX_CELLS = 30_000_000
#: Most lines of a text table, or rows of a sheet (the most a spreadsheet holds).
MAX_ROWS = 1_048_576 * 2
#: Most bytes a workbook may unpack to (its parts' declared sizes), against zip bombs.
MAX_UNPACKED_BYTES = 2 * 2**30
_WIDE_LEADS = b"\xc2\xe1\xe2\xe3\xef"  # first UTF-8 byte of non-ASCII spaces and BOM

#: Header names accepted for each canonical field (compared after ``fold`` with
#: spaces removed, so case, accents, punctuation and spacing do not matter). The
#: canonical field name itself is always accepted too.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("ID", "Identifiant", "Code", "Ref", "Référence", "Reference"),
    "organisation": (
        "Organisation", "Organization", "Org", "Partenaire", "Partner", "Acteur",
        "Agence", "Agency", "Implementing partner", "Partenaire de mise en oeuvre",
        "Partenaire de mise en œuvre", "Organisation name", "Nom de l'organisation",
    ),
    "sector": ("Secteur", "Sector", "Cluster", "Domaine", "Secteur d'intervention"),
    "activity": ("Activité", "Activity", "Intervention", "Projet", "Project",
                 "Activités", "Activities"),
    "adm1_name": ("Région", "Region", "Admin1", "ADM1_FR", "ADM1_EN", "ADM1_NAME",
                  "admin1Name", "admin1Name_fr", "admin1Name_en", "Province",
                  "Nom région", "Region name"),
    "adm1_pcode": ("P-code région", "Pcode région", "Admin1 Pcode", "ADM1_PCODE",
                   "admin1Pcode", "Pcode", "P-code", "Region pcode", "Code région"),
    "adm2_name": ("Cercle", "Admin2", "District", "ADM2_FR", "ADM2_EN", "ADM2_NAME",
                  "admin2Name", "admin2Name_fr", "admin2Name_en", "Nom cercle"),
    "adm2_pcode": ("ADM2_PCODE", "admin2Pcode", "Admin2 Pcode", "P-code cercle",
                   "Pcode cercle", "Code cercle"),
    "place": ("Localité", "Localite", "Lieu", "Village", "Commune", "Site",
              "Location", "Place", "Locality", "Ville", "Town", "City", "Nom commune",
              "Admin3", "ADM3_FR", "ADM3_EN", "ADM3_NAME", "admin3Name", "admin3Name_fr",
              "admin3Name_en"),
    "latitude": ("Latitude", "Lat", "Y"),
    "longitude": ("Longitude", "Lon", "Long", "Lng", "X"),
    "start_date": ("Date début", "Date de début", "Start date", "Début", "Start",
                   "Date", "Date start", "Période", "Period", "Trimestre", "Quarter",
                   "Mois", "Month"),
    "end_date": ("Date fin", "Date de fin", "End date", "Fin", "End", "Date end"),
    "status": ("Statut", "Status", "État", "Etat"),
    "reached": ("Bénéficiaires", "Beneficiaries", "Reached", "Personnes atteintes",
                "Nombre de bénéficiaires", "Bénéficiaires atteints",
                "People reached", "Number of beneficiaries"),
    "targeted": ("Cible", "Targeted", "Target", "Bénéficiaires ciblés",
                 "Personnes ciblées", "People targeted"),
    "description": ("Description", "Descriptif", "Détails", "Details"),
    "precision": ("Précision", "Precision", "Niveau géographique", "Geographic level"),
    "source": ("Source",),
    "source_text": ("Source text", "Texte source", "Extrait", "Excerpt"),
    "country": ("Pays", "Country", "Country name", "Nom du pays", "Nom pays", "Code pays",
                "Country code", "Country ISO3", "ISO3", "admin0Name", "admin0Name_fr",
                "admin0Name_en", "ADM0_FR", "ADM0_EN", "ADM0_NAME", "admin0Pcode", "ADM0_PCODE"),
}

#: HXL hashtag -> rules ``(attributes that must all be present, attributes that must
#: all be absent, field)``, best first. When several columns match one field, the
#: column matching the earliest rule wins (``#org+impl`` before ``#org+name`` before a
#: bare ``#org``), whatever the column order.
_NOT_THE_ORG = frozenset({"type", "funder", "donor", "code", "id"})
_NOT_A_DATE = frozenset({"reported", "updated", "modified", "created"})
_NONE: frozenset[str] = frozenset()
HXL_TAGS: dict[str, tuple[tuple[frozenset[str], frozenset[str], str], ...]] = {
    "org": ((frozenset({"impl"}), _NOT_THE_ORG, "organisation"),
            (frozenset({"name"}), _NOT_THE_ORG | {"prog", "lead", "partner"},
             "organisation"),
            (_NONE, _NOT_THE_ORG | {"prog", "lead", "partner", "acronym"}, "organisation"),
            (_NONE, _NOT_THE_ORG, "organisation")),
    "sector": ((_NONE, frozenset({"code"}), "sector"), (_NONE, _NONE, "sector")),
    "cluster": ((_NONE, frozenset({"code"}), "sector"), (_NONE, _NONE, "sector")),
    "activity": ((frozenset({"id"}), _NONE, "id"), (frozenset({"code"}), _NONE, "id"),
                 (_NONE, _NONE, "activity")),
    "country": ((_NONE, frozenset({"code"}), "country"), (_NONE, _NONE, "country")),
    "adm1": ((frozenset({"code"}), _NONE, "adm1_pcode"), (_NONE, _NONE, "adm1_name")),
    "adm2": ((frozenset({"code"}), _NONE, "adm2_pcode"), (_NONE, _NONE, "adm2_name")),
    "loc": ((_NONE, frozenset({"code"}), "place"),),
    "adm3": ((_NONE, frozenset({"code"}), "place"),),   # a commune: read as a place
    "geo": ((frozenset({"lat"}), _NONE, "latitude"), (frozenset({"lon"}), _NONE, "longitude")),
    "date": ((frozenset({"start"}), _NONE, "start_date"),
             (frozenset({"end"}), _NONE, "end_date"),
             (_NONE, _NOT_A_DATE, "start_date")),
    "status": ((_NONE, _NONE, "status"),),
    "reached": ((_NONE, _NONE, "reached"),),
    "affected": ((frozenset({"reached"}), _NONE, "reached"),
                 (frozenset({"targeted"}), _NONE, "targeted")),
    "beneficiary": ((_NONE, _NONE, "reached"),),
    "targeted": ((_NONE, _NONE, "targeted"),),
    "description": ((_NONE, _NONE, "description"),),
    "meta": ((frozenset({"id"}), _NONE, "id"), (frozenset({"source"}), _NONE, "source")),
}

#: Fields that say where a record is; at least one (or both coordinates) is needed.
LOCATION_FIELDS: tuple[str, ...] = ("adm1_pcode", "adm1_name", "adm2_pcode", "adm2_name",
                                    "place")

_TEXT_EXTENSIONS = {".csv", ".tsv", ".txt", ".tab", ""}
_EXCEL_EXTENSIONS = {".xlsx", ".xlsm"}
#: Spreadsheets read with python-calamine (the ``mali-map[xls]`` extra).
_CALAMINE_EXTENSIONS = {".xls", ".ods"}
_UNSUPPORTED = {
    ".json": "JSON is not supported; use CSV or XLSX",
    ".geojson": "GeoJSON is not a 3W table; use CSV or XLSX",
    ".shp": "shapefiles are not a 3W table; use CSV or XLSX",
    ".parquet": "Parquet is not supported; use CSV or XLSX",
    ".pdf": "PDF is not supported; use CSV or XLSX",
    ".doc": "Word documents are not supported; use CSV or XLSX",
    ".docx": "Word documents are not supported; use CSV or XLSX",
}
_HXL_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*$", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_HXL_SCAN = 5


def _key(text: object) -> str:
    return fold(text).replace(" ", "")


_BY_HEADER: dict[str, str] = {}
for _field in RECORD_FIELDS:
    _BY_HEADER.setdefault(_key(_field), _field)
for _field, _names in HEADER_SYNONYMS.items():
    for _name in _names:
        _BY_HEADER.setdefault(_key(_name), _field)


def field_for_header(header: object) -> str | None:
    """The canonical field a column header names, or ``None``.

    >>> field_for_header("Date de début")
    'start_date'
    >>> field_for_header("ADM1_PCODE"), field_for_header("Latitude (WGS84)")
    ('adm1_pcode', 'latitude')
    >>> field_for_header("Budget") is None
    True
    """
    found = _BY_HEADER.get(_key(header))
    if found is None and isinstance(header, str) and _PARENTHESES.search(header):
        found = _BY_HEADER.get(_key(_PARENTHESES.sub(" ", header)))
    return found


def field_for_hxl(tag: object) -> str | None:
    """The canonical field an HXL hashtag (with attributes) names, or ``None``.

    Attribute order, case and spacing do not matter.

    >>> field_for_hxl("#adm1 +name"), field_for_hxl("#ADM1+CODE")
    ('adm1_name', 'adm1_pcode')
    >>> field_for_hxl("#geo +lat"), field_for_hxl("#x_budget") is None
    ('latitude', True)
    """
    return _hxl_match(tag)[0]


def _hxl_match(tag: object) -> tuple[str | None, int]:
    """The field an HXL hashtag names and the rank of the rule (lower is better)."""
    if not isinstance(tag, str) or not _HXL_TAG.match(tag.strip()):
        return None, 0
    parts = [p.strip().lower() for p in tag.strip().lstrip("#").split("+")]
    attributes = frozenset(parts[1:])
    for rank, (required, excluded, name) in enumerate(HXL_TAGS.get(parts[0], ())):
        if required <= attributes and not attributes & excluded:
            return name, rank
    return None, 0


def _cell_text(value: object) -> str:
    """One workbook cell as stripped text; ``""`` when empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\ufeff", "").strip()
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float):
        if value != value:
            return ""
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    else:
        text = str(value)
    return text.replace("\ufeff", "").strip()


def _short(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters."""
    one = " ".join(text.split())
    return repr(one if len(one) <= limit else one[:limit] + "…")


# --------------------------------------------------------------------------- grids


@dataclass
class _Grid:
    """A table as columns of stripped text (``""`` when empty), with source lines."""

    lines: np.ndarray                      # 1-based source line (or sheet row) per row
    columns: list[np.ndarray]              # object arrays of str, one per column
    notes: list[str] = field(default_factory=list)          # about the whole file
    row_notes: dict[int, list[str]] = field(default_factory=dict)  # line -> notes
    hashtags: bool = True   # some cell may start with "#"
    clean: bool = False     # every cell is already as clean_text returns it

    def __len__(self) -> int:
        return len(self.lines)

    def row(self, i: int) -> list[str | None]:
        return [c[i] or None for c in self.columns]

    def take(self, keep: np.ndarray | slice) -> _Grid:
        return _Grid(self.lines[keep], [c[keep] for c in self.columns], self.notes,
                     self.row_notes, self.hashtags, self.clean)


def _grid_from_rows(rows: Sequence[tuple[int, Sequence[str]]],
                    notes: list[str] | None = None,
                    row_notes: dict[int, list[str]] | None = None) -> _Grid:
    width = max((len(cells) for _, cells in rows), default=0)
    columns = []
    for i in range(width):
        column = np.empty(len(rows), dtype=object)
        column[:] = [cells[i] if i < len(cells) else "" for _, cells in rows]
        columns.append(column)
    return _Grid(np.array([n for n, _ in rows], dtype=np.int64), columns, notes or [],
                 row_notes or {})


def _stripped(column: np.ndarray) -> np.ndarray:
    """``column`` with every value stripped (and BOMs removed); only dirty values touched."""
    dirty = untidy(column.tolist())
    if len(dirty):
        column = column.copy()
        column[dirty] = [v.replace("\ufeff", "").strip() for v in column[dirty]]
    return column


def _frame(columns: dict[str, np.ndarray], index: pd.Index | None = None) -> pd.DataFrame:
    """A DataFrame over ``columns`` (1-D numpy arrays of one length), without the
    copy that consolidating them into one block per dtype would cost."""
    length = len(next(iter(columns.values()))) if columns else 0
    index = pd.RangeIndex(length) if index is None else index
    try:
        from pandas.api.internals import create_dataframe_from_blocks
    except ImportError:  # pandas < 3
        return pd.DataFrame(columns, index=index)
    blocks = [(np.asarray(v).reshape(1, -1), np.array([i]))
              for i, v in enumerate(columns.values())]
    return create_dataframe_from_blocks(blocks, index=index,
                                        columns=pd.Index(list(columns), dtype=object))


# --------------------------------------------------------------------------- files


def _read_bytes(path: Path, shown: str) -> bytes:
    """The file's bytes: a regular file of at most :data:`MAX_FILE_BYTES`."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputFileNotFound("file not found", file=shown) from None
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})", file=shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile("is a directory, not a table file", file=shown)
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("is not a regular file (a device, pipe or socket); "
                             "give a saved .csv or .xlsx file", file=shown)
    if info.st_size > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"is {info.st_size / 2**20:.0f} MB; records files over "
            f"{MAX_FILE_BYTES // 2**20} MB are not read (split the table)", file=shown)
    try:  # non-blocking, then checked again: a pipe swapped in after stat never blocks
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                             | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UnreadableFile("is not a regular file (a device, pipe or socket); "
                                     "give a saved .csv or .xlsx file", file=shown)
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})", file=shown) from None
    if len(data) > MAX_FILE_BYTES:  # grew while being read
        raise UnreadableFile(f"is over {MAX_FILE_BYTES // 2**20} MB; not read", file=shown)
    return data


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when ``data`` looks like UTF-16 text without a BOM."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _decode(data: bytes, shown: str) -> tuple[str, str, bool]:
    """Decode ``data``: UTF-16 (BOM or not), UTF-8 (BOM optional), cp1252, latin-1.

    A UTF-8 file with a few bytes of another encoding is refused with the line
    of the first one (decoding it as cp1252 would turn every accent into
    mojibake such as "SÃ©gou").
    """
    utf16 = ("utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff"))
             else _utf16_without_bom(data))
    if utf16:
        try:
            return data.decode(utf16), utf16, True
        except UnicodeDecodeError:
            raise UnreadableFile("is not valid UTF-16 text", file=shown) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableFile(
            f"holds a NUL byte on line {_line_of(data, nul)}: binary data or a damaged "
            "file, not a CSV/TSV text table", file=shown)
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        # around the first bad byte: valid multi-byte UTF-8 characters outnumbering
        # the bad bytes mean a UTF-8 file with stray bytes of another encoding
        window = data[max(0, exc.start - 2**20):exc.start + 2**20]
        lenient = window.decode("utf-8", errors="replace")
        stray = lenient.count("\ufffd")
        saved = len(window) - len(lenient)
        if saved > 0 and saved > stray:
            byte = data[exc.start]
            guess = bytes([byte]).decode("cp1252", errors="replace")
            raise UnreadableFile(
                f"mixes text encodings: it is UTF-8 but line {_line_of(data, exc.start)} "
                f"holds byte 0x{byte:02X} ({guess!r} in Windows-1252), which is not "
                "UTF-8; save the whole file again as UTF-8", file=shown) from None
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    members = bytes([*range(0, 9), *range(0x0E, 0x20), 0x7F])
    if encoding == "latin-1":
        members += bytes(range(0x80, 0xA0))
    controls = len(_only(data, members))
    if encoding == "utf-8-sig" and b"\xc2" in data:
        controls += len(_C1_UTF8.findall(data))
    if controls > max(2, len(text) // 100):
        raise UnreadableFile("holds binary data or an unknown text encoding", file=shown)
    return text, encoding, controls > 0 or any(c in data for c in (b"\x0b", b"\x0c"))


def _detect_delimiter(text: str, preferred: str = ",") -> str:
    """The most plausible of ``,``, ``;`` and tab for this CSV text.

    For each candidate, the most common row width (above one cell) among the
    first rows and how many rows have it; the candidate with most such rows wins,
    then the wider one, then ``preferred``. Title lines above the header, which
    usually have no delimiter, do not count.
    """
    sample = text[:65536]
    best: tuple[tuple[int, int, int], str] | None = None
    order = [preferred] + [d for d in (",", ";", "\t") if d != preferred]
    for rank, delimiter in enumerate(order):
        widths: Counter[int] = Counter()
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            for cells in reader:
                if cells:
                    widths[len(cells)] += 1
                if sum(widths.values()) >= 200:
                    break
        except csv.Error:
            pass
        wide = [(count, width) for width, count in widths.items() if width > 1]
        if not wide:
            continue
        count, width = max(wide)
        score = (count, width, -rank)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else preferred


def _sample_width(text: str, delimiter: str, shown: str) -> int:
    """The widest row among the first lines; refuses more than :data:`MAX_COLUMNS`."""
    width = 1
    reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS:
                raise UnreadableFile(_too_wide(len(cells)), file=shown,
                                     row=reader.line_num)
            width = max(width, len(cells))
            if number >= 1000:
                break
    except csv.Error:
        pass
    return width


def _too_wide(width: int) -> str:
    return (f"has {width} or more columns; at most {MAX_COLUMNS} are read "
            "(is the delimiter right, or is this a table at all?)")


def _too_many_cells(rows: int, width: int) -> str:
    return (f"has {rows} rows of up to {width} cells; at most {MAX_CELLS} cells are read "
            "(split the table, or remove empty columns)")


def _too_long(column: int) -> str:
    return (f"column {column} holds a cell longer than {MAX_CELL_CHARS} characters "
            "(the most a spreadsheet cell holds); check the quotes and delimiters")


def _text_grid(path: Path, shown: str, sheet: str | int | None) -> _Grid:
    data = _read_bytes(path, shown)
    if not data.strip():
        raise UnreadableFile("is empty", file=shown)
    if data.startswith(b"PK\x03\x04"):
        return _excel_grid(path, shown, sheet, data)  # a workbook with another name
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _calamine_grid(path, shown, sheet, data)  # an old .xls with another name
    text, encoding, has_controls = _decode(data, shown)
    if not text.strip():
        raise UnreadableFile("is empty", file=shown)
    lines = max(text.count("\n"), text.count("\r")) + 1
    if lines > MAX_ROWS:
        raise UnreadableFile(f"has {lines} lines; at most {MAX_ROWS} are read (split the "
                             "table)", file=shown)
    preferred = "\t" if path.suffix.lower() in {".tsv", ".tab"} else ","
    delimiter = _detect_delimiter(text, preferred)
    width = _sample_width(text, delimiter, shown)
    if lines * width > MAX_CELLS:
        raise UnreadableFile(_too_many_cells(lines, width), file=shown)
    if encoding in ("utf-8-sig", "cp1252", "latin-1") and encoding != "utf-8-sig":
        payload = text.encode("utf-8")
    elif encoding == "utf-8-sig":
        payload = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    else:
        payload = text.encode("utf-8")
    grid = _fast_csv(payload, delimiter, width, shown,
                     controls=has_controls or (delimiter != "\t" and b"\t" in data))
    if grid is None:
        grid = _strict_csv(text, delimiter, shown)
    return grid


def _record_lines(payload: bytes, delimiter: str) -> tuple[np.ndarray, int] | None:
    """Start line of each CSV record, or ``None`` when quoting is not simple.

    Line breaks (``\\n``, ``\\r\\n``, ``\\r``) inside quotes continue a record.
    Quoting is simple when every quote opens a cell, closes one or is doubled;
    otherwise the careful reader decides.
    """
    array = np.frombuffer(payload, dtype=np.uint8)
    newlines = np.flatnonzero(array == 10)
    returns = np.flatnonzero(array == 13)
    if len(returns):
        following = array[np.minimum(returns + 1, len(array) - 1)]
        following[returns + 1 >= len(array)] = 0
        lone = returns[following != 10]
        breaks = np.union1d(newlines, lone) if len(lone) else newlines
    else:
        breaks = newlines
    quotes = np.flatnonzero(array == 34)
    if len(quotes):
        if len(quotes) % 2:
            return None
        before = array[np.maximum(quotes - 1, 0)]
        before[quotes == 0] = 10
        after = array[np.minimum(quotes + 1, len(array) - 1)]
        after[quotes + 1 >= len(array)] = 10
        bounds = np.array([10, 13, ord(delimiter)], dtype=np.uint8)
        simple = (np.isin(before, bounds) | np.isin(after, bounds) | (before == 34)
                  | (after == 34))
        if not simple.all():
            return None
        outside = breaks[np.searchsorted(quotes, breaks) % 2 == 0]
    else:
        outside = breaks
    starts = np.concatenate(([0], outside + 1))
    if starts[-1] >= len(array):
        starts = starts[:-1]
    lines = np.searchsorted(breaks, starts, side="left") + 1
    # a record (one or more lines) longer than a cell may hold a cell over the limit:
    # the careful reader decides
    if np.diff(np.concatenate((starts, [len(array)]))).max(initial=0) > MAX_CELL_CHARS:
        return None
    return lines.astype(np.int64), len(breaks)


def _fast_csv(payload: bytes, delimiter: str, width: int, shown: str,
              controls: bool = True) -> _Grid | None:
    """Parse with pandas' C reader; ``None`` when the careful reader must decide."""
    found = _record_lines(payload, delimiter)
    if found is None:
        return None
    lines, breaks = found
    for _ in range(3):
        try:
            frame = pd.read_csv(
                io.BytesIO(payload), sep=delimiter, header=None, names=range(width),
                dtype=object, na_filter=False, skip_blank_lines=False, engine="c",
                quoting=csv.QUOTE_MINIMAL, doublequote=True, encoding="utf-8")
        except pd.errors.ParserError as exc:
            found = re.search(r"saw (\d+)", str(exc))
            if not found:
                return None
            width = int(found[1])
            if width > MAX_COLUMNS:
                line = re.search(r"line (\d+)", str(exc))
                raise UnreadableFile(_too_wide(width), file=shown,
                                     row=int(line[1]) if line else None) from None
            continue
        except (ValueError, UnicodeDecodeError):
            return None
        break
    else:
        return None
    if len(frame) != len(lines):
        return None
    strip, clean, hashtags = _payload_checks(payload, delimiter, len(lines), breaks,
                                             controls)
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    if strip:
        columns = [_stripped(c) for c in columns]
    return _Grid(lines, columns, hashtags=hashtags, clean=not clean)


def _only(data: bytes, members: bytes) -> bytes:
    """The bytes of ``data`` that are in ``members`` (one C pass)."""
    return data.translate(None, bytes(b for b in range(256) if b not in members))


def _payload_checks(payload: bytes, delimiter: str, records: int,
                    line_breaks: int, controls_possible: bool) -> tuple[bool, bool, bool]:
    """Which per-cell passes a parsed CSV needs, from a few passes over its bytes:
    (some cell needs stripping, some cell needs :func:`clean_text`-style cleaning,
    some cell starts with ``#``). Conservative: ``True`` when unsure."""
    array = np.frombuffer(payload, dtype=np.uint8)
    if not len(array):
        return False, False, False
    separators = {10, 13, ord(delimiter)}
    controls = bytes(b for b in [*range(1, 32), 0x7F] if b not in separators)
    present = set(_only(payload, controls)) if controls_possible else set()
    present |= {b for b in b"#" + _WIDE_LEADS if bytes([b]) in payload}
    bounds = np.zeros(256, dtype=bool)
    bounds[[10, 13, 34, ord(delimiter)]] = True
    wide = False
    if present & set(_WIDE_LEADS):
        leads = np.zeros(256, dtype=bool)
        leads[list(_WIDE_LEADS)] = True
        wide = len(wide_spaces(array, np.flatnonzero(leads[array]))) > 0
    ends_with_break = payload.endswith((b"\n", b"\r"))
    quoted_breaks = line_breaks > records - (0 if ends_with_break else 1)
    spaces = np.flatnonzero(array == 32)
    before = array[np.maximum(spaces - 1, 0)]
    after = array[np.minimum(spaces + 1, len(array) - 1)]
    edge = (bounds[before] | bounds[after] | (spaces == 0) | (spaces == len(array) - 1))
    strip = bool(wide or quoted_breaks or present & set(controls) or edge.any())
    clean = strip or bool((after[:-1] == 32).any() if len(after) else False)
    hashtags = False
    if ord("#") in present:
        hashes = np.flatnonzero(array == 35)
        hashtags = bool(((hashes == 0) | bounds[array[np.maximum(hashes - 1, 0)]]).any())
    return strip, clean, hashtags


def _strict_csv(text: str, delimiter: str, shown: str) -> _Grid:
    """The careful reader: Python's csv module, strict about quotes, with limits."""
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = total = 0  # last physical line consumed, cells read
    previous = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        for cells in reader:
            start = line + 1
            line = reader.line_num
            if len(cells) > MAX_COLUMNS:
                raise UnreadableFile(_too_wide(len(cells)), file=shown, row=start)
            total += len(cells)
            if total > MAX_CELLS:
                raise UnreadableFile(_too_many_cells(len(rows) + 1, len(cells)), file=shown)
            rows.append((start, [c.replace("\ufeff", "").strip() for c in cells]))
    except csv.Error as exc:
        reason = str(exc)
        if "field larger" in reason:
            message = (f"holds a cell longer than {MAX_CELL_CHARS} characters (the most a "
                       "spreadsheet cell holds); check the quotes and delimiters")
        elif "end of data" in reason or "EOF" in reason:
            message = ("has a quote (\") that is never closed; a quoted cell starts on "
                       "this line and swallows the rest of the file")
        elif "expected after" in reason:
            message = ("has a quote (\") closed in the middle of a cell; quote whole "
                       "cells, and double quotes inside them (\"\")")
        else:
            message = f"is not a readable CSV table ({reason[:80]})"
        raise UnreadableFile(message, file=shown, row=line + 1) from None
    finally:
        csv.field_size_limit(previous)
    return _grid_from_rows(rows)


def _sheet_marks(data: bytes, worksheet: object) -> tuple[list[tuple[bytes, ...]],
                                                       list[tuple[bytes, ...]]]:
    """Formulas without a saved value and merged ranges of a read-only worksheet, found
    in its raw XML read in chunks (so memory stays bounded on any sheet size)."""
    name = getattr(worksheet, "_worksheet_path", None)
    formulas: dict[int, tuple[bytes, ...]] = {}
    merges: dict[int, tuple[bytes, ...]] = {}
    if not name:
        return [], []
    chunk, overlap = 8 * 2**20, 4096   # a match is far shorter than the overlap
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, \
                archive.open(name.lstrip("/")) as handle:
            offset, tail = 0, b""
            while block := handle.read(chunk):
                window = tail + block
                base = offset - len(tail)
                if b"<f" in window or b":f" in window:
                    for match in _FORMULA_WITHOUT_VALUE.finditer(window):
                        formulas.setdefault(base + match.start(), match.groups())
                if b"mergeCell" in window:
                    for match in _MERGE.finditer(window):
                        merges.setdefault(base + match.start(), match.groups())
                offset += len(block)
                tail = window[-overlap:]
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return [], []
    return ([formulas[k] for k in sorted(formulas)], [merges[k] for k in sorted(merges)])


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+)(\d+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*?'
    rb'(?:/>|>([^<]{0,200})[^<]*</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*'
    rb'</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')


def _check_unpacked_size(data: bytes, shown: str) -> None:
    """Refuse a workbook whose parts unpack to more than :data:`MAX_UNPACKED_BYTES`
    (a zip bomb), before any part is unpacked. Python's zip reader never reads a part
    past its declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl words the damage
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"is a workbook that unpacks to {unpacked / 2**30:.1f} GB; at most "
            f"{MAX_UNPACKED_BYTES // 2**30} GB are read (split the table)", file=shown)


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def _sheet_index(names: Sequence[str], sheet: str | int | None, shown: str) -> int:
    """The position of the sheet asked for (the first by default), else one clear error."""
    if sheet is None:
        return 0
    if isinstance(sheet, int):
        if not -len(names) <= sheet < len(names):
            raise UnreadableFile(
                f"has no sheet number {sheet} (0-based); it has {len(names)} sheet(s): "
                + ", ".join(repr(n) for n in names), file=shown)
        return sheet % len(names)
    matches = [i for i, n in enumerate(names) if n == sheet] or [
        i for i, n in enumerate(names) if fold(n) == fold(sheet)]
    if not matches:
        raise UnreadableFile(f"has no sheet named {sheet!r}; sheets: "
                             + ", ".join(repr(n) for n in names), file=shown)
    return matches[0]


def _bounded_rows(values_by_row: Iterable[Sequence[object]], title: str, shown: str,
                  first: int = 1) -> list[tuple[int, list[str]]]:
    """The non-blank rows of a sheet as (row number, cell texts), within the read limits."""
    rows: list[tuple[int, list[str]]] = []
    parsed = 0  # cells parsed, empty ones included: bounds the work on any sheet
    for number, values in enumerate(values_by_row, start=first):
        values = tuple(values)
        parsed += len(values) + 1
        if number > MAX_ROWS or parsed > MAX_CELLS:
            raise UnreadableFile(
                f"sheet {title!r} goes on past row {number - 1} "
                f"({parsed} cells); at most {MAX_ROWS} rows and {MAX_CELLS} cells are "
                "read (delete the unused rows, or split the table)", file=shown)
        if all(v is None or v == "" for v in values):
            continue
        if len(values) > MAX_COLUMNS:
            beyond = [i for i, v in enumerate(values[MAX_COLUMNS:], MAX_COLUMNS)
                      if v is not None and v != ""]
            if beyond:
                raise UnreadableFile(
                    f"sheet {title!r} has a value in column {beyond[0] + 1} "
                    f"({_column_letters(beyond[0] + 1)}{number}); at most "
                    f"{MAX_COLUMNS} columns are read: delete that cell or move the "
                    "table", file=shown, row=number)
            values = values[:MAX_COLUMNS]
        cells = [_cell_text(v) for v in values]
        for i, cell in enumerate(cells):
            if len(cell) > MAX_CELL_CHARS:
                raise UnreadableFile(_too_long(i + 1), file=shown, row=number)
        rows.append((number, cells))
    return rows


_DAMAGED_XLSX = "is not a readable XLSX workbook"
_DAMAGED_CALAMINE = "is not a readable .xls or .ods workbook"


@contextmanager
def _damaged(shown: str, message: str) -> Iterator[None]:
    """Turn a workbook reader's own exception into one line: ``message`` and its type."""
    try:
        yield
    except UnreadableFile:
        raise
    except Exception as exc:  # workbook readers raise many types for damaged files
        raise UnreadableFile(f"{message} ({type(exc).__name__})", file=shown) from None


def _calamine_grid(path: Path, shown: str, sheet: str | int | None,
                   data: bytes | None = None) -> _Grid:
    """The rows of an .xls or .ods sheet, read with python-calamine (``mali-map[xls]``)."""
    try:
        import python_calamine
    except ImportError:
        raise MissingExtra("reading .xls and .ods records", "xls") from None
    if data is None:
        data = _read_bytes(path, shown)
    if data.startswith(b"PK\x03\x04"):
        _check_unpacked_size(data, shown)
    with _damaged(shown, _DAMAGED_CALAMINE):
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        with _damaged(shown, _DAMAGED_CALAMINE):
            names = list(workbook.sheet_names)
            if not names:
                raise UnreadableFile("has no sheets", file=shown)
            worksheet = workbook.get_sheet_by_index(_sheet_index(names, sheet, shown))
            first_row = (worksheet.start or (0, 0))[0] + 1
            rows = _bounded_rows(worksheet.iter_rows(), worksheet.name, shown, first_row)
    finally:
        workbook.close()
    return _grid_from_rows(rows)


def _excel_grid(
    path: Path, shown: str, sheet: str | int | None, data: bytes | None = None
) -> _Grid:
    import openpyxl  # deferred: only needed for workbooks

    if data is None:
        data = _read_bytes(path, shown)
    _check_unpacked_size(data, shown)
    with _damaged(shown, _DAMAGED_XLSX):  # from bytes: a workbook under another extension opens
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        with _damaged(shown, _DAMAGED_XLSX):
            worksheet = workbook.worksheets[_sheet_index(workbook.sheetnames, sheet, shown)]
            if not hasattr(worksheet, "reset_dimensions"):
                raise UnreadableFile(f"sheet {worksheet.title!r} is a chart, not a table",
                                     file=shown)
            worksheet.reset_dimensions()  # never pad rows to a declared (styled) dimension
            rows = _bounded_rows(worksheet.iter_rows(values_only=True), worksheet.title, shown)
            formulas, merges = _sheet_marks(data, worksheet)
    finally:
        workbook.close()
    row_notes: dict[int, list[str]] = {}
    for letters, number, formula in formulas[:100_000]:
        shown_formula = f" (={_short(formula.decode(errors='replace'), 40)[1:-1]})" \
            if formula else ""
        row_notes.setdefault(int(number), []).append(
            f"cell {letters.decode()}{int(number)} holds a formula{shown_formula} without a "
            "saved value (the workbook was written by a program, not saved by a "
            "spreadsheet); read as empty: open and save it in Excel or LibreOffice")
    return _fill_merged(_grid_from_rows(rows, row_notes=row_notes), merges, shown)


def _fill_merged(grid: _Grid, merges: list[tuple[bytes, ...]], shown: str) -> _Grid:
    """Fill each merged range from its top-left cell, with a note on every filled row.

    At most :data:`MAX_CELLS` cells are filled in all (overlapping ranges in a
    hostile file could otherwise ask for far more)."""
    if not merges:
        return grid
    lines = grid.lines
    filled = 0
    for first_col, first_row, last_col, last_row in merges:
        top, bottom = int(first_row), int(last_row)
        left = _column_number(first_col)
        right = min(_column_number(last_col), len(grid.columns))
        at = int(np.searchsorted(lines, top))
        if at >= len(lines) or lines[at] != top or left > right:
            continue
        value = grid.columns[left - 1][at]
        if not value:
            continue
        end = int(np.searchsorted(lines, bottom, side="right"))
        filled += (end - at) * (right - left + 1)
        if filled > MAX_CELLS:
            raise UnreadableFile(f"merged cells cover more than {MAX_CELLS} cells; unmerge "
                                 "them (or split the table)", file=shown)
        for column in range(left, right + 1):
            grid.columns[column - 1][at:end] = value
        ref = f"{first_col.decode()}{top}:{last_col.decode()}{bottom}"
        for line in lines[at + 1:end].tolist():
            grid.row_notes.setdefault(line, []).append(
                f"merged cells {ref}: value {_short(value)} copied from the top-left cell")
    return grid


# -------------------------------------------------------------------------- columns


def _is_hxl_row(cells: Sequence[str | None]) -> bool:
    filled = [c for c in cells if c]
    tags = [c for c in filled if _HXL_TAG.match(c)]
    return bool(tags) and len(tags) * 2 > len(filled)


def _names_fields(cells: Sequence[str | None]) -> set[str]:
    return {field_for_header(c) for c in cells if c} - {None}  # type: ignore[misc]


#: How far down the header is looked for: title blocks up to this many rows.
_HEADER_SCAN = 1000


def _header_index(grid: _Grid) -> int | None:
    """The header row: the first row naming two known fields, one of them a location
    unless it is the first row; ``None`` when no row does. Title blocks of any
    length (up to :data:`_HEADER_SCAN` rows) above it are skipped."""
    for index in range(min(len(grid), _HEADER_SCAN)):
        found = _names_fields(grid.row(index))
        if len(found) >= 2 and (index == 0 or _has_location(found)):
            return index
    return None


def _unique(name: str, taken: set[str], counters: dict[str, int]) -> str:
    """``name``, or ``name (2)``, ``name (3)`` ... : the first not in ``taken``.

    ``counters`` remembers the last suffix tried for each name, so N copies of one
    name cost N steps, not N².
    """
    candidate, n = name, counters.get(name, 1)
    if n > 1:
        candidate = f"{name} ({n})"
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    counters[name] = n
    taken.add(candidate)
    return candidate


def _assign_columns(
    headers: Sequence[str | None], tags: Sequence[str | None], width: int
) -> tuple[list[str], dict[str, str], list[str]]:
    """Output column name for each input column, canonical field -> header, notes."""
    names: list[str | None] = [None] * width
    originals: dict[str, str] = {}
    used: set[str] = set()
    duplicates: list[str] = []

    def shown(i: int) -> str:
        header = headers[i] if i < len(headers) else None
        tag = tags[i] if i < len(tags) else None
        text = " ".join((header or tag or f"column {i + 1}").split())
        return text if len(text) <= 100 else text[:100] + "…"

    # HXL tags first (the best-ranked tag of each field wins), then headers, so a
    # tag wins over a misleading header.
    ranked = sorted((rank, i, found) for i in range(min(width, len(tags))) if tags[i]
                    for found, rank in [_hxl_match(tags[i])] if found)
    for _, i, found in ranked:
        if found not in used:
            used.add(found)
            names[i] = found
            originals[found] = shown(i)
    for i in range(width):
        if names[i] is not None or i >= len(headers) or not headers[i]:
            continue
        found = field_for_header(headers[i])
        if found and found not in used:
            used.add(found)
            names[i] = found
            originals[found] = shown(i)
        elif found and (i >= len(tags) or not tags[i]):
            duplicates.append(f"{shown(i)!r} (column {i + 1}) also names {found!r}, "
                              f"already read from {originals[found]!r}")
    taken, counters = set(used), {}
    for i in range(width):
        if names[i] is None:
            names[i] = _unique(f"extra:{shown(i)}", taken, counters)
    notes = []
    if duplicates:
        notes.append("duplicate columns, kept as extra columns: " + "; ".join(duplicates[:5])
                     + (f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""))
    return names, originals, notes  # type: ignore[return-value]


def _has_location(fields: Iterable[str]) -> bool:
    present = set(fields)
    return bool(present & set(LOCATION_FIELDS)) or {"latitude", "longitude"} <= present


def _hashtag_rows(grid: _Grid) -> np.ndarray:
    """Indices of the rows that are HXL hashtag rows (checked only where a cell starts
    with ``#``)."""
    if not grid.hashtags:
        return np.empty(0, dtype=np.int64)
    candidates = np.unique(np.concatenate(
        [starting_with_hash(c.tolist()) for c in grid.columns] or [np.empty(0)]
    )).astype(np.int64)
    return np.array([i for i in candidates if _is_hxl_row(grid.row(int(i)))],
                    dtype=np.int64)


def _line_list(lines: Iterable[int]) -> str:
    shown = [str(n) for n in lines]
    return ", ".join(shown[:10]) + (f" and {len(shown) - 10} more" if len(shown) > 10 else "")


def _drop_blank_rows(grid: _Grid) -> _Grid:
    if not grid.columns:
        return grid.take(np.zeros(len(grid), dtype=bool))
    filled = np.zeros(len(grid), dtype=bool)
    for column in grid.columns:
        filled |= column.astype(bool)
    return grid if filled.all() else grid.take(filled)


def read_records(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a 3W table into text columns named after the canonical record fields.

    ``path`` is a CSV/TSV/TXT (UTF-8, UTF-16, cp1252 or latin-1; ``,``, ``;`` or
    tab) or an XLSX workbook (first sheet, or ``sheet`` by name or 0-based index;
    ``sheet`` is ignored for text files). Title lines above the header are
    skipped, and so are a second header row and HXL hashtag rows among the data
    (with a note). Every value is stripped text or ``None``; ``row`` is the
    1-based line (or sheet row) of each data row in the source. Unrecognised
    columns are kept as ``extra:<header>``. ``df.attrs`` holds ``source`` (the
    path as given), ``columns`` (canonical field -> original header), ``notes``
    (one-line remarks about the whole file) and ``row_notes`` (``row`` -> remarks
    about that row's cells, e.g. merged cells or formulas without values).

    Raises :class:`~mali_map.InputFileNotFound`,
    :class:`~mali_map.UnreadableFile` or
    :class:`~mali_map.MissingColumns` with a one-line message.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "3w.csv").write_text("Partenaire;Région;Budget\\n\\nHI;Mopti;1 200\\n")
    >>> df = read_records(folder / "3w.csv")
    >>> df[["row", "organisation", "adm1_name", "extra:Budget"]].values.tolist()
    [[3, 'HI', 'Mopti', '1 200']]
    """
    return _read(path, sheet)[0]


def _read(path: str | Path, sheet: str | int | None,
          empty: str | None = None) -> tuple[pd.DataFrame, bool]:
    """:func:`read_records`, and whether every text cell is already clean (as
    :func:`mali_map._read._validate.clean_text` returns it), which lets validation skip
    that pass. ``empty`` is what empty cells hold (``""`` saves a pass for
    validation)."""
    shown = str(path)
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in _UNSUPPORTED:
        if not file.exists():
            raise InputFileNotFound("file not found", file=shown)
        raise UnreadableFile(_UNSUPPORTED[suffix], file=shown)
    if suffix in _EXCEL_EXTENSIONS:
        grid = _excel_grid(file, shown, sheet)
    elif suffix in _CALAMINE_EXTENSIONS:
        grid = _calamine_grid(file, shown, sheet)
    else:
        grid = _text_grid(file, shown, sheet)

    grid = _drop_blank_rows(grid)
    if not len(grid):
        raise UnreadableFile("holds no data (no non-blank rows)", file=shown)
    notes = list(grid.notes)

    header_at = _header_index(grid)
    first = header_at or 0
    hxl = next((i for i in range(first, min(first + _HXL_SCAN, len(grid)))
                if _is_hxl_row(grid.row(i))), None)
    if hxl is None and header_at is None:
        hxl = next((i for i in range(min(_HXL_SCAN, len(grid))) if _is_hxl_row(grid.row(i))),
                   None)
    if hxl is not None:
        tags = grid.row(hxl)
        if header_at is not None and header_at < hxl:
            headers = grid.row(header_at)
        else:
            headers = grid.row(hxl - 1) if hxl > 0 else []
            header_at = hxl - 1 if hxl > 0 else None
        skipped_labels = range((header_at if header_at is not None else hxl) + 1, hxl)
        data_at = hxl + 1
    else:
        header_at = first
        tags, headers = [], grid.row(header_at)
        data_at = header_at + 1
        skipped_labels = range(data_at, data_at)
        # a second header row (labels) right under the header
        if data_at < len(grid) and _looks_like_labels(grid.row(data_at)):
            skipped_labels = range(data_at, data_at + 1)
            data_at += 1
    top = header_at if header_at is not None else (hxl or 0)
    if top > 0:
        notes.append(f"line(s) {_line_list(grid.lines[:top])} above the header skipped as "
                     "a title")
    if len(skipped_labels):
        notes.append(f"line(s) {_line_list(grid.lines[list(skipped_labels)])} under the "
                     "header skipped as a second header row")

    data = grid.take(slice(data_at, None))
    hashtags = _hashtag_rows(data)
    if len(hashtags):
        notes.append(f"line(s) {_line_list(data.lines[hashtags])} hold HXL hashtags, not "
                     "data; skipped")
        keep = np.ones(len(data), dtype=bool)
        keep[hashtags] = False
        data = data.take(keep)

    width = max(len(headers), len(tags), len(data.columns))
    names, originals, column_notes = _assign_columns(headers, tags, width)
    notes.extend(column_notes)

    if not _has_location(originals):
        seen = ", ".join(_short(h or "", 40) for h in headers[:30] if h) or "none"
        if len([h for h in headers if h]) > 30:
            seen += ", …"
        accepted = ", ".join(["adm1_name", *HEADER_SYNONYMS["adm1_name"], "adm1_pcode",
                              *HEADER_SYNONYMS["adm1_pcode"]])
        raise MissingColumns(
            f"no location column found (columns seen: {seen}); add a region column "
            f"(accepted names: {accepted}, or HXL #adm1+name), a cercle, a place, "
            "or latitude and longitude",
            file=shown,
        )
    if not len(data):
        notes.append("the table has a header but no data rows")

    blank = np.empty(len(data), dtype=object)
    blank[:] = ""
    named = max((i + 1 for i in range(width) if (i < len(headers) and headers[i])
                 or (i < len(tags) and tags[i])), default=0)
    surplus = np.zeros(len(data), dtype=bool)
    for column in data.columns[named:]:
        surplus |= column.astype(bool)
    columns: dict[str, np.ndarray] = {}
    for i, name in enumerate(names):
        header = headers[i] if i < len(headers) else None
        tag = tags[i] if i < len(tags) else None
        column = data.columns[i] if i < len(data.columns) else blank
        # Drop extra columns that are empty everywhere and have no header (trailing cells).
        if name.startswith("extra:") and not header and not tag and not column.astype(bool).any():
            continue
        if empty is None:
            column = column.copy()
            column[~column.astype(bool)] = None
        columns[name] = column
    if surplus.any():
        notes.append(f"line(s) {_line_list(data.lines[surplus])} have more cells than the "
                     f"header ({named}); the surplus is kept as extra columns named "
                     "'column N' (check the delimiters and quotes of those lines)")

    order = ["row", *[f for f in RECORD_FIELDS if f in columns],
             *[n for n in columns if n.startswith("extra:")]]
    frame = _frame({"row": data.lines.astype(np.int64),
                    **{name: columns[name].astype(object, copy=False) for name in order[1:]}})
    frame.attrs["source"] = shown
    frame.attrs["columns"] = {f: originals[f] for f in RECORD_FIELDS if f in originals}
    frame.attrs["notes"] = notes
    lines = set(data.lines.tolist()) if data.row_notes else set()
    frame.attrs["row_notes"] = {n: tuple(v) for n, v in data.row_notes.items() if n in lines}
    return frame, data.clean


def _looks_like_labels(cells: Sequence[str | None]) -> bool:
    """A row under the header that names fields again (a label row), rather than data."""
    filled = [c for c in cells if c]
    named = [c for c in filled if field_for_header(c)]
    return len(named) >= 2 and len(named) * 2 > len(filled)
