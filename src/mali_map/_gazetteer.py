"""Reference codes and names of Mali's first-level units.

P-codes follow OCHA's COD-AB (ML01..ML09); ISO 3166-2 codes are a different
system (ML-1..ML-8, ML-BKO; ML-9 Ménaka and ML-10 Taoudénit were created in 2016
out of Gao and Tombouctou, which the pre-2016 boundaries still contain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._text import fold


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

#: Units created after the boundaries' date, mapped to the unit that contains them.
SUCCESSORS: dict[str, tuple[str, str]] = {
    "menaka": ("ML07", "Ménaka (ISO ML-9, created 2016) lies in the pre-2016 region Gao"),
    "taoudenit": ("ML06", "Taoudénit (ISO ML-10, created 2016) lies in the pre-2016 region "
                  "Tombouctou"),
    "taoudeni": ("ML06", "Taoudénit (ISO ML-10, created 2016) lies in the pre-2016 region "
                 "Tombouctou"),
}
_ISO_SUCCESSORS = {"ML-9": "menaka", "ML-10": "taoudenit"}

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
    if iso in _ISO_SUCCESSORS:
        return SUCCESSORS[_ISO_SUCCESSORS[iso]]
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
    folded = fold(text)
    stripped = _NAME_SUFFIXES.sub("", _NAME_PREFIXES.sub("", folded))
    return stripped or folded
