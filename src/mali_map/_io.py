"""Read a 3W table (CSV, TSV or XLSX, optionally with an HXL hashtag row).

:func:`read_records` turns a file into raw text columns named after
:data:`mali_map._model.RECORD_FIELDS`; parsing and checking the values is the job
of :mod:`mali_map._validate`. Columns are recognised in this order:

1. an HXL hashtag row (``#org``, ``#adm1+name`` ...) in the first five rows;
2. the header text, compared after :func:`mali_map._text.fold` with spaces
   removed, against :data:`HEADER_SYNONYMS` (French and English);
3. anything else is kept as ``extra:<header>`` so nothing the user wrote is lost.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from ._errors import InputFileNotFound, MissingColumns, UnreadableFile
from ._model import RECORD_FIELDS
from ._text import fold

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
              "Location", "Place", "Locality", "Ville", "Town"),
    "latitude": ("Latitude", "Lat", "Y"),
    "longitude": ("Longitude", "Lon", "Long", "Lng", "X"),
    "start_date": ("Date début", "Date de début", "Start date", "Début", "Start",
                   "Date", "Date start"),
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
}

#: HXL hashtag -> rules ``(attributes that must all be present, field)``, tried in
#: order, so the more specific rule comes first.
HXL_TAGS: dict[str, tuple[tuple[frozenset[str], str], ...]] = {
    "org": ((frozenset(), "organisation"),),
    "sector": ((frozenset(), "sector"),),
    "cluster": ((frozenset(), "sector"),),
    "activity": ((frozenset({"id"}), "id"), (frozenset(), "activity")),
    "adm1": ((frozenset({"code"}), "adm1_pcode"), (frozenset(), "adm1_name")),
    "adm2": ((frozenset({"code"}), "adm2_pcode"), (frozenset(), "adm2_name")),
    "loc": ((frozenset(), "place"),),
    "geo": ((frozenset({"lat"}), "latitude"), (frozenset({"lon"}), "longitude")),
    "date": ((frozenset({"start"}), "start_date"), (frozenset({"end"}), "end_date")),
    "status": ((frozenset(), "status"),),
    "reached": ((frozenset(), "reached"),),
    "affected": ((frozenset({"reached"}), "reached"),
                 (frozenset({"targeted"}), "targeted")),
    "beneficiary": ((frozenset(), "reached"),),
    "targeted": ((frozenset(), "targeted"),),
    "description": ((frozenset(), "description"),),
    "meta": ((frozenset({"id"}), "id"), (frozenset({"source"}), "source")),
}

#: Fields that say where a record is; at least one (or both coordinates) is needed.
LOCATION_FIELDS: tuple[str, ...] = ("adm1_pcode", "adm1_name", "adm2_pcode", "adm2_name",
                                    "place")

_TEXT_EXTENSIONS = {".csv", ".tsv", ".txt", ".tab", ""}
_EXCEL_EXTENSIONS = {".xlsx", ".xlsm"}
_UNSUPPORTED = {
    ".xls": "old Excel .xls workbooks are not supported; save it as .xlsx or CSV",
    ".ods": "OpenDocument spreadsheets are not supported; save it as .xlsx or CSV",
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
_HEADER_SCAN = 10  # rows searched for the header when line 1 is a title
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
    if not isinstance(tag, str) or not _HXL_TAG.match(tag.strip()):
        return None
    parts = [p.strip().lower() for p in tag.strip().lstrip("#").split("+")]
    attributes = frozenset(parts[1:])
    for required, name in HXL_TAGS.get(parts[0], ()):
        if required <= attributes:
            return name
    return None


def _cell_text(value: object) -> str | None:
    """One cell as stripped text; ``None`` when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float):
        if value != value:
            return None
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    else:
        text = str(value)
    text = text.replace("\ufeff", "").strip()
    return text or None


# --------------------------------------------------------------------------- files


def _read_bytes(path: Path, shown: str) -> bytes:
    if not path.exists():
        raise InputFileNotFound("file not found", file=shown)
    if path.is_dir():
        raise UnreadableFile("is a directory, not a table file", file=shown)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})", file=shown) from None


