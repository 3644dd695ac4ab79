"""Mali's administrative levels as data: one registry every stage reads.

A level is an entry of ``data/reference/levels.toml``, not a pair of hard-wired
variables: its key, its P-code shape (OCHA COD-AB: ``ML`` then two digits per level, so
``ML04`` is the region Ségou, ``ML0401`` a cercle of it, ``ML040101`` a commune), the
columns that hold its codes and names in boundary files, records, the joined records and
the join report, and its labels. Everything that names a level iterates :data:`LEVELS`
(or the levels a :class:`~mali_map.Boundaries` carries) at call time, so registering a
level (:func:`register_level`) is all it takes to carry one more level through the join,
the tables, the outputs and the pages.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from ._data import reference_path

__all__ = ["LEVELS", "LEVEL_BY_KEY", "Level", "detect_level", "level", "register_level",
           "registered_level", "unregister_level"]


@dataclass(frozen=True)
class Level:
    """One administrative level and how files, records and outputs name its units."""

    key: str                          #: "adm1", "adm2", "adm3"
    number: int                       #: 1, 2, 3
    #: Candidate code columns of a boundary file, most specific first (compared lower-case).
    code_columns: tuple[str, ...]
    #: Candidate name columns of a boundary file, most specific first.
    name_columns: tuple[str, ...]
    #: Columns that mark a boundary file as being of this level.
    hints: tuple[str, ...]
    #: Most units a file of this level usually has (a file with more is a finer level).
    max_units: int
    #: Record fields holding this level's code and name ("" when records do not carry it).
    record_code: str
    record_name: str
    #: Column of the joined records holding the P-code of the row's unit of this level.
    unit_column: str = ""
    #: Join-report columns of that unit's P-code and name.
    report_code: str = ""
    report_name: str = ""
    #: Labels per language: ``{"en": ("Region", "Regions")}``.
    labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def pcode_digits(self) -> int:
        """Digits after ``ML`` in a P-code of this level.

        >>> LEVELS[1].pcode_digits
        4
        """
        return 2 * self.number

    @property
    def pcode_pattern(self) -> re.Pattern[str]:
        """A P-code of exactly this level (canonical form, see ``normalise_pcode``)."""
        return re.compile(rf"^ML\d{{{self.pcode_digits}}}$")

    @property
    def parent(self) -> Level | None:
        """The level above (``None`` for the top level)."""
        return LEVELS[self.number - 2] if self.number > 1 else None

    @property
    def child(self) -> Level | None:
        """The level below (``None`` for the finest registered level).

        >>> LEVELS[0].child.key
        'adm2'
        """
        return LEVELS[self.number] if self.number < len(LEVELS) else None

    @property
    def parent_columns(self) -> tuple[str, ...]:
        """Columns of a boundary file that give each unit's parent code."""
        above = self.parent
        return tuple(c for c in above.code_columns if c.startswith(("adm", "admin"))) \
            if above else ()

    def truncate(self, pcode: str | None) -> str | None:
        """The P-code of this level containing ``pcode`` (a P-code of this or a finer level).

        >>> [lv.truncate("ML040101") for lv in LEVELS], LEVELS[2].truncate("ML04")
        (['ML04', 'ML0401', 'ML040101'], None)
        """
        if pcode is None or len(pcode) < 2 + self.pcode_digits:
            return None
        return pcode[:2 + self.pcode_digits]

    def label(self, lang: str = "en", *, plural: bool = False) -> str:
        """The level's name for map readers.

        >>> LEVELS[1].label("fr"), LEVELS[0].label("en", plural=True)
        ('Cercle', 'Regions')
        """
        one, many = self.labels.get(lang) or self.labels.get("en") or (self.key, self.key)
        return many if plural else one


def _load(path: object) -> list[Level]:
    with open(path, "rb") as handle:  # type: ignore[arg-type]
        entries = tomllib.load(handle)["level"]
    return [Level(key=e["key"], number=e["number"], code_columns=tuple(e["code_columns"]),
                  name_columns=tuple(e["name_columns"]), hints=tuple(e["hints"]),
                  max_units=e["max_units"], record_code=e["record_code"],
                  record_name=e["record_name"], unit_column=e["unit_column"],
                  report_code=e["report_code"], report_name=e["report_name"],
                  labels={lang: (v["one"], v["many"]) for lang, v in e["labels"].items()})
            for e in entries]


#: The registered levels, top down (a list changed in place by :func:`register_level`).
LEVELS: list[Level] = _load(reference_path("levels.toml"))
LEVEL_BY_KEY: dict[str, Level] = {lv.key: lv for lv in LEVELS}


def register_level(new: Level) -> None:
    """Add a level below the finest one (its ``number`` must be the next one)."""
    if new.number != len(LEVELS) + 1 or new.key in LEVEL_BY_KEY:
        raise ValueError(f"level {new.key!r} must be new and number {len(LEVELS) + 1}")
    LEVELS.append(new)
    LEVEL_BY_KEY[new.key] = new


def unregister_level(key: str) -> None:
    """Remove the finest level, ``key`` (the inverse of :func:`register_level`)."""
    if not LEVELS or LEVELS[-1].key != key:
        raise ValueError(f"only the finest level can be removed, not {key!r}")
    del LEVEL_BY_KEY[LEVELS.pop().key]


@contextmanager
def registered_level(new: Level) -> Iterator[Level]:
    """Register ``new`` for the duration of a ``with`` block."""
    register_level(new)
    try:
        yield new
    finally:
        unregister_level(new.key)


def level(which: str | int | Level) -> Level:
    """The level named by its key (``"adm2"``), number (``2``) or itself.

    >>> level("ADM2").number, level(1).key
    (2, 'adm1')
    """
    if isinstance(which, Level):
        return which
    if isinstance(which, int) and not isinstance(which, bool) and 1 <= which <= len(LEVELS):
        return LEVELS[which - 1]
    if isinstance(which, str) and which.strip().lower() in LEVEL_BY_KEY:
        return LEVEL_BY_KEY[which.strip().lower()]
    raise ValueError(f"unknown admin level {which!r}; choose one of: "
                     f"{', '.join(LEVEL_BY_KEY)}")


def detect_level(columns: object, count: int, shape_types: object = ()) -> Level:
    """The finest level a boundary file is of: from its columns (COD-AB ``adm2_pcode``...)
    when its number of units fits that level, else its geoBoundaries ``shapeType``
    values, else its number of units (ADM1 or ADM2; communes must say they are).

    >>> detect_level(["ADM1_FR", "ADM1_PCODE", "ADM2_FR", "ADM2_PCODE"], 50).key
    'adm2'
    >>> detect_level(["shapeName", "shapeType"], 9, ["ADM1"]).key
    'adm1'
    >>> detect_level(["name"], 50).key
    'adm2'
    """
    lower = {str(c).lower() for c in columns}  # type: ignore[attr-defined]
    for lv in reversed(LEVELS):
        if any(h in lower for h in lv.hints) and count <= lv.max_units:
            return lv
    types = {str(t).strip().upper() for t in shape_types}  # type: ignore[attr-defined]
    for lv in reversed(LEVELS):
        if lv.key.upper() in types:
            return lv
    return LEVELS[0] if count <= LEVELS[0].max_units else LEVELS[1]
