"""Reference codes and names of Mali's first-level units, across reforms.

P-codes follow OCHA's COD-AB (ML01..ML09); ISO 3166-2 codes are a different
system (ML-1..ML-8, ML-BKO). Units created later (Ménaka and Taoudénit in 2016,
nine more regions made operational in 2023) and named areas ("northern Mali")
are kept as data in ``data/reference/reforms.csv`` with their sources, each
mapped to the pre-2016 region(s) that contain it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .._core import fold, join_message
from ._data import reforms_path


@dataclass(frozen=True)
class Unit:
    """One first-level unit: codes, names and spelling variants."""

    pcode: str
    iso: str
    name_fr: str
    name_en: str
    aliases: tuple[str, ...] = ()


ADM1: tuple[Unit, ...] = (
    Unit("ML01", "ML-1", "Kayes", "Kayes"),
    Unit("ML02", "ML-2", "Koulikoro", "Koulikoro", ("Koulikouro", "Koulikoru")),
    Unit("ML03", "ML-3", "Sikasso", "Sikasso"),
    Unit("ML04", "ML-4", "Ségou", "Segou", ("Segu",)),
    Unit("ML05", "ML-5", "Mopti", "Mopti"),
    Unit("ML06", "ML-6", "Tombouctou", "Timbuktu", ("Tomboctou", "Tombouktou", "Tombuctu",
                                                   "Timbuctoo")),
    Unit("ML07", "ML-7", "Gao", "Gao"),
    Unit("ML08", "ML-8", "Kidal", "Kidal"),
    Unit("ML09", "ML-BKO", "Bamako", "Bamako", ("District de Bamako", "Bamako District",
                                                  "District of Bamako")),
)


@dataclass(frozen=True)
class Reform:
    """A unit code or name from another administrative reform, or a named area.

    ``within`` are the pre-2016 regions (P-codes) that contain it: one for a unit,
    several for an area such as "northern Mali".
    """

    kind: str
    value: str
    name: str
    created: str
    within: tuple[str, ...]
    source: str

    def note(self, lang: str = "en") -> str:
        """The warning saying where this unit lies in the pre-2016 regions.

        >>> reforms()["iso"]["ML-9"].note("fr")
        "Ménaka (ISO ML-9, créée en 2016) se trouve dans la région d'avant 2016 Gao"
        """
        regions = ", ".join(UNIT_BY_PCODE[p].name_fr for p in self.within if p in UNIT_BY_PCODE)
        if self.kind == "area":
            return join_message("reform_area", lang, value=repr(self.value), regions=regions,
                                source=self.source)
        label = {"code": "P-code ", "iso": "ISO "}.get(self.kind, "")
        shown = f"{label}{self.value}, " if label else ""
        return join_message("reform_unit", lang, name=self.name, code=shown,
                            created=self.created, regions=regions)


@cache
def reforms() -> dict[str, dict[str, Reform]]:
    """The reform table (``data/reference/reforms.csv``) by kind and look-up key, loaded once.

    Codes are keyed by their canonical form, names and areas by :func:`name_key`.

    >>> reforms()["code"]["ML10"].within
    ('ML07',)
    >>> reforms()["area"]["nord du mali"].within
    ('ML06', 'ML07', 'ML08')
    """
    out: dict[str, dict[str, Reform]] = {"code": {}, "iso": {}, "name": {}, "area": {},
                                         "recode": {}}
    with reforms_path().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            reform = Reform(row["kind"], row["value"], row["name"], row["created"],
                            tuple(p for p in row["within_pcode"].split(";") if p),
                            row["source"])
            key = (row["value"] if reform.kind in ("code", "iso", "recode")
                   else name_key(row["value"]))
            out[reform.kind][key] = reform
    return out


def reform_for_code(code: object) -> Reform | None:
    """The reform entry of a P-code (or of a longer code inside it) or ISO code, if any.

    >>> reform_for_code("ML1001").name, reform_for_code("ml-9").name
    ('Ménaka', 'Ménaka')
    >>> reform_for_code("ML05") is None
    True
    """
    pcode = normalise_pcode(code)
    if pcode:
        return reforms()["code"].get(pcode[:4])
    raw = re.sub(r"\s", "", str(code or "")).upper()
    match = _ISO.match(raw)
    if match and "-" in raw and match.group(1) != "BKO":
        return reforms()["iso"].get(f"ML-{match.group(1).lstrip('0') or '0'}")
    return None


UNIT_BY_PCODE: dict[str, Unit] = {u.pcode: u for u in ADM1}
UNIT_BY_ISO: dict[str, Unit] = {u.iso: u for u in ADM1}

_PCODE = re.compile(r"^ML(?:I)?(\d{2,8})$")
_ISO = re.compile(r"^ML-?(\d{1,2}|BKO)$")
_NAME_PREFIXES = re.compile(
    r"^(?:(?:la |le )?(?:region|district|cercle|commune|province|prefecture)"
    r"(?: administrative)?(?: de| du| of| d)?\s+)+"
)
_NAME_SUFFIXES = re.compile(r"\s+(?:region|district|cercle|province)$")


def normalise_pcode(text: object) -> str | None:
    """An OCHA P-code in canonical form, or ``None`` if ``text`` is not one.

    >>> normalise_pcode(" mli07 ")
    'ML07'
    >>> normalise_pcode("ML 0701")
    'ML0701'
    >>> normalise_pcode("ML-7") is None
    True
    """
    raw = re.sub(r"[\s_.]", "", str(text or "")).upper()
    match = _PCODE.match(raw)
    if not match or len(match.group(1)) % 2:
        return None
    return "ML" + match.group(1)


def iso_to_pcode(text: object) -> tuple[str | None, str | None]:
    """Map an ISO 3166-2 code to a P-code: ``(pcode, note)``; note is set for post-2016 units.

    >>> iso_to_pcode("ML-BKO")
    ('ML09', None)
    >>> iso_to_pcode("ml-9")[0]
    'ML07'
    >>> iso_to_pcode("ML04")
    (None, None)
    """
    raw = re.sub(r"\s", "", str(text or "")).upper()
    match = _ISO.match(raw)
    if not match or "-" not in raw:
        return None, None
    iso = f"ML-{match.group(1).lstrip('0') or '0'}" if match.group(1) != "BKO" else "ML-BKO"
    if iso in UNIT_BY_ISO:
        return UNIT_BY_ISO[iso].pcode, None
    reform = reforms()["iso"].get(iso)
    if reform is not None:
        return reform.within[0], reform.note()
    return None, None


def name_key(text: object) -> str:
    """A place name folded and stripped of administrative prefixes.

    >>> name_key("Région de Ségou")
    'segou'
    >>> name_key("District de Bamako")
    'bamako'
    >>> name_key("Cercle d'Ansongo")
    'ansongo'
    """
    return _name_key_folded(fold(text))


@lru_cache(maxsize=65536)
def _name_key_folded(folded: str) -> str:
    # Memoised on the folded text: the join asks for the same few thousand names many times.
    stripped = _NAME_SUFFIXES.sub("", _NAME_PREFIXES.sub("", folded))
    return stripped or folded
