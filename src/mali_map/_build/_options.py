"""Every option of a build, validated once for the command line, the recipe and the API.

:class:`Options` is one frozen object: the command line fills it from flags, a
recipe (``mali-map build --config recipe.toml``, see :mod:`mali_map._build._recipe`)
from a file, Python code from keyword arguments. Each value is checked and normalised
once, in ``__post_init__``, by the ``check_*`` functions of :mod:`mali_map._core`
(one error type, one case rule); the renderers call the same functions for their own
arguments, so a bound lives in one place. A bad value raises
:class:`~mali_map.OptionError`, naming the option and what it expected.

Each field also says how it is given on the command line (:class:`Flag`, its field
metadata): the ``mali-map`` parser is generated from these, so a flag's spelling, help
and default live beside the option they set.

>>> Options(lang="FR", classes=9).lang
'fr'
>>> Options(dpi=5000)
Traceback (most recent call last):
...
mali_map.OptionError: dpi: expected a whole number from 1 to 1200, got 5000
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from inspect import signature
from pathlib import Path
from typing import Any

from .._core import (
    DPI_RANGE,
    LANGUAGES,
    MAP_ID_LIMIT,
    ORIENTATIONS,
    PAPERS,
    STATIC_FORMATS,
    THRESHOLD_RANGE,
    TILES,
    TITLE_LIMIT,
    OptionError,
    check_aliases,
    check_choice,
    check_date,
    check_dpi,
    check_flag,
    check_formats,
    check_int,
    check_language,
    check_path,
    check_sheet,
    check_text,
    check_threshold,
    production_date,
)
from .._geo import FUZZY_THRESHOLD
from .._measure import CLASSES_RANGE, METRICS, SCHEMES, check_classes, check_scheme
from ._pipeline import join_files

METRIC_CHOICES: tuple[str, ...] = METRICS
SCHEME_CHOICES: tuple[str, ...] = tuple(SCHEMES)
DEFAULT_FUZZY_THRESHOLD = FUZZY_THRESHOLD
# Re-exported: the option vocabulary every entry point and renderer checks against.
__all__ = [
    "CLASSES_RANGE", "DEFAULT_FUZZY_THRESHOLD", "DPI_RANGE", "LANGUAGES", "MAP_ID_LIMIT",
    "METRIC_CHOICES", "OPTION_NAMES", "ORIENTATIONS", "PAPERS", "SCHEME_CHOICES",
    "STATIC_FORMATS", "THRESHOLD_RANGE", "TILES", "TITLE_LIMIT", "Flag", "Options",
    "check_choice", "check_classes", "check_dpi", "check_formats", "check_int",
    "check_language", "check_text", "check_threshold", "flag_of", "merge", "production_date",
]


# --------------------------------------------------------------------------- flags


@dataclass(frozen=True)
class Flag:
    """How an :class:`Options` field is given on the command line (its field metadata).

    ``help`` is one text or texts by command (``"*"``: every other command), with
    ``{default}`` filled from the field's default. ``kind`` is ``value``, ``path``,
    ``text`` (one line), ``pairs`` (``NAME=TARGET``, repeatable, into a table),
    ``switch`` (no value) or ``optional`` (a value, or the flag alone for ``True``).
    ``group`` places the flag: ``common``, ``input``, ``map``, or ``command`` (listed by
    name per command).

    A field with ``level_field`` is a template for every admin level after the first
    (``{key}``, ``{KEY}``, ``{one}``, ``{ONE}`` filled from the level registry): the
    field ``adm2`` spells ``--{key}``, and the level ``adm2`` fills it.
    """

    help: str | Mapping[str, str]
    group: str = "command"
    spelling: str = ""
    metavar: str | None = None
    kind: str = "value"
    short: str = ""
    level_field: str = ""

    def help_for(self, command: str) -> str:
        """The help text of this flag in ``command`` (``{default}`` not filled yet)."""
        if isinstance(self.help, str):
            return self.help
        return self.help.get(command, self.help.get("*", ""))


def _flag(help: str | Mapping[str, str], **flag: Any) -> dict[str, Flag]:
    """The metadata of an :class:`Options` field: its :class:`Flag`."""
    return {"flag": Flag(help=help, **flag)}


def flag_of(name: str) -> Flag:
    """The :class:`Flag` of the option ``name``.

    >>> flag_of("map_id").help_for("build")[:30]
    'map ID/version printed on stat'
    """
    return next(f.metadata["flag"] for f in fields(Options) if f.name == name)


_PAIRS = "pairs"
_RECORDS = "3W table: CSV/TSV (UTF-8 or cp1252) or XLSX"


# --------------------------------------------------------------------------- the object


@dataclass(frozen=True)
class Options:
    """The options of a build, a validation or an export; every value checked on creation.

    Paths stay as given (relative to the working folder, or to the recipe's folder
    for a recipe). ``date`` is the production date printed on static maps and the
    snapshot: ``None`` means today, or the day of ``$SOURCE_DATE_EPOCH`` when it is set
    (see :func:`production_date`).
    """

    # inputs
    records: Path | None = field(default=None, metadata=_flag(
        {"validate": f"{_RECORDS} (required)", "*": f"{_RECORDS} (default: the seed dataset)"},
        group="input", kind="path"))
    sheet: str | int | None = field(default=None, metadata=_flag(
        "XLSX sheet name or 0-based index (default: first)", group="input"))
    boundaries: Path | None = field(default=None, metadata=_flag(
        "ADM1 or ADM2 boundary file (default: embedded geoBoundaries regions and cercles)",
        group="input", kind="path"))
    adm2: Path | None = field(default=None, metadata=_flag(
        "{KEY} ({one}) boundary file", group="input", kind="path", spelling="--{key}",
        level_field="{key}"))
    layer: str | None = field(default=None, metadata=_flag(
        "layer of a multi-layer --boundaries file", group="input", kind="text"))
    adm2_layer: str | None = field(default=None, metadata=_flag(
        "layer of a multi-layer --{key} file", group="input", spelling="--{key}-layer",
        level_field="{key}_layer", kind="text"))
    name_column: str | None = field(default=None, metadata=_flag(
        "name column of the boundary file", group="input", kind="text"))
    code_column: str | None = field(default=None, metadata=_flag(
        "code column of the boundary file", group="input", kind="text"))
    region_aliases: dict[str, str] = field(default_factory=dict, metadata=_flag(
        "extra spelling of a region (P-code or name); repeatable", group="input",
        kind=_PAIRS, spelling="--alias", metavar="NAME=REGION"))
    adm2_aliases: dict[str, str] = field(default_factory=dict, metadata=_flag(
        "extra spelling of a {one} (P-code or name); repeatable", group="input",
        kind=_PAIRS, spelling="--{key}-alias", metavar="NAME={ONE}",
        level_field="{key}_aliases"))
    organisation_aliases: dict[str, str] = field(default_factory=dict, metadata=_flag(
        "organisation spelling to merge; repeatable", group="input", kind=_PAIRS,
        spelling="--org-alias", metavar="NAME=ORGANISATION"))
    sector_aliases: dict[str, str] = field(default_factory=dict, metadata=_flag(
        "sector text to map to a canonical sector key; repeatable", group="input",
        kind=_PAIRS, spelling="--sector-alias", metavar="TEXT=SECTOR"))
    fuzzy_threshold: float = field(default=DEFAULT_FUZZY_THRESHOLD, metadata=_flag(
        "minimum fuzzy name score (default {default:g})", group="input", metavar="0-100"))
    strict: bool = field(default=False, metadata=_flag(
        "exit 1 when any row is unmatched, invalid or contradictory", group="input",
        kind="switch"))
    # maps
    lang: str = field(default="en", metadata=_flag(
        "language of maps and outputs, any case (default {default})", group="common",
        metavar="|".join(LANGUAGES)))
    metric: str = field(default="activities", metadata=_flag(
        "what the map colours show (default {default})", group="map",
        metavar="|".join(METRIC_CHOICES)))
    scheme: str = field(default="quantiles", metadata=_flag(
        f"classification: {', '.join(SCHEME_CHOICES)} (default {{default}}; all but "
        "quantiles and equal_interval need mali-map[schemes])", group="map",
        metavar="SCHEME"))
    classes: int = field(default=5, metadata=_flag(
        "number of colour classes (default {default})", group="map",
        metavar=f"{CLASSES_RANGE[0]}-{CLASSES_RANGE[1]}"))
    tiles: str = field(default="none", metadata=_flag(
        "background of the interactive maps; osm loads tiles online (default {default})",
        metavar="|".join(TILES)))
    title: str | None = field(default=None, metadata=_flag(
        {"build": "title of the overview page", "export": "map title",
         "snapshot": "report title (default: the standard title)"}, kind="text"))
    paper: str = field(default="A4", metadata=_flag(
        "paper size of static maps (default {default})", group="map",
        metavar="|".join(PAPERS)))
    # None: landscape maps, a portrait snapshot
    orientation: str | None = field(default=None, metadata=_flag(
        "of static maps (default landscape) and the snapshot (default portrait)",
        group="map", metavar="|".join(ORIENTATIONS)))
    dpi: int = field(default=300, metadata=_flag(
        "PNG resolution (default {default})", group="map",
        metavar=f"{DPI_RANGE[0]}-{DPI_RANGE[1]}"))
    map_id: str | None = field(default=None, metadata=_flag(
        "map ID/version printed on static maps; with build --static it also names their "
        "files OCHA-style: MLI001_3W_overview_A4_YYYYMMDD.pdf", group="map"))
    date: str | None = field(default=None, metadata=_flag(
        "production date printed on static maps and the snapshot (default: today, or the "
        "day of $SOURCE_DATE_EPOCH when set, for reproducible builds)", group="map",
        kind="optional", metavar="YYYY-MM-DD"))
    producer: str | None = field(default=None, metadata=_flag(
        "who produced the report (printed on the cover)", kind="text"))
    # outputs
    out: Path = field(default=Path("maps"), metadata=_flag(
        "output folder, replaced as a whole when the build succeeds (default {default})",
        kind="path"))
    static: tuple[str, ...] = field(default=(), metadata=_flag(
        "also write static maps in these formats into OUT/static/ (needs mali-map[static])",
        metavar=",".join(STATIC_FORMATS)))
    hxl: bool = field(default=False, metadata=_flag(
        {"build": "add an HXL hashtag row to the CSV outputs and the join report",
         "validate": "add an HXL hashtag row to the join report"}, kind="switch"))
    report: Path | None = field(default=None, metadata=_flag(
        "write the join report CSV here", kind="path"))
    output: Path | None = field(default=None, metadata=_flag(
        {"export": "file to write (required); the format follows the extension",
         "snapshot": "file to write (required): .pdf (printable) or .html (offline)"},
        kind="path", short="-o"))
    region: str | None = field(default=None, metadata=_flag(
        "region P-code or name (default: all Mali)", kind="text"))
    sector: str | None = field(default=None, metadata=_flag(
        "sector key or label (default: all sectors)", kind="text"))

    def __post_init__(self) -> None:
        put = object.__setattr__
        for f in fields(self):
            kind = f.metadata["flag"].kind
            if kind == "path":
                put(self, f.name, check_path(f.name, getattr(self, f.name)))
            elif kind == _PAIRS:
                put(self, f.name, check_aliases(f.name, getattr(self, f.name)))
            elif kind == "switch":
                put(self, f.name, check_flag(f.name, getattr(self, f.name)))
            elif kind == "text":  # one line of text, at most TITLE_LIMIT characters
                put(self, f.name, check_text(f.name, getattr(self, f.name), TITLE_LIMIT))
        put(self, "out", self.out or Path("maps"))
        put(self, "sheet", check_sheet(self.sheet))
        put(self, "fuzzy_threshold", check_threshold(self.fuzzy_threshold))
        put(self, "lang", check_language(self.lang))
        put(self, "metric", check_choice("metric", self.metric, METRIC_CHOICES))
        put(self, "scheme", check_scheme(self.scheme))
        put(self, "classes", check_classes(self.classes))
        put(self, "tiles", check_choice("tiles", self.tiles, TILES))
        put(self, "paper", check_choice("paper", self.paper, PAPERS))
        if self.orientation is not None:
            put(self, "orientation", check_choice("orientation", self.orientation,
                                                  ORIENTATIONS))
        put(self, "dpi", check_dpi(self.dpi))
        put(self, "map_id", check_text("map_id", self.map_id, MAP_ID_LIMIT))
        put(self, "date", check_date(self.date))
        put(self, "static", check_formats(self.static))

    def replace(self, **changes: Any) -> Options:
        """A copy with ``changes`` applied (and checked)."""
        return replace(self, **changes)

    def join_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`mali_map.join_files`: its parameters are options of
        the same name."""
        return {name: getattr(self, name) for name in signature(join_files).parameters}

    def site_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`mali_map.render_site`."""
        return {"lang": self.lang, "metric": self.metric, "scheme": self.scheme,
                "k": self.classes, "tiles": self.tiles, "title": self.title}

    def static_kwargs(self) -> dict[str, Any]:
        """Keyword arguments shared by :func:`mali_map.export_static` and ``export_map``."""
        return {"lang": self.lang, "metric": self.metric, "scheme": self.scheme,
                "k": self.classes, "paper": self.paper,
                "orientation": self.orientation or "landscape",
                "map_id": self.map_id, "produced": self.date, "dpi": self.dpi}

    def snapshot_options(self) -> Any:
        """The :class:`mali_map.SnapshotOptions` these options describe."""
        from .._snapshot import SnapshotOptions

        return SnapshotOptions(lang=self.lang, metric=self.metric, scheme=self.scheme,
                               k=self.classes, paper=self.paper,
                               orientation=self.orientation or "portrait",
                               produced=self.date, producer=self.producer,
                               map_id=self.map_id, title=self.title)

    def inputs(self) -> list[Path]:
        """The input files named by these options (for the output-equals-input check)."""
        return [getattr(self, f.name) for f in fields(self)
                if f.metadata["flag"].kind == "path" and f.metadata["flag"].group == "input"
                and getattr(self, f.name) is not None]


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Options))


def merge(*layers: Mapping[str, Any]) -> Options:
    """One :class:`Options` from layers of values, later layers overriding earlier ones;
    alias tables are merged name by name.

    >>> merge({"lang": "fr", "dpi": 150}, {"dpi": 300}).dpi
    300
    """
    tables = {f.name for f in fields(Options) if f.metadata["flag"].kind == _PAIRS}
    values: dict[str, Any] = {}
    for layer in layers:
        for name, value in layer.items():
            if name not in OPTION_NAMES:
                raise OptionError(name, f"one of the options {', '.join(OPTION_NAMES)}", name)
            if name in tables and isinstance(value, Mapping) and isinstance(
                    values.get(name), Mapping):
                value = {**values[name], **value}
            values[name] = value
    return Options(**values)
