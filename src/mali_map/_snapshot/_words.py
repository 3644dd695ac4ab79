"""Words of the 3W snapshot report, in English and French.

Looked up through :func:`mali_map._i18n.label` (``own=WORDS``), so shared words
(metric names, "Region", "Sources", the disclaimer...) come from the one table in
:mod:`mali_map._i18n` and only the report's own phrases live here.
"""

from __future__ import annotations

from .._i18n import label

WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "Mali: who does what where", "fr": "Mali : qui fait quoi où"},
    "kind": {"en": "3W snapshot", "fr": "Instantané 3W"},
    "period": {"en": "Period covered by the data", "fr": "Période couverte par les données"},
    "no_period": {"en": "no dates in the data", "fr": "aucune date dans les données"},
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
    "reached_stated": {"en": "stated for {n} of {total} activities",
                       "fr": "précisé pour {n} activités sur {total}"},
    "on_map": {"en": "Activities on the map", "fr": "Activités sur la carte"},
    "contents": {"en": "Contents", "fr": "Sommaire"},
    "s.overview": {"en": "Overview map", "fr": "Carte d'ensemble"},
    "s.who_where": {"en": "Who works where", "fr": "Qui travaille où"},
    "s.small_multiples": {"en": "Sectors at a glance", "fr": "Les secteurs en un coup d'œil"},
    "s.narrative": {"en": "Sectors and regions in brief", "fr": "Secteurs et régions en bref"},
    "s.programmes": {"en": "National and multi-region programmes",
                     "fr": "Programmes nationaux et multirégionaux"},
    "s.quality": {"en": "Data-quality annex", "fr": "Annexe : qualité des données"},
    "continued": {"en": "(continued)", "fr": "(suite)"},
    "page": {"en": "Page {n} of {total}", "fr": "Page {n} sur {total}"},
    "who_where_intro": {
        "en": "Activities per organisation and region. Organisations sorted by number of "
              "activities; \"Not placed\" counts activities on no map (national level, "
              "unmatched or invalid).",
        "fr": "Activités par organisation et par région. Organisations triées par nombre "
              "d'activités ; « Hors carte » compte les activités absentes des cartes (niveau "
              "national, non localisées ou invalides)."},
    "not_placed": {"en": "Not placed", "fr": "Hors carte"},
    "total": {"en": "Total", "fr": "Total"},
    "no_organisation": {"en": "(no organisation)", "fr": "(sans organisation)"},
    "no_sector": {"en": "(no sector)", "fr": "(sans secteur)"},
    "small_multiples_note": {
        "en": "{metric} per region, one map per sector, with the classes of the overview map. "
              "Activities not placed in a region are not on these maps.",
        "fr": "{metric} par région, une carte par secteur, avec les classes de la carte "
              "d'ensemble. Les activités non rattachées à une région n'y figurent pas."},
    "by_sector": {"en": "By sector", "fr": "Par secteur"},
    "by_region": {"en": "By region", "fr": "Par région"},
    "narrative_intro": {
        "en": "Generated from the figures of this report; coverage gaps are regions with no "
              "activity reported in a sector.",
        "fr": "Texte généré à partir des chiffres du rapport ; les lacunes sont les régions sans "
              "activité signalée dans un secteur."},
    "n.activities": {"en": "{n} activity|{n} activities", "fr": "{n} activité|{n} activités"},
    "n.organisations": {"en": "{n} organisation|{n} organisations",
                        "fr": "{n} organisation|{n} organisations"},
    "n.regions": {"en": "{n} region|{n} regions", "fr": "{n} région|{n} régions"},
    "n.sectors": {"en": "{n} sector|{n} sectors", "fr": "{n} secteur|{n} secteurs"},
    "sector.head": {"en": "{activities} by {organisations}",
                    "fr": "{activities} de {organisations}"},
    "sector.regions": {"en": "in {regions} ({names})", "fr": "dans {regions} ({names})"},
    "sector.no_region": {"en": "none placed in a region", "fr": "aucune rattachée à une région"},
    "sector.not_placed": {"en": "{activities} not placed in a region",
                          "fr": "{activities} hors carte"},
    "sector.gaps": {"en": "no activity reported in {names}",
                    "fr": "aucune activité signalée dans : {names}"},
    "region.head": {"en": "{activities} by {organisations} in {sectors} ({names})",
                    "fr": "{activities} de {organisations} dans {sectors} ({names})"},
    "region.none": {"en": "no activity reported", "fr": "aucune activité signalée"},
    "region.gaps": {"en": "no activity reported in {names}",
                    "fr": "aucune activité signalée en : {names}"},
    "programmes_intro": {
        "en": "National-level activities (not tied to one region) and programmes an "
              "organisation runs under the same activity name in several regions.",
        "fr": "Activités de niveau national (non rattachées à une région) et programmes qu'une "
              "organisation mène sous le même intitulé dans plusieurs régions."},
    "national": {"en": "National level", "fr": "Niveau national"},
    "multi_region": {"en": "Multi-region", "fr": "Multirégional"},
    "scope": {"en": "Scope", "fr": "Portée"},
    "regions": {"en": "Regions", "fr": "Régions"},
    "rows": {"en": "Rows", "fr": "Lignes"},
    "row": {"en": "Row", "fr": "Ligne"},
    "none_listed": {"en": "None.", "fr": "Aucun."},
    "statuses": {"en": "Rows by join status", "fr": "Lignes par statut de jointure"},
    "join_status": {"en": "Join status", "fr": "Statut de jointure"},
    "status.matched": {"en": "matched", "fr": "rattachées"},
    "status.warning": {"en": "matched with a warning", "fr": "rattachées avec avertissement"},
    "status.unmatched": {"en": "unmatched", "fr": "non rattachées"},
    "status.invalid": {"en": "invalid", "fr": "invalides"},
    "status.national": {"en": "national level", "fr": "niveau national"},
    "of_which_national": {"en": "of which national level", "fr": "dont niveau national"},
    "all_rows": {"en": "All rows", "fr": "Toutes les lignes"},
    "attention": {"en": "Rows needing attention", "fr": "Lignes à vérifier"},
    "reason": {"en": "Reason (join report)", "fr": "Motif (rapport de jointure)"},
    "more_rows": {"en": "… and {n} more rows needing attention: see the join report "
                        "(mali-map validate --report FILE).",
                  "fr": "… et {n} autres lignes à vérifier : voir le rapport de jointure "
                        "(mali-map validate --report FICHIER)."},
    "no_attention": {"en": "No row needs attention.", "fr": "Aucune ligne à vérifier."},
    "sources_title": {"en": "Sources and attributions", "fr": "Sources et attributions"},
    "record_sources": {"en": "Sources named by the records", "fr": "Sources citées par les "
                       "enregistrements"},
    "boundary_attribution": {"en": "Boundaries", "fr": "Limites administratives"},
    "count": {"en": "Count", "fr": "Nombre"},
    "produced_by": {"en": "Produced with mali-map", "fr": "Produit avec mali-map"},
}


