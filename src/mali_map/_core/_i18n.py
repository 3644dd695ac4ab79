"""All interface text of mali-map, in English and French, in one table.

:data:`LABELS` maps a key to its text in every language of :data:`LANGUAGES`
(a test checks that no language is missing). Every renderer -- the HTML pages, the
static maps, the snapshot report, the data outputs, the join report and the
console, and the join report's messages (``message.<key>``, through
:func:`join_message`) -- looks text up with :func:`label`, which fills ``{fields}``
with :meth:`str.format`. Sector labels are vocabulary, in :mod:`mali_map._reference._vocabulary`.

What differs between languages beyond words lives here too: the number
separators and the colon are entries of the table (read by :func:`number`,
:func:`digits` and :func:`pair`), the plural rule is :data:`_SINGULAR`, and French
typography (a no-break space before ``: ; ? ! »`` and after ``«``) is applied by
:func:`label` to the French texts, so the table is written with plain spaces.
"""

from __future__ import annotations

from functools import cache

LANGUAGES: tuple[str, ...] = ("en", "fr")

LABELS: dict[str, dict[str, str]] = {
    # punctuation and numbers
    "colon": {"en": ": ", "fr": " : "},
    "clause_separator": {"en": "; ", "fr": " ; "},
    "number.thousands": {"en": ",", "fr": "\u202f"},
    "number.decimal": {"en": ".", "fr": ","},
    # shared words
    "activities": {"en": "Activities", "fr": "Activités"},
    "organisations": {"en": "Organisations", "fr": "Organisations"},
    "reached": {"en": "People reached", "fr": "Personnes atteintes"},
    "targeted": {"en": "People targeted", "fr": "Personnes ciblées"},
    "metric_title.activities": {"en": "Activities per region", "fr": "Activités par région"},
    "metric_title.organisations": {
        "en": "Organisations per region",
        "fr": "Organisations par région"},
    "metric_title.reached": {
        "en": "People reached per region",
        "fr": "Personnes atteintes par région"},
    "metric_title.targeted": {
        "en": "People targeted per region",
        "fr": "Personnes ciblées par région"},
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
        "en": "The boundaries and names shown and the designations used on this "
              "map do not imply official endorsement or acceptance.",
        "fr": "Les limites et les noms indiqués et les désignations employées sur"
              " cette carte n'impliquent ni reconnaissance ni acceptation "
              "officielles."},
    # interactive maps
    "title": {"en": "Mali: who does what where", "fr": "Mali : qui fait quoi où"},
    "filters": {"en": "Filters", "fr": "Filtres"},
    "layers": {"en": "Layers", "fr": "Couches"},
    "legend": {"en": "Legend", "fr": "Légende"},
    "counts": {"en": "Counts", "fr": "Décompte"},
    "map_shows": {"en": "Map shows", "fr": "La carte montre"},
    "all_organisations": {"en": "All organisations", "fr": "Toutes les organisations"},
    "all_statuses": {"en": "All statuses", "fr": "Tous les statuts"},
    "all_years": {"en": "All years", "fr": "Toutes les années"},
    "year": {"en": "Year (active)", "fr": "Année (en cours)"},
    "reset": {"en": "Reset filters", "fr": "Réinitialiser les filtres"},
    "units_layer": {"en": "Choropleth", "fr": "Aplats (choroplèthe)"},
    "points_by_sector": {
        "en": "Records with coordinates, by sector",
        "fr": "Activités géolocalisées, par secteur"},
    "records_selected": {"en": "Records selected", "fr": "Activités sélectionnées"},
    "on_map": {"en": "On the map", "fr": "Sur la carte"},
    "not_on_map": {
        "en": "Not on the map (unmatched or national level)",
        "fr": "Hors carte (non localisées ou de niveau national)"},
    "not_on_map_adm2": {
        "en": "Not placed in a subdivision",
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
    "organisations_in": {
        "en": "Organisations working in {name}",
        "fr": "Organisations actives : {name}"},
    "region_page": {"en": "Region: {name}", "fr": "Région : {name}"},
    "sector_page": {"en": "Sector: {name}", "fr": "Secteur : {name}"},
    "subdivisions": {"en": "Subdivisions (ADM2)", "fr": "Subdivisions (cercles)"},
    "data_date": {"en": "Latest date in the data", "fr": "Date la plus récente des données"},
    "data_source": {"en": "Data", "fr": "Données"},
    "generated": {"en": "Generated", "fr": "Généré le"},
    "map": {"en": "Map", "fr": "Carte"},
    "no_script": {
        "en": "The map needs JavaScript; the tables below work without it.",
        "fr": "La carte nécessite JavaScript ; les tableaux ci-dessous fonctionnent sans."},
    "dates": {"en": "Dates", "fr": "Dates"},
    "quote": {"en": "Source text", "fr": "Texte source"},
    "row": {"en": "Row", "fr": "Ligne"},
    "regions_col": {"en": "Regions", "fr": "Régions"},
    "tiles": {
        "en": "Background: © OpenStreetMap contributors",
        "fr": "Fond : © contributeurs OpenStreetMap"},
    "unknown_sector": {"en": "(no sector)", "fr": "(sans secteur)"},
    "no_organisation": {"en": "(no organisation)", "fr": "(sans organisation)"},
    "by_sector": {"en": "By sector", "fr": "Par secteur"},
    "by_organisation": {"en": "By organisation", "fr": "Par organisation"},
    "grid_cell": {
        "en": "Records with coordinates per grid cell ({size}°)",
        "fr": "Activités géolocalisées par maille ({size}°)"},
    "grid_note": {
        "en": "{n} records with coordinates: more than {cap}, so they are shown "
              "as grid cells with their counts, not one by one.",
        "fr": "{n} activités géolocalisées : plus de {cap}, elles sont donc "
              "montrées par mailles avec leur nombre, et non une par une."},
    "records_n": {"en": "{n} records", "fr": "{n} activités"},
    "records_gpkg": {
        "en": "every record with its coordinates",
        "fr": "chaque activité avec ses coordonnées"},
    "programmes": {"en": "National & multi-region", "fr": "National et multi-régions"},
    "programmes_n": {
        "en": "{n} records under these filters: national level (not on the map) or placed "
              "in several units (counted in each).",
        "fr": "{n} activités avec ces filtres : de niveau national (hors carte) ou "
              "rattachées à plusieurs unités (comptées dans chacune)."},
    "kind_national": {"en": "National level", "fr": "Niveau national"},
    "kind_multi": {"en": "Several units", "fr": "Plusieurs unités"},
    "programmes_cap": {
        "en": "Only the first {n} lines are listed here; the join report lists every record.",
        "fr": "Seules les {n} premières lignes figurent ici ; le rapport de jointure liste "
              "toutes les activités."},
    "no_programmes": {"en": "None under these filters.", "fr": "Aucun avec ces filtres."},
    # static maps
    "produced_on": {"en": "Produced: {date}", "fr": "Réalisé le {date}"},
    "metric": {"en": "Metric", "fr": "Indicateur"},
    "period": {"en": "Period", "fr": "Période"},
    "no_period": {"en": "not stated", "fr": "non précisée"},
    "points": {"en": "Activity location", "fr": "Lieu d'activité"},
    "other_units": {"en": "Other regions", "fr": "Autres régions"},
    "per_region": {"en": "per region", "fr": "par région"},
    "per_cercle": {"en": "per cercle (ADM2)", "fr": "par cercle"},
    "projection": {
        "en": "Projection: Lambert azimuthal equal-area centred on 17°N 4°W (WGS "
              "84); scale exact at the map centre.",
        "fr": "Projection : azimutale équivalente de Lambert centrée sur 17°N 4°O"
              " (WGS 84) ; échelle exacte au centre de la carte."},
    "not_shown": {
        "en": "{n} of {total} records are not on this map (national level, unmatched or invalid).",
        "fr": "{n} enregistrements sur {total} ne figurent pas sur cette carte "
              "(niveau national, non localisés ou invalides)."},
    "not_shown_1": {
        "en": "1 of {total} records is not on this map (national level, unmatched or invalid).",
        "fr": "1 enregistrement sur {total} ne figure pas sur cette carte (niveau"
              " national, non localisé ou invalide)."},
    "records_shown": {
        "en": "{n} records in this view.",
        "fr": "{n} enregistrements dans cette vue."},
    "no_cercle": {
        "en": "{n} of them not placed in a cercle, so not in the cercle colours.",
        "fr": "dont {n} non placés dans un cercle, donc absents des couleurs des cercles."},
    "records_shown_1": {"en": "1 record in this view.", "fr": "1 enregistrement dans cette vue."},
    # snapshot report
    "kind": {"en": "3W snapshot", "fr": "Instantané 3W"},
    "period_covered": {
        "en": "Period covered by the data",
        "fr": "Période couverte par les données"},
    "no_dates": {"en": "no dates in the data", "fr": "aucune date dans les données"},
    "production_date": {"en": "Production date", "fr": "Date de production"},
    "producer": {"en": "Producer", "fr": "Producteur"},
    "map_id": {"en": "Map ID", "fr": "Réf. de la carte"},
    "data_file": {"en": "Data file", "fr": "Fichier de données"},
    "not_given": {"en": "not given", "fr": "non précisé"},
    "key_figures": {"en": "Key figures", "fr": "Chiffres clés"},
    "regions_covered": {"en": "Regions covered", "fr": "Régions couvertes"},
    "cercles_covered": {"en": "Cercles covered", "fr": "Cercles couverts"},
    "no_cercles": {"en": "no cercle boundaries loaded", "fr": "limites des cercles non chargées"},
    "of_n": {"en": "of {n}", "fr": "sur {n}"},
    "reached_not_stated": {"en": "not stated", "fr": "non précisé"},
    "reached_stated": {
        "en": "stated for {n} of {total} activities",
        "fr": "précisé pour {n} activités sur {total}"},
    "activities_on_map": {"en": "Activities on the map", "fr": "Activités sur la carte"},
    "n_national": {"en": "{n} national level", "fr": "{n} de niveau national"},
    "n_several": {"en": "{n} in several regions", "fr": "{n} dans plusieurs régions"},
    "contents": {"en": "Contents", "fr": "Sommaire"},
    "s.overview": {"en": "Overview map", "fr": "Carte d'ensemble"},
    "s.who_where": {"en": "Who works where", "fr": "Qui travaille où"},
    "s.small_multiples": {"en": "Sectors at a glance", "fr": "Les secteurs en un coup d'œil"},
    "s.narrative": {"en": "Sectors and regions in brief", "fr": "Secteurs et régions en bref"},
    "s.programmes": {
        "en": "National and multi-region programmes",
        "fr": "Programmes nationaux et multirégionaux"},
    "s.quality": {"en": "Data-quality annex", "fr": "Annexe : qualité des données"},
    "continued": {"en": "(continued)", "fr": "(suite)"},
    "page": {"en": "Page {n} of {total}", "fr": "Page {n} sur {total}"},
    "who_where_intro": {
        "en": "Activities per organisation and region. Organisations sorted by "
              "number of activities; \"Not placed\" counts activities on no map "
              "(national level, unmatched or invalid). An activity placed in several "
              "regions counts in each of them and once in the total.",
        "fr": "Activités par organisation et par région. Organisations triées par"
              " nombre d'activités ; « Hors carte » compte les activités absentes"
              " des cartes (niveau national, non localisées ou invalides). Une activité"
              " rattachée à plusieurs régions compte dans chacune d'elles et une seule"
              " fois dans le total."},
    "not_placed": {"en": "Not placed", "fr": "Hors carte"},
    "no_sector": {"en": "(no sector)", "fr": "(sans secteur)"},
    "small_multiples_note": {
        "en": "{metric} per region, one map per sector, with the classes of the "
              "overview map. Activities not placed in a region are not on these "
              "maps.",
        "fr": "{metric} par région, une carte par secteur, avec les classes de la"
              " carte d'ensemble. Les activités non rattachées à une région n'y "
              "figurent pas."},
    "by_region": {"en": "By region", "fr": "Par région"},
    "narrative_intro": {
        "en": "Generated from the figures of this report; coverage gaps are "
              "regions with no activity reported in a sector.",
        "fr": "Texte généré à partir des chiffres du rapport ; les lacunes sont "
              "les régions sans activité signalée dans un secteur."},
    "n.activities": {"en": "{n} activity|{n} activities", "fr": "{n} activité|{n} activités"},
    "n.organisations": {
        "en": "{n} organisation|{n} organisations",
        "fr": "{n} organisation|{n} organisations"},
    "n.regions": {"en": "{n} region|{n} regions", "fr": "{n} région|{n} régions"},
    "n.sectors": {"en": "{n} sector|{n} sectors", "fr": "{n} secteur|{n} secteurs"},
    "sector.head": {
        "en": "{activities} by {organisations}",
        "fr": "{activities} de {organisations}"},
    "sector.regions": {"en": "in {regions} ({names})", "fr": "dans {regions} ({names})"},
    "sector.no_region": {"en": "none placed in a region", "fr": "aucune rattachée à une région"},
    "sector.not_placed": {
        "en": "{activities} not placed in a region",
        "fr": "{activities} hors carte"},
    "sector.gaps": {
        "en": "no activity reported in {names}",
        "fr": "aucune activité signalée dans : {names}"},
    "region.head": {
        "en": "{activities} by {organisations} in {sectors} ({names})",
        "fr": "{activities} de {organisations} dans {sectors} ({names})"},
    "region.none": {"en": "no activity reported", "fr": "aucune activité signalée"},
    "region.gaps": {
        "en": "no activity reported in {names}",
        "fr": "aucune activité signalée en : {names}"},
    "programmes_intro": {
        "en": "National-level activities (not tied to one region), activities "
              "placed in several regions, and programmes an organisation runs under "
              "the same activity name in several regions.",
        "fr": "Activités de niveau national (non rattachées à une région), activités"
              " rattachées à plusieurs régions et programmes qu'une organisation mène"
              " sous le même intitulé dans plusieurs régions."},
    "national": {"en": "National level", "fr": "Niveau national"},
    "multi_region": {"en": "Multi-region", "fr": "Multirégional"},
    "scope": {"en": "Scope", "fr": "Portée"},
    "rows": {"en": "Rows", "fr": "Lignes"},
    "none_listed": {"en": "None.", "fr": "Aucun."},
    "statuses": {"en": "Rows by join status", "fr": "Lignes par statut de jointure"},
    "join_status": {"en": "Join status", "fr": "Statut de jointure"},
    "rows.matched": {"en": "matched", "fr": "rattachées"},
    "rows.warning": {"en": "matched with a warning", "fr": "rattachées avec avertissement"},
    "rows.unmatched": {"en": "unmatched", "fr": "non rattachées"},
    "rows.invalid": {"en": "invalid", "fr": "invalides"},
    "rows.national": {"en": "national level", "fr": "niveau national"},
    "rows.multi": {"en": "placed in several units", "fr": "rattachées à plusieurs unités"},
    "of_which_national": {"en": "of which national level", "fr": "dont niveau national"},
    "all_rows": {"en": "All rows", "fr": "Toutes les lignes"},
    "attention": {"en": "Rows needing attention", "fr": "Lignes à vérifier"},
    "reason": {"en": "Reason (join report)", "fr": "Motif (rapport de jointure)"},
    "more_rows": {
        "en": "… and {n} more rows needing attention: see the join report (mali-"
              "map validate --report FILE).",
        "fr": "… et {n} autres lignes à vérifier : voir le rapport de jointure "
              "(mali-map validate --report FICHIER)."},
    "no_attention": {"en": "No row needs attention.", "fr": "Aucune ligne à vérifier."},
    "sources_title": {"en": "Sources and attributions", "fr": "Sources et attributions"},
    "record_sources": {
        "en": "Sources named by the records",
        "fr": "Sources citées par les enregistrements"},
    "boundary_attribution": {"en": "Boundaries", "fr": "Limites administratives"},
    "count": {"en": "Count", "fr": "Nombre"},
    "produced_by": {"en": "Produced with mali-map", "fr": "Produit avec mali-map"},
    # data outputs
    "column.admin0Pcode": {"en": "Country P-code", "fr": "P-code pays"},
    "column.admin1Pcode": {"en": "Region P-code", "fr": "P-code région"},
    "column.admin1Name_fr": {"en": "Region (French)", "fr": "Région"},
    "column.admin1Name_en": {"en": "Region", "fr": "Région (anglais)"},
    "column.admin2Pcode": {"en": "Cercle P-code", "fr": "P-code cercle"},
    "column.admin2Name_fr": {"en": "Cercle (French)", "fr": "Cercle"},
    "column.admin2Name_en": {"en": "Cercle", "fr": "Cercle (anglais)"},
    "column.sector": {"en": "Sector code", "fr": "Code secteur"},
    "column.sector_label": {"en": "Sector", "fr": "Secteur"},
    "sheet.adm1": {"en": "Regions", "fr": "Régions"},
    "sheet.adm1_sectors": {"en": "Regions x sectors", "fr": "Régions x secteurs"},
    "sheet.adm2": {"en": "Cercles", "fr": "Cercles"},
    "sheet.adm2_sectors": {"en": "Cercles x sectors", "fr": "Cercles x secteurs"},
    # attributions (as stored in Boundaries.attribution: the English text)
    "attribution.embedded": {
        "en": "geoBoundaries (CC BY 4.0), from OCHA/DNCT data",
        "fr": "geoBoundaries (CC BY 4.0), d'après les données OCHA/DNCT"},
    "attribution.geoboundaries": {"en": "geoBoundaries (CC BY 4.0)",
                                  "fr": "geoBoundaries (CC BY 4.0)"},
    "attribution.cod": {"en": "OCHA COD-AB", "fr": "OCHA COD-AB"},
    "attribution.natural_earth": {"en": "Natural Earth (public domain)",
                                  "fr": "Natural Earth (domaine public)"},
    "attribution.geonames": {"en": "GeoNames (CC BY 4.0)", "fr": "GeoNames (CC BY 4.0)"},
    # join report: column headers (English keeps the column names), statuses, methods
    "report.row": {"en": "row", "fr": "ligne"},
    "report.status": {"en": "status", "fr": "statut"},
    "report.pcode": {"en": "pcode", "fr": "pcode"},
    "report.admin_name": {"en": "admin_name", "fr": "nom_admin"},
    "report.adm2_pcode": {"en": "adm2_pcode", "fr": "pcode_adm2"},
    "report.adm2_name": {"en": "adm2_name", "fr": "nom_adm2"},
    "report.units": {"en": "units", "fr": "unités"},
    "report.method": {"en": "method", "fr": "méthode"},
    "report.score": {"en": "score", "fr": "score"},
    "report.message": {"en": "message", "fr": "message"},
    "report.suggestion": {"en": "suggestion", "fr": "suggestion"},
    "report.organisation": {"en": "organisation", "fr": "organisation"},
    "report.sector": {"en": "sector", "fr": "secteur"},
    "report.activity": {"en": "activity", "fr": "activité"},
    "report.location": {"en": "location", "fr": "lieu"},
    "join.matched": {"en": "matched", "fr": "rattaché"},
    "join.warning": {"en": "warning", "fr": "avertissement"},
    "join.national": {"en": "national", "fr": "national"},
    "join.multi": {"en": "multi", "fr": "plusieurs unités"},
    "join.unmatched": {"en": "unmatched", "fr": "non rattaché"},
    "join.invalid": {"en": "invalid", "fr": "invalide"},
    "method.pcode": {"en": "pcode", "fr": "code P"},
    "method.iso": {"en": "iso", "fr": "code ISO"},
    "method.name": {"en": "name", "fr": "nom"},
    "method.alias": {"en": "alias", "fr": "alias"},
    "method.fuzzy": {"en": "fuzzy", "fr": "approché"},
    "method.coordinates": {"en": "coordinates", "fr": "coordonnées"},
    # console (mali-map build, validate, export, snapshot, init)
    "cli.summary": {
        "en": "{source}: {rows} rows read, {matched} matched, {warning} with warnings "
              "({conflicts} conflicts), {national} national, {multi} in several units, "
              "{unmatched} unmatched, {invalid} invalid",
        "fr": "{source} : {rows} lignes lues, {matched} rattachées, {warning} avec "
              "avertissement ({conflicts} conflits), {national} de niveau national, "
              "{multi} dans plusieurs unités, {unmatched} non rattachées, {invalid} invalides"},
    "cli.note": {"en": "note: {note}", "fr": "remarque : {note}"},
    "cli.attention": {"en": "row {row}: {status}: {message} -> {step}",
                      "fr": "ligne {row} : {status} : {message} -> {step}"},
    "cli.more_rows": {
        "en": "... and {n} more rows that need attention: see {where}",
        "fr": "... et {n} autres lignes à vérifier : voir {where}"},
    "cli.the_report": {"en": "the join report", "fr": "le rapport de jointure"},
    "cli.the_report_at": {"en": "the join report {path}",
                          "fr": "le rapport de jointure {path}"},
    "cli.strict": {
        "en": "mali-map: --strict: {unmatched} unmatched, {invalid} invalid and {conflicts} "
              "conflicting rows (see the join report)",
        "fr": "mali-map : --strict : {unmatched} lignes non rattachées, {invalid} invalides "
              "et {conflicts} en conflit (voir le rapport de jointure)"},
    "cli.progress": {"en": "static maps: {done}/{total} {name}",
                     "fr": "cartes statiques : {done}/{total} {name}"},
    "cli.progress_line": {"en": "static maps: drawing {done}/{total} ({name})",
                          "fr": "cartes statiques : dessin {done}/{total} ({name})"},
    "cli.wrote": {"en": "wrote {path}", "fr": "écrit : {path}"},
    "cli.wrote_report": {
        "en": "wrote {path} (join report, {n} rows)",
        "fr": "écrit : {path} (rapport de jointure, {n} lignes)"},
    "cli.wrote_pages": {
        "en": "wrote {index} and {n} more HTML pages in {out}/regions and {out}/sectors "
              "(open {index})",
        "fr": "écrit : {index} et {n} autres pages HTML dans {out}/regions et "
              "{out}/sectors (ouvrez {index})"},
    "cli.wrote_static": {
        "en": "wrote {n} static maps ({formats}) to {folder}/ in {seconds} s",
        "fr": "écrit : {n} cartes statiques ({formats}) dans {folder}/ en {seconds} s"},
    "cli.wrote_join_report": {"en": "wrote the join report {path}",
                              "fr": "écrit : le rapport de jointure {path}"},
    "cli.init_wrote": {
        "en": "wrote {path}: edit it, then run mali-map build --config {path}",
        "fr": "écrit : {path} ; modifiez-le, puis lancez mali-map build --config {path}"},
    "cli.error": {"en": "mali-map: error: {message}", "fr": "mali-map : erreur : {message}"},
    "cli.usage_error": {
        "en": "mali-map: error: {message} (see mali-map --help)",
        "fr": "mali-map : erreur : {message} (voir mali-map --help)"},
    "cli.interrupted": {"en": "mali-map: interrupted; nothing was replaced",
                        "fr": "mali-map : interrompu ; rien n'a été remplacé"},
    "next.unmatched": {
        "en": "fix the name in the file, or add --alias NAME=P-CODE (--adm2-alias for a "
              "cercle)",
        "fr": "corrigez le nom dans le fichier, ou ajoutez --alias NOM=P-CODE "
              "(--adm2-alias pour un cercle)"},
    "next.warning": {
        "en": "check the match; confirm it with --alias NAME=P-CODE if it is right",
        "fr": "vérifiez le rattachement ; confirmez-le avec --alias NOM=P-CODE s'il est juste"},
    "next.invalid": {"en": "fix the value in the file",
                     "fr": "corrigez la valeur dans le fichier"},
}

