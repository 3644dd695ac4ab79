"""Interface strings of the interactive maps, in English and French.

Words shared with the static maps (metric names, statuses, field names) come
from :mod:`mali_map._i18n`; the strings here are specific to the HTML pages.
"""

from __future__ import annotations

from .._i18n import LABELS, label

UI: dict[str, dict[str, str]] = {
    "title": {"en": "Mali: who does what where", "fr": "Mali : qui fait quoi où"},
    "filters": {"en": "Filters", "fr": "Filtres"},
    "layers": {"en": "Layers", "fr": "Couches"},
    "legend": {"en": "Legend", "fr": "Légende"},
    "counts": {"en": "Counts", "fr": "Décompte"},
    "map_shows": {"en": "Map shows", "fr": "La carte montre"},
    "all_sectors": {"en": "All sectors", "fr": "Tous les secteurs"},
    "all_organisations": {"en": "All organisations", "fr": "Toutes les organisations"},
    "all_statuses": {"en": "All statuses", "fr": "Tous les statuts"},
    "all_years": {"en": "All years", "fr": "Toutes les années"},
    "year": {"en": "Year (active)", "fr": "Année (en cours)"},
    "reset": {"en": "Reset filters", "fr": "Réinitialiser les filtres"},
    "units_layer": {"en": "Choropleth", "fr": "Aplats (choroplèthe)"},
    "points_by_sector": {"en": "Records with coordinates, by sector",
                         "fr": "Activités géolocalisées, par secteur"},
    "records_selected": {"en": "Records selected", "fr": "Activités sélectionnées"},
    "on_map": {"en": "On the map", "fr": "Sur la carte"},
    "not_on_map": {"en": "Not on the map (unmatched or national level)",
                   "fr": "Hors carte (non localisées ou de niveau national)"},
    "not_on_map_adm2": {"en": "Not placed in a subdivision",
                        "fr": "Non rattachées à une subdivision"},
    "join_report": {"en": "see the join report", "fr": "voir le rapport de jointure"},
    "points_shown": {"en": "Points shown", "fr": "Points affichés"},
    "more": {"en": "… and {n} more", "fr": "… et {n} de plus"},
    "no_records": {"en": "No records", "fr": "Aucune activité"},
    "summary": {"en": "Summary by region", "fr": "Synthèse par région"},
    "regions": {"en": "Regions", "fr": "Régions"},
    "sectors": {"en": "Sectors", "fr": "Secteurs"},
    "total": {"en": "Total", "fr": "Total"},
    "not_on_map_row": {"en": "Not on the map", "fr": "Hors carte"},
    "activities_in": {"en": "Activities in {name}", "fr": "Activités : {name}"},
    "organisations_in": {"en": "Organisations working in {name}",
                         "fr": "Organisations actives : {name}"},
    "region_page": {"en": "Region: {name}", "fr": "Région : {name}"},
    "sector_page": {"en": "Sector: {name}", "fr": "Secteur : {name}"},
    "subdivisions": {"en": "Subdivisions (ADM2)", "fr": "Subdivisions (cercles)"},
    "data_date": {"en": "Latest date in the data", "fr": "Date la plus récente des données"},
    "data_source": {"en": "Data", "fr": "Données"},
    "generated": {"en": "Generated", "fr": "Généré le"},
    "map": {"en": "Map", "fr": "Carte"},
    "no_script": {"en": "The map needs JavaScript; the tables below work without it.",
                  "fr": "La carte nécessite JavaScript ; les tableaux ci-dessous fonctionnent "
                        "sans."},
    "dates": {"en": "Dates", "fr": "Dates"},
    "reached": {"en": "People reached", "fr": "Personnes atteintes"},
    "place": {"en": "Place", "fr": "Lieu"},
    "quote": {"en": "Source text", "fr": "Texte source"},
    "row": {"en": "Row", "fr": "Ligne"},
    "regions_col": {"en": "Regions", "fr": "Régions"},
    "tiles": {"en": "Background: © OpenStreetMap contributors",
              "fr": "Fond : © contributeurs OpenStreetMap"},
    "colon": {"en": ": ", "fr": "\u00a0: "},
    "unknown_sector": {"en": "(no sector)", "fr": "(sans secteur)"},
    "no_organisation": {"en": "(no organisation)", "fr": "(sans organisation)"},
    "by_sector": {"en": "By sector", "fr": "Par secteur"},
    "by_organisation": {"en": "By organisation", "fr": "Par organisation"},
    "grid_cell": {"en": "Records with coordinates per grid cell ({size}°)",
                  "fr": "Activités géolocalisées par maille ({size}°)"},
    "grid_note": {"en": "{n} records with coordinates: more than {cap}, so they are shown "
                        "as grid cells with their counts, not one by one.",
                  "fr": "{n} activités géolocalisées : plus de {cap}, elles sont donc "
                        "montrées par mailles avec leur nombre, et non une par une."},
    "records_n": {"en": "{n} records", "fr": "{n} activités"},
    "programmes": {"en": "National and multi-region programmes",
                   "fr": "Programmes nationaux et multi-régions"},
    "programmes_n": {"en": "{n} records under these filters, not on the map: national "
                           "level or placed in several units.",
                     "fr": "{n} activités avec ces filtres, hors carte : de niveau national "
                           "ou rattachées à plusieurs unités."},
    "kind_national": {"en": "National level", "fr": "Niveau national"},
    "kind_multi": {"en": "Several units", "fr": "Plusieurs unités"},
    "programmes_cap": {"en": "Only the first {n} lines are listed here; the join report "
                             "lists every record.",
                       "fr": "Seules les {n} premières lignes figurent ici ; le rapport de "
                             "jointure liste toutes les activités."},
    "no_programmes": {"en": "None under these filters.", "fr": "Aucun avec ces filtres."},
    "records_gpkg": {"en": "every record with its coordinates",
                     "fr": "chaque activité avec ses coordonnées"},
}


def ui(key: str, lang: str) -> str:
    """An interface string of the HTML pages, falling back to the shared labels."""
    return label(key, lang, own=UI)


def status_label(status: str, lang: str) -> str:
    """The label of a record status; a status outside the vocabulary is shown as written."""
    key = f"status.{status}"
    return label(key, lang) if key in LABELS else status
