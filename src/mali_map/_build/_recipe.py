"""Recipes: the options of a build in a TOML file (``mali-map build --config recipe.toml``),
and the commented starter recipe that ``mali-map init`` writes.

A recipe key is an option name (:data:`~mali_map._build._options.OPTION_NAMES`, dashes
allowed); spellings go in ``[aliases.<table>]`` tables, one per alias option: ``region``,
one per admin level after the first that the options carry (``adm2``), ``organisation``
and ``sector``. Relative paths are relative to the recipe's folder.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from .._core import InputError, InputFileNotFound
from .._reference import LEVELS
from ._options import OPTION_NAMES, Options, flag_of

__all__ = ["STARTER_RECIPE", "read_recipe", "starter_recipe"]


def _alias_tables() -> dict[str, str]:
    """Recipe tables of aliases -> option name, the levels read from the registry now.

    >>> _alias_tables()["organisation"]
    'organisation_aliases'
    """
    tables = {"region": "region_aliases"}
    tables.update({lv.key: f"{lv.key}_aliases" for lv in LEVELS[1:]
                   if f"{lv.key}_aliases" in OPTION_NAMES})
    tables.update({"organisation": "organisation_aliases", "sector": "sector_aliases"})
    return tables


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
    alias_tables = _alias_tables()
    paths = {f.name for f in fields(Options) if flag_of(f.name).kind == "path"}
    for key, value in data.items():
        if key == "aliases":
            if not isinstance(value, dict):
                raise InputError("[aliases] must be a table", file=recipe)
            for kind, table in value.items():
                if kind not in alias_tables:
                    raise InputError(f"unknown alias table [aliases.{kind}]; choose among "
                                     f"{', '.join(alias_tables)}", file=recipe)
                values[alias_tables[kind]] = table
            continue
        name = key.replace("-", "_")
        if name in OPTION_NAMES:
            if name in paths and isinstance(value, str):
                value = str(recipe.parent / Path(value).expanduser())
            values[name] = value
        else:
            raise InputError(f"unknown recipe key {key!r}", file=recipe)
    return values


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
