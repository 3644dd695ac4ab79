"""Labels shown to map readers, in English and French.

Only words shared by the interactive and the static maps live here; a renderer
keeps its own interface strings next to its code. Sector labels come from
:mod:`mali_map._vocabulary`.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("en", "fr")

LABELS: dict[str, dict[str, str]] = {
    "activities": {"en": "Activities", "fr": "Activités"},
    "organisations": {"en": "Organisations", "fr": "Organisations"},
    "reached": {"en": "People reached", "fr": "Personnes atteintes"},
    "targeted": {"en": "People targeted", "fr": "Personnes ciblées"},
    "metric_title.activities": {"en": "Activities per region", "fr": "Activités par région"},
    "metric_title.organisations": {
        "en": "Organisations per region", "fr": "Organisations par région"},
    "metric_title.reached": {
        "en": "People reached per region", "fr": "Personnes atteintes par région"},
    "metric_title.targeted": {
        "en": "People targeted per region", "fr": "Personnes ciblées par région"},
    "overview": {"en": "Overview", "fr": "Vue d'ensemble"},
    "region": {"en": "Region", "fr": "Région"},
    "sector": {"en": "Sector", "fr": "Secteur"},
    "organisation": {"en": "Organisation", "fr": "Organisation"},
    "activity": {"en": "Activity", "fr": "Activité"},
    "status": {"en": "Status", "fr": "Statut"},
    "start_date": {"en": "Start", "fr": "Début"},
    "end_date": {"en": "End", "fr": "Fin"},
    "place": {"en": "Place", "fr": "Lieu"},
    "source": {"en": "Source", "fr": "Source"},
    "all_sectors": {"en": "All sectors", "fr": "Tous les secteurs"},
    "no_data": {"en": "No activity", "fr": "Aucune activité"},
    "status.ongoing": {"en": "Ongoing", "fr": "En cours"},
    "status.completed": {"en": "Completed", "fr": "Terminé"},
    "status.planned": {"en": "Planned", "fr": "Planifié"},
    "status.suspended": {"en": "Suspended", "fr": "Suspendu"},
    "sources": {"en": "Sources", "fr": "Sources"},
    "data": {"en": "Data", "fr": "Données"},
    "boundaries": {"en": "Boundaries", "fr": "Limites"},
    "produced": {"en": "Produced", "fr": "Réalisé le"},
    "disclaimer": {
        "en": "The boundaries and names shown and the designations used on this map "
              "do not imply official endorsement or acceptance.",
        "fr": "Les limites et les noms indiqués et les désignations employées sur cette "
              "carte n'impliquent ni reconnaissance ni acceptation officielles.",
    },
}


def label(key: str, lang: str = "en",
          own: dict[str, dict[str, str]] | None = None) -> str:
    """The label ``key`` in ``lang``; an unknown key is returned as written.

    ``own`` is a renderer's own strings, looked up before the shared ones.

    >>> label("activities", "fr")
    'Activités'
    >>> label("status.weird", "fr")
    'status.weird'
    >>> label("activities", "fr", own={"activities": {"en": "Jobs"}})
    'Jobs'
    """
    entry = (own or {}).get(key) or LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang, entry["en"])


def check_language(lang: str) -> str:
    """Return ``lang`` if supported, else raise ``ValueError`` naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    return lang


# join report messages --------------------------------------------------------------
# Templates of the join report's messages and of the join's console notes, filled with
# ``str.format``: values are quoted as written by the caller. English and French.

