"""Organisation names that are likely one organisation: flagged, never merged.

The join report and the console suggest the ``--org-alias`` that would merge them;
the user decides.
"""

from __future__ import annotations

import pandas as pd
from rapidfuzz import fuzz, process

from .._core import fold, join_message

_ORG_STOPWORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "pour",
                            "en", "au", "aux", "of", "the", "and", "for", "in"})


def organisation_duplicates(organisations: pd.Series) -> list[tuple[tuple[str, ...], str]]:
    """Groups of organisation names that are likely one organisation, with the fullest name.

    Likely means: the same once folded (case, accents, punctuation), an acronym of the
    other's initials, word-by-word abbreviations ("Asso." for "Association"), or a
    near spelling (fuzzy ratio >= 92). Never merged here: the join report and the
    console suggest the ``--org-alias`` that would merge them.

    >>> organisation_duplicates(pd.Series(["ADB", "Asso. Démo Baobab",
    ...                                    "Association Démo Baobab", "UNICEF"]))
    [(('ADB', 'Asso. Démo Baobab', 'Association Démo Baobab'), 'Association Démo Baobab')]
    """
    names = sorted({str(v).strip() for v in organisations.dropna().unique() if str(v).strip()})
    if len(names) < 2 or len(names) > 3000:
        return []
    folded = [fold(n) for n in names]
    words = [[w for w in f.split() if w not in _ORG_STOPWORDS] for f in folded]
    compact = [f.replace(" ", "") for f in folded]
    initials = ["".join(w[0] for w in ws) if len(ws) > 1 else "" for ws in words]
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    scores = process.cdist(folded, folded, scorer=fuzz.ratio)
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if _same_organisation(i, j, folded, compact, initials, words, scores[i, j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[str]] = {}
    for i, name in enumerate(names):
        groups.setdefault(root(i), []).append(name)
    out = []
    for members in groups.values():
        if len(members) > 1:
            canonical = max(members, key=lambda n: (len(fold(n)), n))
            out.append((tuple(members), canonical))
    return out


def _same_organisation(i: int, j: int, folded: list[str], compact: list[str],
                       initials: list[str], words: list[list[str]], score: float) -> bool:
    if compact[i] == compact[j]:
        return True
    for a, b in ((i, j), (j, i)):
        if " " not in folded[a] and 2 <= len(compact[a]) <= 8 and compact[a] == initials[b]:
            return True
    wi, wj = words[i], words[j]
    if len(wi) == len(wj) > 1 and wi != wj and all(
            min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x))
            for x, y in zip(wi, wj, strict=True)):
        return True
    return min(len(folded[i]), len(folded[j])) >= 5 and score >= 92


def duplicate_note(group: tuple[str, ...], canonical: str, lang: str = "en") -> str:
    """The console note for one group, with the ``--org-alias`` options that merge it.

    >>> print(duplicate_note(("ADB", "Association Démo Baobab"), "Association Démo Baobab"))
    organisations 'ADB', 'Association Démo Baobab' look like one organisation; to merge them: \
--org-alias "ADB=Association Démo Baobab"
    """
    shown = ", ".join(repr(n) for n in group)
    merge = " ".join(f'--org-alias "{n}={canonical}"' for n in group if n != canonical)
    return join_message("organisations", lang, names=shown, merge=merge)


__all__ = ["duplicate_note", "organisation_duplicates"]
