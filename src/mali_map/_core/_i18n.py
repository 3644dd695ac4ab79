"""All interface text of mali-map, in English and French: one table and its look-ups.

The table is the data file ``data/reference/strings.toml`` (written for this
project), loaded once into :data:`LABELS`, which maps a key to its text in every
language of :data:`LANGUAGES` (a test checks that no language is missing). Every
renderer -- the HTML pages, the static maps, the snapshot report, the data outputs,
the join report and the console, and the join report's messages (``message.<key>``, through
:func:`join_message`) -- looks text up with :func:`label`, which fills ``{fields}``
with :meth:`str.format`. Sector labels are vocabulary, in :mod:`mali_map._reference._vocabulary`.

What differs between languages beyond words lives here too: the number
separators and the colon are entries of the table (read by :func:`number`,
:func:`digits` and :func:`pair`), the plural rule is :data:`_SINGULAR`, and French
typography (a no-break space before ``: ; ? ! »`` and after ``«``) is applied by
:func:`label` to the French texts, so the table is written with plain spaces.
"""

from __future__ import annotations

import tomllib
from functools import cache

from ._data import reference_path

__all__ = [
    "JOIN_MESSAGES", "LABELS", "LANGUAGES", "attribution", "clauses", "digits",
    "join_message", "label", "number", "pair", "plural", "term", "terms",
]

LANGUAGES: tuple[str, ...] = ("en", "fr")


def _load() -> dict[str, dict[str, str]]:
    with reference_path("strings.toml").open("rb") as handle:
        return tomllib.load(handle)


#: The table: key -> {language: text}, in the order of ``data/reference/strings.toml``
#: (loaded once; the join report's messages are the keys ``message.<key>``).
LABELS: dict[str, dict[str, str]] = _load()

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


def number(value: float, lang: str = "en", decimals: int | None = 0) -> str:
    """``value`` rounded to ``decimals`` with ``lang``'s separators: the one number
    formatter. ``decimals=None``: none for a whole number, else one (class bounds, counts
    that may be averages).

    >>> number(12345, "en"), number(12345.0, "fr"), number(2.25, "fr", 1)
    ('12,345', '12\\u202f345', '2,2')
    >>> number(1500.0, "en", None), number(2.5, "fr", None)
    ('1,500', '2,5')
    """
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
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


#: The join report's messages (keys ``message.<key>`` of :data:`LABELS`), by ``<key>``.
JOIN_MESSAGES: dict[str, dict[str, str]] = {
    key.removeprefix("message."): entry for key, entry in LABELS.items()
    if key.startswith("message.")}


def join_message(key: str, lang: str = "en", **values: object) -> str:
    """The join message ``key`` in ``lang`` (English when missing), filled with ``values``.

    >>> join_message("country", "fr", country="'Sénégal'")
    "pays 'Sénégal'\\xa0: hors du Mali"
    >>> join_message("national")
    'national-level record: not tied to one admin unit'
    """
    return label(f"message.{key}", lang, **values)

