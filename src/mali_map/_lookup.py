"""One look-up of admin units by code or name, shared by the join, page selection and loading.

A :class:`UnitIndex` is built once per level of a :class:`~mali_map._model.Boundaries`
(``boundaries.index("adm1")``). It knows each unit's P-code and the file's own code,
ISO 3166-2 codes (first level), its names, its aliases (the file's ``aliases`` column,
the reference spellings of :data:`mali_map._gazetteer.ADM1`, and the user's
``--alias`` table, given once) and finds the rest by fuzzy score. Names are compared
with one folding rule, :func:`name_key`: accents, case, punctuation and
administrative prefixes ("Région de", "Cercle de", "District de") do not count.

Order: P-code (a finer unit's P-code gives its parent), the file's own code, ISO code,
exact name, alias, successor unit (post-2016 regions inside a pre-2016 one), fuzzy name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from ._gazetteer import SUCCESSORS, UNIT_BY_PCODE, iso_to_pcode, name_key, normalise_pcode
from ._levels import Level, level

#: Default minimum rapidfuzz score (0-100) for a fuzzy name match.
FUZZY_THRESHOLD = 85.0

__all__ = ["FUZZY_THRESHOLD", "Found", "UnitIndex", "name_key"]


@dataclass(frozen=True)
class Found:
    """A unit found for some text, how, with what score (0-100) and any note."""

    pcode: str
    method: str              #: "pcode", "code", "iso", "name", "alias" or "fuzzy"
    score: float = 100.0
    note: str | None = None  #: set when the text names a unit *inside* this one, or fuzzily
    others: tuple[str, ...] = ()  #: other units with the same name (the text is ambiguous)


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


class UnitIndex:
    """Codes, names and aliases of the units of one level, and how to find one from text.

    >>> from mali_map._boundaries import load_boundaries
    >>> index = load_boundaries().index("adm1")
    >>> [index.find(t).pcode for t in ("Région de Ségou", "segou", "ML04", "ML-4", "ml0401")]
    ['ML04', 'ML04', 'ML04', 'ML04', 'ML04']
    >>> index.find("District de Bamako").method, index.find("Tombouktou").method
    ('name', 'alias')
    >>> index.find("Atlantis") is None
    True
    """

    def __init__(self, units: pd.DataFrame, which: str | int | Level = "adm1",
                 aliases: Mapping[str, str] | None = None) -> None:
        self.level = level(which)
        pcodes = [_text(p) for p in units["pcode"]]
        self.known: frozenset[str] = frozenset(pcodes)
        self.display: dict[str, str] = dict(zip(pcodes, (_text(n) for n in units["name"]),
                                                strict=True))
        self.parent: dict[str, str] = (
            dict(zip(pcodes, (_text(p) for p in units["parent_pcode"]), strict=True))
            if "parent_pcode" in units else {})
        self.codes: dict[str, str] = {}
        if "code" in units:
            for pcode, code in zip(pcodes, units["code"], strict=True):
                if _text(code):
                    self.codes.setdefault(_text(code).upper(), pcode)
        self.iso: dict[str, str] = {}
        if "iso" in units:
            for pcode, iso in zip(pcodes, units["iso"], strict=True):
                if _text(iso):
                    self.iso.setdefault(_text(iso).upper(), pcode)
        self.names: dict[str, list[str]] = {}
        self.aliases: dict[str, str] = {}
        columns = [c for c in ("name", "name_fr", "name_en") if c in units]
        for i, pcode in enumerate(pcodes):
            for column in columns:
                self._add_name(units[column].iloc[i], pcode)
            spellings = _text(units["aliases"].iloc[i]).split(";") if "aliases" in units else []
            reference = UNIT_BY_PCODE.get(pcode) if self.level.number == 1 else None
            if reference is not None:
                spellings += [reference.name_fr, reference.name_en, *reference.aliases]
            for alias in spellings:
                key = name_key(alias)
                if key and key not in self.names:
                    self.aliases.setdefault(key, pcode)
        for alias, target in (aliases or {}).items():
            self.aliases[name_key(alias)] = self.resolve(alias, target)

    @classmethod
    def from_units(cls, units: pd.DataFrame, which: str | int | Level = "adm1",
                   aliases: Mapping[str, str] | None = None) -> UnitIndex:
        """The index of ``units`` (standard columns of :class:`Boundaries`) at level ``which``,
        with extra spellings ``aliases`` (alias -> P-code or name of a unit)."""
        return cls(units, which, aliases)

    def _add_name(self, value: object, pcode: str) -> None:
        key = name_key(value)
        if key:
            owners = self.names.setdefault(key, [])
            if pcode not in owners:
                owners.append(pcode)

    def resolve(self, alias: str, target: str) -> str:
        """The P-code an alias's target names (a P-code, code or name of a unit of this level)."""
        found = self.code(target) or self.name(target)
        if found is not None and found.note is None:
            return found.pcode
        raise ValueError(f"alias {alias!r} points at {target!r}, which is not a unit of these "
                         f"boundaries; use a P-code or one of: {self.choices()}")

    def choices(self) -> str:
        """The units as ``P-code (name)``, for messages."""
        return ", ".join(f"{p} ({n})" for p, n in self.display.items())

    def code(self, text: object) -> Found | None:
        """The unit a code names: its P-code (or a finer unit's), the file's code, an ISO code.

        An ISO code of a post-2016 region gives the pre-2016 region containing it, with a note.
        """
        raw = _text(text)
        if not raw:
            return None
        pcode = normalise_pcode(raw)
        if pcode is not None:
            if pcode in self.known:
                return Found(pcode, "pcode")
            own = self.level.truncate(pcode)
            if own in self.known and len(pcode) > len(own):
                return Found(own, "pcode")
        if raw.upper() in self.codes:
            return Found(self.codes[raw.upper()], "code")
        iso = "".join(raw.split()).upper()
        if iso in self.iso:
            return Found(self.iso[iso], "iso")
        if self.level.number == 1:
            target, note = iso_to_pcode(raw)
            if target in self.known:
                return Found(target, "iso", note=note)
        return None

    def name(self, text: object, *, threshold: float | None = None,
             parent: str | None = None) -> Found | None:
        """The unit a name names: exact (folded) name, alias, successor, then fuzzy score
        at least ``threshold`` (no fuzzy match when ``None``); ``parent`` narrows the choice."""
        key = name_key(text)
        if not key:
            return None
        owners = self.names.get(key, [])
        if parent is not None and len(owners) > 1:
            owners = [p for p in owners if self.parent.get(p) == parent] or owners
        if owners:
            return Found(owners[0], "name", others=tuple(owners[1:]))
        if key in self.aliases:
            return Found(self.aliases[key], "alias")
        if self.level.number == 1 and key in SUCCESSORS and SUCCESSORS[key][0] in self.known:
            pcode, note = SUCCESSORS[key]
            return Found(pcode, "alias", note=note)
        if threshold is None:
            return None
        found = self.fuzzy(key, threshold, parent)
        if found is None:
            return None
        pcode, score = found
        return Found(pcode, "fuzzy", round(score, 1),
                     note=f"name {_text(text)!r} matched {self.display[pcode]!r} by fuzzy "
                          f"score {score:.0f}")

    def fuzzy(self, key: str, threshold: float, parent: str | None = None
              ) -> tuple[str, float] | None:
        """The best (P-code, score) for a folded name among the names (of ``parent``'s units)."""
        choices = {k: owners[0] for k, owners in self.names.items()
                   if parent is None or self.parent.get(owners[0], parent) == parent}
        best = process.extractOne(key, list(choices), scorer=fuzz.ratio)
        if best is None or best[1] < threshold:
            return None
        return choices[best[0]], float(best[1])

    def find(self, text: object, *, threshold: float | None = FUZZY_THRESHOLD,
             parent: str | None = None) -> Found | None:
        """The unit ``text`` names, by code first, then by name (see :meth:`code`,
        :meth:`name`); ``None`` when nothing fits."""
        return self.code(text) or self.name(text, threshold=threshold, parent=parent)
