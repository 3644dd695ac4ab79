"""Interface strings of the interactive maps: looked up in the one table of
:mod:`mali_map._core._i18n`.

:func:`ui` is :func:`mali_map._core._i18n.label` under the name the page code uses.
"""

from __future__ import annotations

from ..._core import label, term


def ui(key: str, lang: str) -> str:
    """An interface string of the HTML pages (see :data:`mali_map._core._i18n.LABELS`)."""
    return label(key, lang)


def status_label(status: str, lang: str) -> str:
    """The label of a record status; a status outside the vocabulary is shown as written."""
    return term("status", status, lang)
