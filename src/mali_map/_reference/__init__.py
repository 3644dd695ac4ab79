"""Reference data, loaded once: admin levels, embedded data paths, gazetteer, vocabularies,
unit names, places, neighbouring countries.
"""

from ._context import (
    NEIGHBOURS_ATTRIBUTION,
    load_neighbours,
)
from ._data import (
    embedded_cercles_path,
    embedded_regions_path,
    reference_path,
    seed_records_path,
)
from ._gazetteer import (
    ADM1,
    UNIT_BY_PCODE,
    iso_to_pcode,
    name_key,
    normalise_pcode,
    reform_for_code,
    reforms,
)
from ._levels import (
    LEVEL_BY_KEY,
    LEVELS,
    Level,
    detect_level,
    level,
    register_level,
    registered_level,
    unregister_level,
)
from ._names import (
    unit_name,
    unit_names,
)
from ._places import (
    Place,
    find_place,
)
from ._vocabulary import (
    SECTOR_BY_KEY,
    SECTORS,
    canonical_organisation,
    find_sector,
    sector_label,
)

__all__ = [
    "ADM1",
    "LEVELS",
    "LEVEL_BY_KEY",
    "register_level",
    "registered_level",
    "unregister_level",
    "reference_path",
    "Level",
    "NEIGHBOURS_ATTRIBUTION",
    "Place",
    "SECTORS",
    "SECTOR_BY_KEY",
    "UNIT_BY_PCODE",
    "canonical_organisation",
    "detect_level",
    "embedded_cercles_path",
    "embedded_regions_path",
    "find_place",
    "find_sector",
    "iso_to_pcode",
    "level",
    "load_neighbours",
    "name_key",
    "normalise_pcode",
    "reform_for_code",
    "reforms",
    "sector_label",
    "seed_records_path",
    "unit_name",
    "unit_names",
]