#: The plural rule: the counts that take the singular (French: 0 and 1).
_SINGULAR: dict[str, frozenset[int]] = {"en": frozenset({1}), "fr": frozenset({0, 1})}
#: Typography applied to a language's texts: French ties ``: ; ? ! »`` to the word before.
_TIES: dict[str, tuple[tuple[str, str], ...]] = {
    "fr": ((" :", "\u00a0:"), (" ;", "\u00a0;"), (" ?", "\u00a0?"), (" !", "\u00a0!"),
           (" »", "\u00a0»"), ("« ", "«\u00a0")),
}


def _typeset(text: str, lang: str) -> str:
    for plain, tied in _TIES.get(lang, ()):
        text = text.replace(plain, tied)
    return text


@cache
def _texts(lang: str) -> dict[str, str]:
    """The table as looked up in ``lang``: key -> text, typography applied (built once)."""
    return {key: _typeset(entry.get(lang) or entry["en"], lang) for key, entry in LABELS.items()}


def label(key: str, lang: str = "en", /, **fields: object) -> str:
    """The text ``key`` in ``lang``, with ``{fields}`` filled in; an unknown key as written.

    >>> label("activities", "fr")
    'Activités'
    >>> label("region_page", "FR", name="Gao")
    'Région\\xa0: Gao'
    >>> label("status.weird", "fr")
    'status.weird'
    """
    code = lang.lower()
    text = _texts(code if code in LANGUAGES else "en").get(key)
    if text is None:
        return key
    return text.format(**fields) if fields else text


