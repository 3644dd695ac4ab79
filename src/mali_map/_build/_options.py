"""Every option of a build, validated once for the command line, the recipe and the API.

:class:`Options` is one frozen object: the command line fills it from flags, a
recipe (``mali-map build --config recipe.toml``, read with :mod:`tomllib`) from a
file, Python code from keyword arguments. Each value is checked and normalised
once, in ``__post_init__``, by the ``check_*`` functions below; the renderers call
the same functions for their own arguments, so a bound lives in one place. A bad
value raises :class:`~mali_map.OptionError`, naming the option and what it
expected.

>>> Options(lang="FR", classes=9).lang
'fr'
>>> Options(dpi=5000)
Traceback (most recent call last):
...
mali_map.OptionError: dpi: expected a whole number from 1 to 1200, got 5000
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
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
    InputError,
    InputFileNotFound,
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

METRIC_CHOICES: tuple[str, ...] = METRICS
SCHEME_CHOICES: tuple[str, ...] = tuple(SCHEMES)
DEFAULT_FUZZY_THRESHOLD = FUZZY_THRESHOLD
# Re-exported: the option vocabulary every entry point and renderer checks against.
__all__ = [
    "CLASSES_RANGE", "DEFAULT_FUZZY_THRESHOLD", "DPI_RANGE", "LANGUAGES", "MAP_ID_LIMIT",
    "METRIC_CHOICES", "OPTION_NAMES", "ORIENTATIONS", "PAPERS", "SCHEME_CHOICES",
    "STATIC_FORMATS", "STARTER_RECIPE", "THRESHOLD_RANGE", "TILES", "TITLE_LIMIT", "Options",
    "check_choice", "check_classes", "check_dpi", "check_formats", "check_int",
    "check_language", "check_text", "check_threshold", "merge", "production_date",
    "read_recipe", "starter_recipe",
]


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
    records: Path | None = None
    sheet: str | int | None = None
    boundaries: Path | None = None
    adm2: Path | None = None
    layer: str | None = None
    adm2_layer: str | None = None
    name_column: str | None = None
    code_column: str | None = None
    region_aliases: dict[str, str] = field(default_factory=dict)
    adm2_aliases: dict[str, str] = field(default_factory=dict)
    organisation_aliases: dict[str, str] = field(default_factory=dict)
    sector_aliases: dict[str, str] = field(default_factory=dict)
    fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD
    strict: bool = False
    # maps
    lang: str = "en"
    metric: str = "activities"
    scheme: str = "quantiles"
    classes: int = 5
    tiles: str = "none"
    title: str | None = None
    paper: str = "A4"
    orientation: str | None = None  # None: landscape maps, a portrait snapshot
    dpi: int = 300
    map_id: str | None = None
    date: str | None = None
    producer: str | None = None
    # outputs
    out: Path = Path("maps")
    static: tuple[str, ...] = ()
    hxl: bool = False
    report: Path | None = None
    output: Path | None = None
    region: str | None = None
    sector: str | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        for name in ("records", "boundaries", "adm2", "report", "output"):
            put(self, name, check_path(name, getattr(self, name)))
        put(self, "out", check_path("out", self.out) or Path("maps"))
        put(self, "sheet", check_sheet(self.sheet))
        for name in ("layer", "adm2_layer", "name_column", "code_column", "region", "sector"):
            put(self, name, check_text(name, getattr(self, name), TITLE_LIMIT))
        for name in ("region_aliases", "adm2_aliases", "organisation_aliases",
                     "sector_aliases"):
            put(self, name, check_aliases(name, getattr(self, name)))
        put(self, "fuzzy_threshold", check_threshold(self.fuzzy_threshold))
        put(self, "strict", check_flag("strict", self.strict))
        put(self, "hxl", check_flag("hxl", self.hxl))
        put(self, "lang", check_language(self.lang))
        put(self, "metric", check_choice("metric", self.metric, METRIC_CHOICES))
        put(self, "scheme", check_scheme(self.scheme))
        put(self, "classes", check_classes(self.classes))
        put(self, "tiles", check_choice("tiles", self.tiles, TILES))
        put(self, "title", check_text("title", self.title, TITLE_LIMIT))
        put(self, "paper", check_choice("paper", self.paper, PAPERS))
        if self.orientation is not None:
            put(self, "orientation", check_choice("orientation", self.orientation,
                                                  ORIENTATIONS))
        put(self, "dpi", check_dpi(self.dpi))
        put(self, "map_id", check_text("map_id", self.map_id, MAP_ID_LIMIT))
        put(self, "producer", check_text("producer", self.producer, TITLE_LIMIT))
        put(self, "date", check_date(self.date))
        put(self, "static", check_formats(self.static))

    def replace(self, **changes: Any) -> Options:
        """A copy with ``changes`` applied (and checked)."""
        return replace(self, **changes)

    def join_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`mali_map.join_files`."""
        return {"records": self.records, "boundaries": self.boundaries, "adm2": self.adm2,
                "sheet": self.sheet, "layer": self.layer, "adm2_layer": self.adm2_layer,
                "name_column": self.name_column,
                "code_column": self.code_column, "region_aliases": self.region_aliases,
                "adm2_aliases": self.adm2_aliases,
                "organisation_aliases": self.organisation_aliases,
                "sector_aliases": self.sector_aliases,
                "fuzzy_threshold": self.fuzzy_threshold, "lang": self.lang}

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
        return [p for p in (self.records, self.boundaries, self.adm2) if p is not None]


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Options))


