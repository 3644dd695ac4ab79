"""Mali's administrative levels as data: one registry every loader and look-up reads.

A level is a row here, not a pair of hard-wired ``adm1``/``adm2`` variables: its key,
its P-code shape (OCHA COD-AB: ``ML`` then two digits per level, so ``ML04`` is the
region Ségou, ``ML0401`` a cercle of it, ``ML040101`` a commune), the columns that
hold its codes and names in OCHA COD-AB and geoBoundaries files, and its label
(via :mod:`mali_map._core._i18n`). Adding a level (communes, ADM3) is a new :class:`Level`
in :data:`LEVELS`; the boundary loader and :class:`mali_map._geo._lookup.UnitIndex` need
no other change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._core import label


@dataclass(frozen=True)
class Level:
    """One administrative level and how files and records name its units."""

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
    #: Record fields holding this level's code and name (see ``_model.RECORD_FIELDS``).
    record_code: str
    record_name: str

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
        """The level above (``None`` for ADM1)."""
        return LEVELS[self.number - 2] if self.number > 1 else None

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

    def label(self, lang: str = "en") -> str:
        """The level's name for map readers.

        >>> LEVELS[1].label("fr"), LEVELS[0].label("en")
        ('Cercle', 'Region')
        """
        return label(f"level.{self.key}", lang)


LEVELS: tuple[Level, ...] = (
    Level("adm1", 1,
          code_columns=("adm1_pcode", "admin1pcode", "adm1pcode", "pcode", "shapeiso",
                        "iso_3166_2"),
          name_columns=("name_fr", "admin1name", "admin1name_fr", "adm1_fr", "adm1_name",
                        "adm1_en", "admin1name_en", "shapename", "name"),
          hints=("admin1pcode", "adm1_pcode", "admin1name", "adm1_fr", "adm1_en"),
          max_units=12, record_code="adm1_pcode", record_name="adm1_name"),
    Level("adm2", 2,
          code_columns=("adm2_pcode", "admin2pcode", "adm2pcode", "pcode", "shapeid"),
          name_columns=("adm2_name", "admin2name", "admin2name_fr", "adm2_fr", "adm2_en",
                        "admin2name_en", "name_fr", "shapename", "name"),
          hints=("admin2pcode", "adm2_pcode", "admin2name", "adm2_fr", "adm2_en"),
          max_units=400, record_code="adm2_pcode", record_name="adm2_name"),
    Level("adm3", 3,
          code_columns=("adm3_pcode", "admin3pcode", "adm3pcode", "pcode", "shapeid"),
          name_columns=("adm3_name", "admin3name", "admin3name_fr", "adm3_fr", "adm3_en",
                        "admin3name_en", "name_fr", "shapename", "name"),
          hints=("admin3pcode", "adm3_pcode", "admin3name", "adm3_fr", "adm3_en"),
          max_units=10_000, record_code="adm3_pcode", record_name="adm3_name"),
)

LEVEL_BY_KEY: dict[str, Level] = {lv.key: lv for lv in LEVELS}


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
