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
    "level.adm1": {"en": "Region", "fr": "Région"},
    "level.adm2": {"en": "Cercle", "fr": "Cercle"},
    "level.adm3": {"en": "Commune", "fr": "Commune"},
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