# --------------------------------------------------------------------------- recipes

#: Recipe tables of aliases -> option name.
_ALIAS_TABLES = {"region": "region_aliases", "adm2": "adm2_aliases",
                 "organisation": "organisation_aliases", "sector": "sector_aliases"}
_PATHS = ("records", "boundaries", "adm2", "out", "report", "output")


def read_recipe(path: str | Path) -> dict[str, Any]:
    """The options a TOML recipe sets, by option name; relative paths are resolved
    against the recipe's folder. Unknown keys are an error naming the key.

    >>> import tempfile
    >>> recipe = Path(tempfile.mkdtemp()) / "recipe.toml"
    >>> _ = recipe.write_text('lang = "fr"\\n[aliases.region]\\n"Bélédougou" = "ML02"\\n')
    >>> read_recipe(recipe)
    {'lang': 'fr', 'region_aliases': {'Bélédougou': 'ML02'}}
    """
    recipe = Path(path)
    try:
        with recipe.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise InputFileNotFound("recipe file not found", file=recipe) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not a valid TOML recipe: {exc}", file=recipe) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the recipe: {getattr(exc, 'strerror', None) or exc}",
                         file=recipe) from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "aliases":
            if not isinstance(value, dict):
                raise InputError("[aliases] must be a table", file=recipe)
            for kind, table in value.items():
                if kind not in _ALIAS_TABLES:
                    raise InputError(f"unknown alias table [aliases.{kind}]; choose among "
                                     f"{', '.join(_ALIAS_TABLES)}", file=recipe)
                values[_ALIAS_TABLES[kind]] = table
            continue
        name = key.replace("-", "_")
        if name in OPTION_NAMES:
            if name in _PATHS and isinstance(value, str):
                value = str(recipe.parent / Path(value).expanduser())
            values[name] = value
        else:
            raise InputError(f"unknown recipe key {key!r}", file=recipe)
    return values


def merge(*layers: Mapping[str, Any]) -> Options:
    """One :class:`Options` from layers of values, later layers overriding earlier ones;
    alias tables are merged name by name.

    >>> merge({"lang": "fr", "dpi": 150}, {"dpi": 300}).dpi
    300
    """
    values: dict[str, Any] = {}
    for layer in layers:
        for name, value in layer.items():
            if name not in OPTION_NAMES:
                raise OptionError(name, f"one of the options {', '.join(OPTION_NAMES)}", name)
            if name.endswith("_aliases") and isinstance(value, Mapping) and isinstance(
                    values.get(name), Mapping):
                value = {**values[name], **value}
            values[name] = value
    return Options(**values)


STARTER_RECIPE = """\
# mali-map recipe: `mali-map build --config {name}`.
# Every key is optional; a command-line flag overrides the key of the same name.
# Relative paths are relative to this file's folder.

# --- inputs
records = "my-3w.xlsx"            # CSV/TSV (UTF-8 or cp1252) or XLSX; omit for the seed data
# sheet = "3W"                    # XLSX sheet name or 0-based index (default: first)
# boundaries = "mli_adm1.geojson" # ADM1 boundaries (default: embedded regions + cercles)
# adm2 = "mli_adm2.geojson"       # ADM2 (cercle) boundaries
# layer = "mli_adm1"              # layer of a multi-layer boundaries file (GeoPackage)
# adm2_layer = "mli_adm2"         # layer of a multi-layer adm2 file
# name_column = "ADM1_FR"         # boundary name column, when not detected
# code_column = "ADM1_PCODE"      # boundary code column, when not detected
fuzzy_threshold = 85              # minimum fuzzy name score, 0-100
strict = false                    # exit 1 when a row is unmatched or invalid

# --- maps
title = "Who does what where - Mali"
lang = "fr"                       # en or fr
metric = "activities"             # activities, organisations, reached or targeted
scheme = "quantiles"              # quantiles, equal_interval (built in); others need [schemes]
classes = 5                       # 1-9
tiles = "none"                    # none or osm (online background)

# --- outputs
out = "maps"                      # replaced as a whole when the build succeeds
static = []                       # any of "png", "pdf", "svg" (needs mali-map[static])
paper = "A4"                      # A4 or A3
# orientation = "landscape"       # default: landscape maps, a portrait snapshot
dpi = 300                         # PNG resolution, 1-1200
# map_id = "MLI001"               # printed on static maps; names their files OCHA-style:
#                                 #   MLI001_3W_overview_A4_20240531.pdf
# date = "2024-05-31"             # production date (default: today, or $SOURCE_DATE_EPOCH)
# producer = "HI Mali IM team"    # printed on the snapshot's cover
hxl = false                       # add an HXL hashtag row to the CSV outputs

# --- spellings the tool cannot know: NAME = P-code or name
[aliases.region]
# "Bélédougou" = "ML02"

[aliases.adm2]
# "Kati cercle" = "Kati"

[aliases.organisation]
# "Handicap International" = "HI"

[aliases.sector]
# "Nutrition/Santé" = "nutrition"
"""


def starter_recipe(name: str = "recipe.toml") -> str:
    """The commented starter recipe that ``mali-map init`` writes (it reads as valid options).

    >>> import tomllib
    >>> sorted(tomllib.loads(starter_recipe()))[:3]
    ['aliases', 'classes', 'dpi']
    """
    return STARTER_RECIPE.format(name=name)