def _decode(data: bytes, shown: str) -> tuple[str, str]:
    """Decode ``data``: UTF-16 (with BOM), UTF-8 (BOM optional), cp1252, latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UnreadableFile("is not valid UTF-16 text", file=shown) from None
    if b"\x00" in data:
        raise UnreadableFile("holds binary data, not a CSV/TSV text table", file=shown)
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\f\v")
                       or 0x7F <= ord(ch) < 0xA0)
        if controls > max(2, len(text) // 100):
            raise UnreadableFile("holds binary data or an unknown text encoding",
                                 file=shown)
        return text, encoding
    raise UnreadableFile("cannot be decoded as text", file=shown)  # pragma: no cover


def _detect_delimiter(text: str, preferred: str = ",") -> str:
    """The most plausible of ``,``, ``;`` and tab for this CSV text."""
    sample = text[:65536]
    best: tuple[tuple[int, float, int], str] | None = None
    order = [preferred] + [d for d in (",", ";", "\t") if d != preferred]
    for rank, delimiter in enumerate(order):
        try:
            every = [r for r in csv.reader(io.StringIO(sample, newline=""),
                                           delimiter=delimiter) if r]
        except csv.Error:
            continue
        rows = [r for r in every if any(c.strip() for c in r)] or every
        if not rows:
            continue
        rows = rows[:30]
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows) / len(rows)
        score = (width, consistent, -rank)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else preferred


def _text_rows(
    path: Path, shown: str, sheet: str | int | None
) -> list[tuple[int, list[str | None]]]:
    data = _read_bytes(path, shown)
    if not data.strip():
        raise UnreadableFile("is empty", file=shown)
    if data.startswith(b"PK\x03\x04"):
        return _excel_rows(path, shown, sheet)  # a workbook with another name
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(_UNSUPPORTED[".xls"], file=shown)
    text, _ = _decode(data, shown)
    if not text.strip():
        raise UnreadableFile("is empty", file=shown)
    preferred = "\t" if path.suffix.lower() in {".tsv", ".tab"} else ","
    delimiter = _detect_delimiter(text, preferred)
    rows: list[tuple[int, list[str | None]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0  # last physical line consumed
    try:
        for cells in reader:
            start = line + 1
            line = reader.line_num
            rows.append((start, [_cell_text(c) for c in cells]))
    except csv.Error as exc:
        raise UnreadableFile(f"is not a readable CSV table ({exc})", file=shown,
                             row=line + 1) from None
    return rows


def _excel_rows(
    path: Path, shown: str, sheet: str | int | None
) -> list[tuple[int, list[str | None]]]:
    import openpyxl  # deferred: only needed for workbooks

    data = _read_bytes(path, shown)
    try:  # from bytes, so that a workbook saved under another extension still opens
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        kind = type(exc).__name__
        raise UnreadableFile(f"is not a readable XLSX workbook ({kind})", file=shown) from None
    try:
        names = workbook.sheetnames
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif isinstance(sheet, int):
            if not -len(names) <= sheet < len(names):
                raise UnreadableFile(
                    f"has no sheet number {sheet} (0-based); it has {len(names)} sheet(s): "
                    + ", ".join(repr(n) for n in names), file=shown)
            worksheet = workbook.worksheets[sheet]
        else:
            matches = [n for n in names if n == sheet] or [
                n for n in names if fold(n) == fold(sheet)]
            if not matches:
                raise UnreadableFile(
                    f"has no sheet named {sheet!r}; sheets: "
                    + ", ".join(repr(n) for n in names), file=shown)
            worksheet = workbook[matches[0]]
        rows = [
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(f"is not a readable XLSX workbook ({type(exc).__name__})",
                             file=shown) from None
    finally:
        workbook.close()
    return rows


# -------------------------------------------------------------------------- columns


def _is_hxl_row(cells: Sequence[str | None]) -> bool:
    filled = [c for c in cells if c]
    tags = [c for c in filled if _HXL_TAG.match(c)]
    return bool(tags) and len(tags) * 2 > len(filled)


def _header_index(rows: Sequence[tuple[int, list[str | None]]]) -> int:
    """Line 1 unless it is a title: the first row naming two known fields."""
    for index, (_, cells) in enumerate(rows[:_HEADER_SCAN]):
        found = {field_for_header(c) for c in cells if c} - {None}
        if len(found) >= 2 and (index == 0 or _has_location(found)):
            return index
    return 0


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    taken.add(candidate)
    return candidate


def _assign_columns(
    headers: Sequence[str | None], tags: Sequence[str | None], width: int
) -> tuple[list[str | None], dict[str, str]]:
    """Output column name for each input column, and canonical field -> header."""
    names: list[str | None] = [None] * width
    originals: dict[str, str] = {}
    used: set[str] = set()

    def shown(i: int) -> str:
        header = headers[i] if i < len(headers) else None
        tag = tags[i] if i < len(tags) else None
        return " ".join((header or tag or f"column {i + 1}").split())

    # HXL tags first, then headers, so a tag wins over a misleading header.
    for source in (tags, headers):
        finder = field_for_hxl if source is tags else field_for_header
        for i in range(width):
            if names[i] is not None or i >= len(source) or not source[i]:
                continue
            found = finder(source[i])
            if found and found not in used:
                used.add(found)
                names[i] = found
                originals[found] = shown(i)
    taken = set(used)
    for i in range(width):
        if names[i] is None:
            names[i] = _unique(f"extra:{shown(i)}", taken)
    return names, originals


def _has_location(fields: Iterable[str]) -> bool:
    present = set(fields)
    return bool(present & set(LOCATION_FIELDS)) or {"latitude", "longitude"} <= present


def read_records(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a 3W table into text columns named after the canonical record fields.

    ``path`` is a CSV/TSV/TXT (UTF-8, cp1252 or latin-1; ``,``, ``;`` or tab) or an
    XLSX workbook (first sheet, or ``sheet`` by name or 0-based index; ``sheet``
    is ignored for text files). A title line above the header is skipped. Every
    value is stripped text or ``None``; ``row`` is the 1-based line (or sheet
    row) of each data row in the source. Unrecognised columns are kept as
    ``extra:<header>``. ``df.attrs`` holds ``source`` (the path as given) and
    ``columns`` (canonical field -> original header).

    Raises :class:`~mali_map._errors.InputFileNotFound`,
    :class:`~mali_map._errors.UnreadableFile` or
    :class:`~mali_map._errors.MissingColumns` with a one-line message.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "3w.csv").write_text("Partenaire;Région;Budget\\n\\nHI;Mopti;1 200\\n")
    >>> df = read_records(folder / "3w.csv")
    >>> df[["row", "organisation", "adm1_name", "extra:Budget"]].values.tolist()
    [[3, 'HI', 'Mopti', '1 200']]
    """
    shown = str(path)
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in _UNSUPPORTED:
        if not file.exists():
            raise InputFileNotFound("file not found", file=shown)
        raise UnreadableFile(_UNSUPPORTED[suffix], file=shown)
    if suffix in _EXCEL_EXTENSIONS:
        rows = _excel_rows(file, shown, sheet)
    else:
        rows = _text_rows(file, shown, sheet)

    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        raise UnreadableFile("holds no data (no non-blank rows)", file=shown)

    hxl = next((i for i, (_, cells) in enumerate(rows[:_HXL_SCAN]) if _is_hxl_row(cells)),
               None)
    if hxl is not None:
        tags = rows[hxl][1]
        headers = rows[hxl - 1][1] if hxl > 0 else []
        data = rows[hxl + 1:]
    else:
        header_at = _header_index(rows)
        tags, headers, data = [], rows[header_at][1], rows[header_at + 1:]

    width = max([len(headers), len(tags), *(len(c) for _, c in data)])
    names, originals = _assign_columns(headers, tags, width)

    if not _has_location(originals):
        seen = ", ".join(repr(" ".join((h or "").split())) for h in headers if h) or "none"
        accepted = ", ".join(["adm1_name", *HEADER_SYNONYMS["adm1_name"], "adm1_pcode",
                              *HEADER_SYNONYMS["adm1_pcode"]])
        raise MissingColumns(
            f"no location column found (columns seen: {seen}); add a region column "
            f"(accepted names: {accepted}, or HXL #adm1+name), a cercle, a place, "
            "or latitude and longitude",
            file=shown,
        )

    columns: dict[str, list[object]] = {"row": [n for n, _ in data]}
    for i, name in enumerate(names):
        assert name is not None
        columns[name] = [cells[i] if i < len(cells) else None for _, cells in data]
    # Drop extra columns that are empty everywhere and have no header (trailing cells).
    for i, name in enumerate(names):
        assert name is not None
        header = headers[i] if i < len(headers) else None
        tag = tags[i] if i < len(tags) else None
        if name.startswith("extra:") and not header and not tag and not any(columns[name]):
            del columns[name]

    order = ["row", *[f for f in RECORD_FIELDS if f in columns],
             *[n for n in columns if n.startswith("extra:")]]
    frame = pd.DataFrame({name: pd.Series(columns[name], dtype=object) for name in order})
    frame["row"] = frame["row"].astype("int64")
    frame.attrs["source"] = shown
    frame.attrs["columns"] = {f: originals[f] for f in RECORD_FIELDS if f in originals}
    return frame
