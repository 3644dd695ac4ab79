"""One display name per administrative unit per language, read by every output.

The rule: a unit is called by its official French name in both languages, except
where English has a standard name of its own (an exonym: Tombouctou is "Timbuktu"
in English). A spelling that differs from the French one only by accents or case
("Segou" for Ségou) is not an exonym, so English keeps the French spelling.

Units with an OCHA P-code known to the tool (the nine pre-2016 regions of the
gazetteer and the 50 embedded cercles) take their reference names, whatever a
boundary file spells; other units keep the ``name_fr`` / ``name_en`` / ``name``
of their boundary row.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from .._core import LANGUAGES, cell_text, fold


@cache
def reference_names() -> dict[str, dict[str, str]]:
    """``{pcode: {lang: name}}`` of every unit the tool ships (regions and cercles).

    >>> reference_names()["ML0605"]["en"]
    'Timbuktu'
    """
    import pyogrio

    from ._data import embedded_cercles_path
    from ._gazetteer import ADM1
    from ._levels import LEVELS

    names = {u.pcode: {"fr": u.name_fr, "en": u.name_en} for u in ADM1}
    code = LEVELS[1].code_columns[0]  # the embedded cercles' P-code column
    cercles = pyogrio.read_dataframe(embedded_cercles_path(), read_geometry=False,
                                     columns=[code, "name_fr", "name_en"])
    for pcode, fr, en in zip(cercles[code], cercles["name_fr"], cercles["name_en"],
                             strict=True):
        names[str(pcode)] = {"fr": str(fr), "en": str(en)}
    return names


#: The language of the official names (Mali's administrative language).
OFFICIAL_LANGUAGE = "fr"


def _pick(names: dict[str, str | None], lang: str) -> str:
    """The name in ``lang`` if it is a name of its own, else the official one."""
    official = names[OFFICIAL_LANGUAGE] or ""
    own = names.get(lang)
    return own if own and fold(own) != fold(official) else official


def unit_name(unit: Mapping[str, Any] | Any, lang: str = "en") -> str:
    """The name of a unit (a boundary row, or a P-code) on every output in ``lang``.

    >>> unit_name("ML06", "en"), unit_name("ML06", "fr")
    ('Timbuktu', 'Tombouctou')
    >>> unit_name("ML04", "en")  # "Segou" is no exonym: the French spelling stays
    'Ségou'
    >>> unit_name({"pcode": "X1", "name": "Zone A"}, "fr")
    'Zone A'
    """
    lang = str(lang).strip().lower()
    if isinstance(unit, str):
        row: Mapping[str, Any] = {"pcode": unit}
    else:
        row = unit
    pcode = cell_text(row.get("pcode")) or None
    known = reference_names().get(pcode) if pcode else None
    if known is not None:
        return _pick(known, lang)
    name = cell_text(row.get("name")) or None
    names = {code: cell_text(row.get(f"name_{code}")) or None for code in LANGUAGES}
    names[OFFICIAL_LANGUAGE] = names[OFFICIAL_LANGUAGE] or name or pcode
    return _pick(names, lang)


def unit_names(units: Any, lang: str = "en") -> list[str]:
    """:func:`unit_name` of every row of a boundary frame, in order.

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> unit_names(load_boundaries().adm1, "en")[5]
    'Timbuktu'
    """
    return [unit_name(row, lang) for row in units.drop(columns="geometry", errors="ignore")
            .to_dict("records")]


__all__ = ["reference_names", "unit_name", "unit_names"]
