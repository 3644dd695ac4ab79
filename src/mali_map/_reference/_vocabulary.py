"""Controlled vocabularies: sectors and organisation aliases.

Sectors follow the IASC clusters plus the themes of the seed documents. Each
canonical sector has an English and a French label and a list of synonyms,
compared after :func:`mali_map._core._text.fold`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._core import fold


@dataclass(frozen=True)
class Sector:
    """A canonical sector with its labels in both languages."""

    key: str
    en: str
    fr: str
    synonyms: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` ("en" or "fr")."""
        return {"en": self.en, "fr": self.fr}.get(lang.lower(), self.en)


SECTORS: tuple[Sector, ...] = (
    Sector("health", "Health", "Santé", ("sante", "soins de sante", "immunization",
           "immunisation", "vaccination", "sante publique", "health care")),
    Sector("education", "Education", "Éducation", ("education", "enseignement",
           "inclusive education", "education inclusive", "schooling")),
    Sector("nutrition", "Nutrition", "Nutrition", ("malnutrition",)),
    Sector("wash", "WASH", "EHA", ("eha", "wash", "eau hygiene assainissement",
           "eau hygiene et assainissement", "water sanitation hygiene",
           "water sanitation and hygiene", "water", "eau", "watsan")),
    Sector("protection", "Protection", "Protection", ("protection generale",
           "general protection")),
    Sector("child_protection", "Child protection", "Protection de l'enfant", (
           "protection de l enfance", "protection de l enfant", "child protection",
           "cp", "pe")),
    Sector("gbv", "Gender-based violence", "Violences basées sur le genre", (
           "vbg", "gbv", "gender based violence", "violences basees sur le genre")),
    Sector("mine_action", "Mine action", "Lutte antimines", ("lutte antimines",
           "lutte anti mines", "mine action", "deminage", "demining",
           "explosive remnants of war", "erw", "restes explosifs de guerre")),
    Sector("food_security", "Food security", "Sécurité alimentaire", (
           "securite alimentaire", "food security", "sa", "fsl",
           "food security and livelihoods")),
    Sector("early_recovery", "Early recovery & social cohesion",
           "Relèvement précoce et cohésion sociale", ("relevement precoce",
           "early recovery", "cohesion sociale", "social cohesion",
           "relevement precoce et cohesion sociale", "early recovery and social cohesion",
           "paix et reconciliation", "peace and reconciliation")),
    Sector("rehabilitation", "Rehabilitation", "Réadaptation", ("readaptation",
           "rehabilitation", "physiotherapy", "kinesitherapie", "physiotherapie")),
    Sector("disability_inclusion", "Disability inclusion", "Inclusion du handicap", (
           "inclusion", "handicap", "disability", "inclusion du handicap",
           "disability inclusion", "inclusion des personnes handicapees")),
    Sector("social_protection", "Social protection", "Protection sociale", (
           "protection sociale", "social protection", "social policy",
           "politique sociale")),
    Sector("shelter", "Shelter & NFI", "Abris et BNA", ("abris", "shelter", "nfi",
           "abris bna", "shelter nfi", "abris et bna", "shelter and nfi")),
    Sector("livelihoods", "Livelihoods", "Moyens de subsistance", (
           "moyens de subsistance", "livelihoods", "emploi", "employment")),
    Sector("cccm", "Camp coordination & management",
           "Coordination et gestion des sites", ("cccm", "ccgs", "camp management",
           "gestion des sites")),
    Sector("logistics", "Logistics", "Logistique", ("logistique", "logistics")),
    Sector("coordination", "Coordination", "Coordination", ("coordination",)),
)

_BY_SYNONYM: dict[str, Sector] = {}
for _sector in SECTORS:
    for _name in (_sector.key, _sector.en, _sector.fr, *_sector.synonyms):
        _BY_SYNONYM.setdefault(fold(_name.replace("_", " ")), _sector)

SECTOR_BY_KEY: dict[str, Sector] = {s.key: s for s in SECTORS}


def find_sector(text: object) -> Sector | None:
    """The canonical sector that ``text`` names, or ``None``.

    >>> find_sector("Santé").key
    'health'
    >>> find_sector("EHA").en
    'WASH'
    >>> find_sector("astrology") is None
    True
    """
    return _BY_SYNONYM.get(fold(text))


def sector_label(key: str, lang: str = "en") -> str:
    """The label of a sector key in ``lang``; unknown keys are returned as written.

    >>> sector_label("wash", "fr")
    'EHA'
    >>> sector_label("Astrology", "fr")
    'Astrology'
    """
    sector = SECTOR_BY_KEY.get(key)
    return sector.label(lang) if sector else key


ORGANISATION_ALIASES: dict[str, str] = {
    "hi": "Humanity & Inclusion",
    "handicap international": "Humanity & Inclusion",
    "humanite inclusion": "Humanity & Inclusion",
    "humanite et inclusion": "Humanity & Inclusion",
    "humanity inclusion": "Humanity & Inclusion",
    "humanity and inclusion": "Humanity & Inclusion",
    "unicef": "UNICEF",
    "fonds des nations unies pour l enfance": "UNICEF",
    "united nations children s fund": "UNICEF",
}


def canonical_organisation(
    text: object, aliases: dict[str, str] | None = None
) -> str:
    """Trim ``text`` and map it through the alias table; otherwise keep it as written.

    >>> canonical_organisation("  Handicap International ")
    'Humanity & Inclusion'
    >>> canonical_organisation("ONG Tassaght")
    'ONG Tassaght'
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    trimmed = " ".join(str(text).split())
    table = {**ORGANISATION_ALIASES, **{fold(k): v for k, v in (aliases or {}).items()}}
    return table.get(fold(trimmed), trimmed)
