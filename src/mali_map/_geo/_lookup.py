"""One look-up of admin units by code or name, shared by the join, page selection and loading.

A :class:`UnitIndex` is built once per level of a :class:`~mali_map._join._model.Boundaries`
(``boundaries.index("adm1")``). It knows each unit's P-code and the file's own code,
its names, its aliases (the file's ``aliases`` column, the reference spellings of
:data:`mali_map._reference._gazetteer.ADM1` for a region, and the user's ``--alias`` table, given
once), the names several units share (never resolved silently), and finds the rest by
fuzzy score. Names are compared with one folding rule, :func:`name_key`: accents, case,
punctuation and administrative prefixes ("Région de", "Cercle de", "District de") do
not count.

:meth:`UnitIndex.find` applies the join's order for one text: P-code (a finer unit's
P-code gives its region or cercle), the file's own code, ISO code, a code of a later
reform, then exact name, alias, a unit of a later reform (inside a pre-2016 region),
fuzzy name. The primitives (``names``, ``shared``, ``aliases``, ``reference``,
``ambiguous``, ``lookup``, ``best``, ``fuzzy``) are those the join's resolver uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from .._core import cell_text, join_message
from .._reference import (
    UNIT_BY_PCODE,
    Level,
    iso_to_pcode,
    level,
    name_key,
    normalise_pcode,
    reform_for_code,
    reforms,
)

#: Default minimum rapidfuzz score (0-100) for a fuzzy name match.
FUZZY_THRESHOLD = 85.0

__all__ = ["FUZZY_THRESHOLD", "Found", "UnitIndex", "name_key"]


@dataclass(frozen=True)
class Found:
    """A unit found for some text, how, with what score (0-100) and any note."""

    pcode: str
    method: str  #: "pcode", "code", "iso", "reform", "name", "alias" or "fuzzy"
    score: float = 100.0
    note: str | None = None  #: set when the text names a unit *inside* this one, or fuzzily
    others: tuple[str, ...] = ()  #: other units with the same name (the text is ambiguous)
    #: The text that named the unit (of several codes, the one used); not compared.
    text: str = field(default="", compare=False)


class UnitIndex:
    """Codes, names and aliases of the units of one level, and how to find one from text.

    >>> from mali_map._geo._boundaries import load_boundaries
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
        self.units = units
        pcodes = [cell_text(p) for p in units["pcode"]]
        self.known: set[str] = set(pcodes)
        self.display: dict[str, str] = dict(zip(pcodes, (cell_text(n) for n in units["name"]),
                                                strict=True))
        self.parent: dict[str, str] = (
            dict(zip(pcodes, (cell_text(p) for p in units["parent_pcode"]), strict=True))
            if "parent_pcode" in units else {})
        #: The file's own codes (upper case) -> unit.
        self.codes_by_text: dict[str, str] = {}
        if "code" in units:
            for pcode, code in zip(pcodes, units["code"], strict=True):
                if cell_text(code):
                    self.codes_by_text.setdefault(cell_text(code).upper(), pcode)
        #: Folded name -> the first unit of that name.
        self.names: dict[str, str] = {}
        #: Names that two or more units share: never resolved to one of them silently.
        self.shared: dict[str, tuple[str, ...]] = {}
        #: Folded alias -> unit.
        self.aliases: dict[str, str] = {}
        columns = [c for c in ("name", "name_fr", "name_en") if c in units]
        for i, pcode in enumerate(pcodes):
            for column in columns:
                self._add_name(units[column].iloc[i], pcode)
        for i, pcode in enumerate(pcodes):
            spellings = cell_text(units["aliases"].iloc[i]).split(";") if "aliases" in units else []
            reference = UNIT_BY_PCODE.get(pcode) if self.level.parent is None else None
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
        if not key:
            return
        first = self.names.setdefault(key, pcode)
        if first != pcode and pcode not in self.shared.get(key, ()):
            self.shared[key] = (*self.shared.get(key, (first,)), pcode)

    # ----------------------------------------------------------------- primitives

    def resolve(self, alias: str, target: str) -> str:
        """The P-code an alias's target names: a P-code or code of a unit, or a name only
        one unit has; else ``ValueError`` naming the choices."""
        pcode = normalise_pcode(target) or cell_text(target)
        if pcode in self.known:
            return pcode
        key = name_key(target)
        if key in self.shared:
            raise ValueError(f"alias {alias!r} points at {target!r}, a name several units "
                             f"share ({', '.join(self.shared[key])}); use a P-code")
        if key in self.names:
            return self.names[key]
        if cell_text(target).upper() in self.codes_by_text:
            return self.codes_by_text[cell_text(target).upper()]
        raise ValueError(f"alias {alias!r} points at {target!r}, which is not a unit of these "
                         f"boundaries; use a P-code or one of: {self.choices()}")

    def resolve_target(self, alias: str, target: str) -> str:
        """Same as :meth:`resolve` (the join's name for it)."""
        return self.resolve(alias, target)

    def choices(self) -> str:
        """The units as ``P-code (name)``, for messages."""
        return ", ".join(f"{p} ({n})" for p, n in self.display.items())

    def reference(self, pcode: str | None) -> str | None:
        """The loaded unit for a reference P-code (ML01..ML09): the same code, or else the
        unit with the reference unit's name (boundaries whose codes are not P-codes)."""
        if pcode is None or pcode in self.known:
            return pcode
        unit = UNIT_BY_PCODE.get(pcode) if self.level.parent is None else None
        if unit is None:
            return None
        for name in (unit.name_fr, unit.name_en, *unit.aliases):
            key = name_key(name)
            if key in self.names and key not in self.shared:
                return self.names[key]
        return None

    def ambiguous(self, key: str, parent: str | None = None) -> tuple[str, ...]:
        """The units sharing name ``key`` (under ``parent`` when given), if more than one."""
        units = self.shared.get(key, ())
        if parent is not None and units:
            units = tuple(u for u in units if self.parent.get(u) == parent) or units
        return units if len(units) > 1 else ()

    def lookup(self, key: str, parent: str | None = None) -> str | None:
        """The unit named ``key`` (the one under ``parent`` when several share it)."""
        units = self.shared.get(key)
        if units and parent is not None:
            under = [u for u in units if self.parent.get(u) == parent]
            return under[0] if len(under) == 1 else None
        return None if units else self.names.get(key)

    def best(self, key: str) -> tuple[str, float] | None:
        """The closest unit name to ``key`` and its score, however low."""
        best = process.extractOne(key, list(self.names), scorer=fuzz.ratio)
        return None if best is None else (self.names[best[0]], float(best[1]))

    def fuzzy(self, key: str, threshold: float, parent: str | None = None
              ) -> tuple[str, float] | None:
        """The best (P-code, score) at least ``threshold`` among names no two units share
        (and, with ``parent``, of that parent's units)."""
        choices = {k: v for k, v in self.names.items() if k not in self.shared
                   and (parent is None or self.parent.get(v, parent) == parent)}
        best = process.extractOne(key, list(choices), scorer=fuzz.ratio)
        if best is None or best[1] < threshold:
            return None
        return choices[best[0]], float(best[1])

    # ----------------------------------------------------------------- one text

    def code(self, text: object, lang: str = "en", *, finer: bool = True) -> Found | None:
        """The unit a code names: its P-code (or, with ``finer``, a finer unit's), the file's
        own code, an ISO code, or a code of a later reform (with a note saying where it
        lies)."""
        return self.codes((text,), lang, finer=finer)

    def codes(self, texts: Sequence[object], lang: str = "en", *,
              finer: bool = True) -> Found | None:
        """The unit the first of several codes names, step by step over all of them: a
        P-code, then the file's own code, an ISO code, a code of a later reform.

        >>> from mali_map._geo._boundaries import load_boundaries
        >>> found = load_boundaries().index("adm1").codes(("ML-5", "ml 0401"))
        >>> found.pcode, found.method, found.text
        ('ML04', 'pcode', 'ml 0401')
        """
        raws = [cell_text(t) for t in texts]
        raws = [r for r in raws if r]
        for raw in raws:
            pcode = normalise_pcode(raw)
            own = self.level.truncate(pcode)
            unit = self.reference(own) if own is not None and (finer or own == pcode) else None
            if unit is not None:
                return Found(unit, "pcode", text=raw)
        for raw in raws:
            if raw.upper() in self.codes_by_text:
                return Found(self.codes_by_text[raw.upper()], "code", text=raw)
        if self.level.parent is not None:
            return None
        for raw in raws:
            iso, later = iso_to_pcode(raw)
            unit = self.reference(iso) if iso and later is None else None
            if unit is not None:
                return Found(unit, "iso", text=raw)
        for raw in raws:
            reform = reform_for_code(raw)
            unit = self.reference(reform.within[0]) if reform is not None else None
            if unit is not None:
                return Found(unit, "iso" if reform.kind == "iso" else "reform",
                             note=reform.note(lang), text=raw)
        return None

    def absent(self, texts: Sequence[object]) -> tuple[str, str] | None:
        """The first code (and the reference P-code it names) of a unit of the gazetteer,
        by ISO code or a code of a later reform, that these boundaries do not hold."""
        if self.level.parent is not None:
            return None
        for raw in (cell_text(t) for t in texts):
            iso, later = iso_to_pcode(raw) if raw else (None, None)
            if iso and later is None and self.reference(iso) is None:
                return raw, iso
        for raw in (cell_text(t) for t in texts):
            reform = reform_for_code(raw) if raw else None
            if reform is not None and self.reference(reform.within[0]) is None:
                return raw, reform.within[0]
        return None

    def name(self, text: object, *, threshold: float | None = None,
             parent: str | None = None, lang: str = "en") -> Found | None:
        """The unit a name names: exact (folded) name, alias, a unit of a later reform,
        then fuzzy score at least ``threshold`` (none when ``None``). A name several units
        share gives the first with ``others`` set; ``parent`` narrows the choice."""
        key = name_key(text)
        if not key:
            return None
        shared = self.ambiguous(key, parent)
        if shared:
            return Found(shared[0], "name", others=shared[1:])
        found = self.lookup(key, parent)
        if found is not None:
            return Found(found, "name")
        if key in self.aliases:
            return Found(self.aliases[key], "alias")
        if self.level.parent is None:
            reform = reforms()["name"].get(key)
            unit = self.reference(reform.within[0]) if reform is not None else None
            if unit is not None:
                return Found(unit, "reform", note=reform.note(lang))
        if threshold is None:
            return None
        near = self.fuzzy(key, threshold, parent)
        if near is None:
            return None
        pcode, score = near
        return Found(pcode, "fuzzy", round(score, 1),
                     note=join_message("fuzzy", lang, name=repr(cell_text(text)),
                                       unit=repr(self.display[pcode]), score=f"{score:.0f}"))

    def find(self, text: object, *, threshold: float | None = FUZZY_THRESHOLD,
             parent: str | None = None, lang: str = "en") -> Found | None:
        """The unit ``text`` names, by code first, then by name (see :meth:`code`,
        :meth:`name`); ``None`` when nothing fits."""
        return (self.code(text, lang)
                or self.name(text, threshold=threshold, parent=parent, lang=lang))
