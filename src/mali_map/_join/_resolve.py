"""The resolver: one distinct combination of location texts (each level's code and name,
the place, the country) to a unit of every loaded level.

Codes and names are looked up with the boundaries' own :class:`~mali_map._geo.UnitIndex`
(the look-up ``--region`` uses); the finest unit a row names places it and the coarser
units come from its chain of parents. Every message is built from the templates of
:data:`mali_map._core._i18n.JOIN_MESSAGES` in the join's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .._core import fold
from .._geo import Boundaries
from .._read import MALI_NAMES, NATIONAL_MARKERS
from .._reference import Level, Place, normalise_pcode, reforms, unit_name
from ._naming import Hit, Match, Naming

__all__ = ["Hit", "Match", "PlaceLookup", "Resolver"]

#: A places gazetteer: place text -> the places of that name (default: ``find_place``).
PlaceLookup = Callable[[str], Sequence[Place]]
#: The language of the reference names quoted for a unit the boundaries lack.
_OFFICIAL = "fr"


class Resolver(Naming):
    """Resolves one distinct combination of location texts (see :meth:`resolve`).

    ``fields`` are the levels records carry, top down; each combination gives their code
    and name (``None`` for a field a level does not have), then place, country, precision.
    """

    def __init__(self, boundaries: Boundaries, fields: Sequence[Level], threshold: float,
                 places: PlaceLookup | None, lang: str) -> None:
        super().__init__(boundaries, threshold, places, lang)
        self.fields = tuple(fields)

    def resolve(self, *values: str | None) -> Match:
        """The units one combination names: ``values`` are each field level's code and
        name, then place, country, precision."""
        given = [(lv, values[2 * i], values[2 * i + 1]) for i, lv in enumerate(self.fields)]
        place, country, precision = values[2 * len(self.fields):][:3]
        match = Match()
        if country and fold(country) not in MALI_NAMES:
            match.foreign = True
            match.failures.append(self.say("country", country=repr(country)))
            match.suggestion = self.say("fix.country")
            return match
        top_name = given[0][2]
        national = precision == "national" or any(
            fold(t) in NATIONAL_MARKERS for t in (top_name, place) if t)
        self._resolve(match, given, place, national)
        if match.pcode is not None and not match.finer and place and not match.units:
            self._refine(match, place)
        if match.pcode is None and not match.units:
            match.national = national and not match.failures
            if match.failures and not match.doubt:
                match.doubt = self.say("refuse_doubt", reason=match.failures[0])
        return match

    def _resolve(self, match: Match, given: list[tuple[Level, str | None, str | None]],
                 place: str | None, national: bool) -> None:
        codes = [code for _, code, _ in given if code]
        top_name = given[0][2]
        by_code = self._code(match, codes) if codes else None
        by_name = None
        if top_name and fold(top_name) not in NATIONAL_MARKERS:
            scratch = Match()
            by_name = self._name(scratch, top_name)
            if by_code is None:
                match.failures.extend(scratch.failures)
                match.suggestion = scratch.suggestion
        # A finer unit (code or name) first: it also gives the coarser ones.
        finer = [(lv, code, name) for lv, code, name in given[1:]
                 if (code or name) and lv.key in self.index]
        if finer and self._finer(match, given, finer, by_code or by_name):
            return
        if by_code and by_name and by_code.pcode not in (by_name.units or (by_name.pcode,)):
            self._contradiction(match, by_code, by_name, codes[0], top_name)
            return
        # A name listing several units wins over a code that is one of them.
        hit = by_name if by_name is not None and by_name.units else (by_code or by_name)
        if hit is not None:
            self._use(match, hit, "code" if hit is by_code else "name")
            return
        if place and fold(place) not in NATIONAL_MARKERS and not (codes or top_name):
            # A national-level row is placed only by a named area ("northern Mali").
            hit = self._area(place) if national else self._place(match, place)
            if hit is not None:
                self._use(match, hit, "place")
                return
            named_finer = any(name for _, _, name in given[1:])
            if not (named_finer or national or match.failures):
                match.failures.append(self.say("place_unknown", place=repr(place)))
        for lv, _, name in given[1:]:
            if name and lv.key not in self.index:
                self._not_loaded(match, lv, name)

    def _finer(self, match: Match, given: list[tuple[Level, str | None, str | None]],
               finer: list[tuple[Level, str | None, str | None]], region: Hit | None) -> bool:
        """Place the row by the finest unit of ``finer`` it names (top down, each level
        narrowing the next), with a conflict for each coarser unit it contradicts."""
        stated: dict[str, str] = {}
        if region is not None and not region.units:
            stated[self.top.key] = region.pcode
        found: tuple[Level, Match] | None = None
        failures: list[str] = []
        warnings: list[str] = []
        for lv, code, name in finer:
            unit = Match()
            above = lv.parent
            self._level(unit, lv, code, name, stated.get(above.key) if above else None)
            failures.extend(unit.failures)
            if unit.unit is not None:
                stated[lv.key] = unit.unit
                warnings.extend(unit.warnings)
                found = (lv, unit)
        chain = self.chain(found[0], found[1].unit) if found else {}
        if not found or chain.get(self.top.key) not in self.top_index.known:
            match.failures.extend(failures)
            return False
        lv, unit = found
        match.pcode = chain.pop(self.top.key)
        match.finer = chain
        match.method, match.score = unit.method, unit.score
        match.named_by = "cercle" if lv.parent is self.top else (
            "code" if unit.method == "pcode" else "name")
        match.warnings.extend(warnings)
        match.failures.clear()
        texts = {lv.key: code or name for lv, code, name in given}
        for coarse in (self.top, *(f[0] for f in finer)):
            if coarse.number >= lv.number or coarse.key not in stated:
                continue
            within = match.pcode if coarse is self.top else chain.get(coarse.key)
            if within == stated[coarse.key]:
                continue
            match.conflict = True
            match.warnings.append(self._conflict(coarse, texts[coarse.key], stated[coarse.key],
                                                 lv, texts[lv.key], within))
        return True

    def _conflict(self, coarse: Level, coarse_text: str | None, coarse_unit: str,
                  fine: Level, fine_text: str | None, within: str | None) -> str:
        """A finer unit lying outside the coarser unit the row also gives."""
        shown = self.index[coarse.key].display
        if coarse.parent is None and fine.parent is coarse:
            return self.say("conflict_cercle", region=repr(coarse_text),
                            region_unit=repr(shown[coarse_unit]), cercle=repr(fine_text),
                            parent=repr(shown.get(within, within)))
        return self.say("conflict_level", level=coarse.label(self.lang).lower(),
                        given=repr(coarse_text), given_unit=repr(shown[coarse_unit]),
                        finer=fine.label(self.lang).lower(), text=repr(fine_text),
                        parent=repr(shown.get(within, within)))

    def _not_loaded(self, match: Match, lv: Level, name: str) -> None:
        """A name of a level whose boundaries are not loaded."""
        if lv.parent is self.top:
            match.failures.append(self.say("no_adm2", name=repr(name)))
            match.suggestion = self.say("fix.adm2")
        else:
            match.failures.append(self.say("no_level", level=lv.label(self.lang).lower(),
                                           name=repr(name), level_key=lv.key.upper()))

    def _contradiction(self, match: Match, by_code: Hit, by_name: Hit, code: str,
                       name: str) -> None:
        """A code and a name giving different units: a warning naming both."""
        recode = reforms()["recode"].get(self.top.truncate(normalise_pcode(code)) or "")
        recoded = (recode is not None and by_name.method == "reform"
                   and self.top_index.reference(recode.within[0]) == by_name.pcode)
        exact = by_name.method in ("name", "alias", "reform") and not by_name.units
        used = by_name if exact else by_code
        why = (self.say("why_recode", code=recode.value, name=recode.name) if recoded
               else self.say("why_exact") if exact else self.say("why_fuzzy"))
        match.warnings.append(self.say(
            "conflict_code_name", code=repr(code), code_unit=repr(self._shown(by_code)),
            name=repr(name), name_unit=repr(self._shown(by_name)),
            used=repr(self._shown(used)), why=why))
        match.conflict = True
        self._use(match, used, "name" if used is by_name else "code")

    def _code(self, match: Match, codes: list[str]) -> Hit | None:
        """The top-level unit the row's codes give (a finer unit's P-code gives its units
        of every loaded level)."""
        found = self.top_index.codes(codes, self.lang)
        if found is not None:
            notes = [self.say("code_reform", code=repr(found.text), note=found.note)] \
                if found.note else []
            return Hit(found.pcode, "pcode" if found.method == "code" else found.method, 100.0,
                       notes, finer=self._finer_of(found.text, found.pcode)
                       if found.method == "pcode" else {})
        absent = self.top_index.absent(codes)
        if absent is not None:
            match.failures.append(self.say("code_absent", code=repr(absent[0]),
                                           unit=repr(unit_name(absent[1], _OFFICIAL))))
            match.suggestion = self.say("fix.code")
        else:
            match.failures.append(self.say("code_unknown", code=repr(codes[0])))
        return None

    def _finer_of(self, code: str, top: str) -> dict[str, str]:
        """The units of the finer loaded levels a P-code names (its finest loaded unit and
        that unit's parents), when they lie in ``top``."""
        pcode = normalise_pcode(code)
        for lv in reversed(self.levels[1:]):
            unit = lv.truncate(pcode)
            if unit in self.index[lv.key].known:
                chain = self.chain(lv, unit)
                if chain.pop(self.top.key, None) == top:
                    return chain
        return {}