def word(key: str, lang: str) -> str:
    """A word of the report (or a shared label) in ``lang``.

    >>> word("kind", "fr"), word("region", "fr"), word("sector.gaps", "fr")[:31]
    ('Instantané 3W', 'Région', 'aucune activité signalée dans\xa0:')
    """
    text = label(key, lang, own=WORDS)
    if lang == "fr":  # no line break before : ; » or after «
        for plain, tied in ((" :", "\u00a0:"), (" ;", "\u00a0;"), ("« ", "«\u00a0"),
                            (" »", "\u00a0»")):
            text = text.replace(plain, tied)
    return text


def pair(name: str, value: object, lang: str) -> str:
    """``name: value`` with the French space before the colon.

    >>> pair("Période", "2012", "fr")
    'Période\\xa0: 2012'
    """
    return f"{name}\u00a0: {value}" if lang == "fr" else f"{name}: {value}"


def number(value: float, lang: str) -> str:
    """A whole number with thousands separators (narrow no-break space in French).

    >>> number(12345, "en"), number(12345.0, "fr")
    ('12,345', '12\\u202f345')
    """
    text = f"{round(value):,}"
    return text.replace(",", "\u202f") if lang == "fr" else text


def counted(n: int, key: str, lang: str) -> str:
    """``n`` and its noun, singular or plural (French: singular for 0 and 1).

    >>> counted(1, "activities", "en"), counted(0, "activities", "fr")
    ('1 activity', '0 activité')
    """
    one, many = word(f"n.{key}", lang).split("|")
    singular = n <= 1 if lang == "fr" else n == 1
    return (one if singular else many).format(n=number(n, lang))


def join_list(parts: list[str], lang: str) -> str:
    """Clauses of a generated sentence joined with ``;`` (French spacing)."""
    return ("\u00a0; " if lang == "fr" else "; ").join(parts)