def term(group: str, value: str, lang: str = "en") -> str:
    """The word for ``value`` in a group of terms (``join``, ``method``, ``status``...);
    a value the table does not know is returned as written.

    >>> term("join", "unmatched", "fr"), term("join", "odd", "fr")
    ('non rattaché', 'odd')
    """
    key = f"{group}.{value}"
    return label(key, lang) if key in LABELS else value


def terms(group: str, lang: str = "en") -> dict[str, str]:
    """Every word of a group in ``lang``, keyed by its value.

    >>> terms("join", "fr")["invalid"]
    'invalide'
    """
    prefix = f"{group}."
    return {key[len(prefix):]: label(key, lang) for key in LABELS if key.startswith(prefix)}


def digits(text: str, lang: str = "en") -> str:
    """A number written the English way (``12,345.5``) with ``lang``'s separators.

    >>> digits("1,500.5–2,000", "fr")
    '1\\u202f500,5–2\\u202f000'
    """
    return text.translate(str.maketrans({",": label("number.thousands", lang),
                                         ".": label("number.decimal", lang)}))


def number(value: float, lang: str = "en", decimals: int = 0) -> str:
    """``value`` rounded to ``decimals`` with ``lang``'s separators.

    >>> number(12345, "en"), number(12345.0, "fr"), number(2.25, "fr", 1)
    ('12,345', '12\\u202f345', '2,2')
    """
    return digits(f"{value:,.{decimals}f}", lang)


