"""Text normalisation shared by the loaders and the join."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: object) -> str:
    """Lower-case ``text``, strip accents and reduce punctuation to single spaces.

    >>> fold("  Ségou / Région ")
    'segou region'
    >>> fold(None)
    ''
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


def slugify(text: object) -> str:
    """An ASCII, file-name-safe slug.

    >>> slugify("Ségou")
    'segou'
    >>> slugify("../Early recovery & social cohesion")
    'early-recovery-social-cohesion'
    """
    slug = fold(text).replace(" ", "-")
    return slug or "unnamed"