JOIN_MESSAGES: dict[str, dict[str, str]] = {
    "national": {
        "en": "national-level record: not tied to one admin unit",
        "fr": "activité de niveau national : rattachée à aucune unité administrative"},
    "nothing": {"en": "no region, cercle, code or coordinates",
                "fr": "ni région, ni cercle, ni code, ni coordonnées"},
    "country": {"en": "country {country}: outside Mali",
                "fr": "pays {country} : hors du Mali"},
    "code_unknown": {"en": "code {code} is not a known P-code or ISO code",
                     "fr": "le code {code} n'est ni un P-code ni un code ISO connu"},
    "code_absent": {
        "en": "code {code} is {unit}, which is not a unit of the loaded boundaries",
        "fr": "le code {code} désigne {unit}, qui n'est pas une unité des limites chargées"},
    "code_level_absent": {"en": "code {code} is not in the ADM{level} boundaries",
                          "fr": "le code {code} n'est pas dans les limites ADM{level}"},
    "code_reform": {"en": "code {code}: {note}", "fr": "code {code} : {note}"},
    "name_unknown": {"en": "name {name} matches no ADM{level} unit",
                     "fr": "le nom {name} ne correspond à aucune unité ADM{level}"},
    "name_shared": {
        "en": "name {name} is shared by {count} units of these boundaries ({units}); "
              "add a code to choose one",
        "fr": "le nom {name} est porté par {count} unités de ces limites ({units}) ; "
              "ajoutez un code pour choisir"},
    "parts_unknown": {"en": "name {name}: {parts} matches no ADM1 unit",
                      "fr": "nom {name} : {parts} ne correspond à aucune unité ADM1"},
    "fuzzy": {"en": "name {name} matched {unit} by fuzzy score {score}",
              "fr": "le nom {name} a été rapproché de {unit} (score approché {score})"},
    "several": {"en": "{text} names {count} units ({units})",
                "fr": "{text} désigne {count} unités ({units})"},
    "counting": {
        "en": "counted as an activity in each unit; people reached and targeted are "
              "counted once, nationally, not per unit",
        "fr": "compté comme une activité dans chaque unité ; les personnes atteintes et "
              "ciblées sont comptées une seule fois, au niveau national, pas par unité"},
    "conflict_code_name": {
        "en": "conflict: code {code} is {code_unit} but name {name} is {name_unit}; "
              "used {used} ({why})",
        "fr": "conflit : le code {code} désigne {code_unit} mais le nom {name} désigne "
              "{name_unit} ; {used} retenu ({why})"},
    "conflict_cercle": {
        "en": "conflict: region {region} is {region_unit} but cercle {cercle} lies in "
              "{parent}; used the cercle (the more precise unit)",
        "fr": "conflit : la région {region} désigne {region_unit} mais le cercle {cercle} "
              "se trouve dans {parent} ; le cercle est retenu (l'unité la plus précise)"},
    "why_exact": {
        "en": "the name matched exactly, and codes were renumbered across reforms",
        "fr": "le nom correspond exactement, et les codes ont été renumérotés au fil des "
              "réformes"},
    "why_fuzzy": {"en": "the name matched only approximately",
                  "fr": "le nom ne correspond qu'approximativement"},
    "why_recode": {
        "en": "the reform table: {code} is {name} in data numbered after the 2012 law",
        "fr": "table des réformes : {code} désigne {name} dans les données numérotées "
              "selon la loi de 2012"},
    "conflict_point": {
        "en": "conflict: coordinates ({lat}, {lon}) fall in {found}, not in {named} as "
              "{by} says; kept {named} (a named unit outranks coordinates, which are "
              "often copied or swapped)",
        "fr": "conflit : les coordonnées ({lat}, {lon}) tombent dans {found}, pas dans "
              "{named} comme l'indique {by} ; {named} conservé (une unité nommée prime sur "
              "des coordonnées, souvent copiées ou inversées)"},
    "by.code": {"en": "the code", "fr": "le code"},
    "by.name": {"en": "the name", "fr": "le nom"},
    "by.cercle": {"en": "the cercle", "fr": "le cercle"},
    "by.place": {"en": "the place", "fr": "le lieu"},
    "swapped": {
        "en": "latitude {lat} and longitude {lon} were swapped; fixed",
        "fr": "latitude {lat} et longitude {lon} étaient inversées ; corrigé"},
    "outside": {"en": "coordinates ({lat}, {lon}) fall outside Mali",
                "fr": "les coordonnées ({lat}, {lon}) tombent hors du Mali"},
    "outside_swap": {
        "en": "read swapped ({lon}, {lat}) they would fall in {unit}, but {reason}",
        "fr": "lues inversées ({lon}, {lat}), elles tomberaient dans {unit}, mais {reason}"},
    "not_used": {"en": "not used", "fr": "non utilisées"},
    "refuse_country": {"en": "the row's country is {country}",
                       "fr": "le pays de la ligne est {country}"},
    "refuse_unit": {"en": "the row names {unit}", "fr": "la ligne nomme {unit}"},
    "refuse_doubt": {"en": "the row's location does not confirm it ({reason})",
                     "fr": "la localisation de la ligne ne le confirme pas ({reason})"},
    "by_point": {"en": "{reason}; placed by its coordinates",
                 "fr": "{reason} ; placé par ses coordonnées"},
    "place_unknown": {
        "en": "place {place} is not a known unit, area or town",
        "fr": "le lieu {place} n'est ni une unité, ni une zone, ni une localité connue"},
    "place_unit": {"en": "placed by its place {place}: the unit of that name",
                   "fr": "placé par son lieu {place} : l'unité de ce nom"},
    "place_town": {
        "en": "placed by its place {place}: the town {town} ({source}) in {unit}",
        "fr": "placé par son lieu {place} : la localité {town} ({source}) dans {unit}"},
    "place_point": {"en": "point at the town's coordinates",
                    "fr": "point aux coordonnées de la localité"},
    "place_shared": {
        "en": "place {place} names {count} towns in different units ({units}); "
              "add a region or cercle",
        "fr": "le lieu {place} désigne {count} localités d'unités différentes ({units}) ; "
              "ajoutez une région ou un cercle"},
    "place_elsewhere": {
        "en": "place {place} is a town of {found}, not of {unit}; not used",
        "fr": "le lieu {place} est une localité de {found}, pas de {unit} ; non utilisé"},
    "no_adm2": {"en": "cercle {name} given but no ADM2 boundaries loaded (--adm2)",
                "fr": "cercle {name} indiqué mais aucune limite ADM2 chargée (--adm2)"},
    "reform_unit": {
        "en": "{name} ({code}created {created}) lies in the pre-2016 region {regions}",
        "fr": "{name} ({code}créée en {created}) se trouve dans la région d'avant 2016 "
              "{regions}"},
    "reform_area": {"en": "{value} is the area {regions} (source: {source})",
                    "fr": "{value} désigne la zone {regions} (source : {source})"},
    "organisations": {
        "en": "organisations {names} look like one organisation; to merge them: {merge}",
        "fr": "les organisations {names} semblent n'en faire qu'une ; pour les fusionner : "
              "{merge}"},
    "fix.alias": {"en": '--alias "{name}={unit}" if that is meant',
                  "fr": '--alias "{name}={unit}" si c\'est bien cela'},
    "fix.adm2": {"en": "--adm2 FILE (a cercle boundary file)",
                 "fr": "--adm2 FICHIER (un fichier des limites des cercles)"},
    "fix.code": {"en": "give a region code or name that exists in these boundaries",
                 "fr": "indiquez un code ou un nom de région de ces limites"},
}


def join_message(key: str, lang: str = "en", **values: object) -> str:
    """The join message ``key`` in ``lang`` (English when missing), filled with ``values``.

    >>> join_message("country", "fr", country="'Sénégal'")
    "pays 'Sénégal' : hors du Mali"
    >>> join_message("national")
    'national-level record: not tied to one admin unit'
    """
    entry = JOIN_MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**values)