def pair(name: object, value: object, lang: str = "en") -> str:
    """``name: value`` with ``lang``'s colon (a no-break space before it in French).

    >>> pair("Période", "2012", "fr")
    'Période\\xa0: 2012'
    """
    return f"{name}{label('colon', lang)}{value}"


def clauses(parts: list[str], lang: str = "en") -> str:
    """Clauses of a sentence joined with ``;`` (French spacing).

    >>> clauses(["a", "b"], "fr")
    'a\\xa0; b'
    """
    return label("clause_separator", lang).join(parts)


def plural(key: str, n: int, lang: str = "en") -> str:
    """``n`` and its noun from an entry written ``singular|plural`` (``{n}`` filled in).

    >>> plural("n.activities", 1, "en"), plural("n.activities", 0, "fr")
    ('1 activity', '0 activité')
    """
    one, many = label(key, lang).split("|")
    singular = _SINGULAR.get(lang.lower(), _SINGULAR["en"])
    return (one if n in singular else many).format(n=number(n, lang))


def attribution(text: str, lang: str = "en") -> str:
    """An attribution stored in English (e.g. in ``Boundaries.attribution``) in ``lang``;
    one the table does not know (a file name) as written.

    >>> attribution("Natural Earth (public domain)", "fr")
    'Natural Earth (domaine public)'
    """
    for key, entry in LABELS.items():
        if key.startswith("attribution.") and entry["en"] == text:
            return label(key, lang)
    return text


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
    "conflict_level": {
        "en": "conflict: {level} {given} is {given_unit} but {finer} {text} lies in "
              "{parent}; used the {finer} (the more precise unit)",
        "fr": "conflit : {level} {given} désigne {given_unit} mais {finer} {text} se trouve "
              "dans {parent} ; l'unité la plus précise est retenue ({finer})"},
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
    "place_no_point": {
        "en": "no point: the gazetteer has no sourced coordinates for it (cercle level)",
        "fr": "pas de point : le répertoire n'a pas de coordonnées sourcées pour elle "
              "(niveau cercle)"},
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
    "no_level": {"en": "{level} {name} given but no {level_key} boundaries loaded",
                 "fr": "{level} {name} indiqué mais aucune limite {level_key} chargée"},
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
    "fix.country": {"en": "none if the row is outside Mali; otherwise correct its country",
                    "fr": "aucune si la ligne est hors du Mali ; sinon corrigez son pays"},
    "fix.code": {"en": "give a region code or name that exists in these boundaries",
                 "fr": "indiquez un code ou un nom de région de ces limites"},
}


def join_message(key: str, lang: str = "en", **values: object) -> str:
    """The join message ``key`` in ``lang`` (English when missing), filled with ``values``.

    >>> join_message("country", "fr", country="'Sénégal'")
    "pays 'Sénégal'\\xa0: hors du Mali"
    >>> join_message("national")
    'national-level record: not tied to one admin unit'
    """
    return label(f"message.{key}", lang, **values)


# The join report's messages are part of the one table (keys ``message.<key>``).
LABELS.update({f"message.{key}": entry for key, entry in JOIN_MESSAGES.items()})
