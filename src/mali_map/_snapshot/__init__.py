"""The 3W snapshot: the few printable pages that say who does what where.

:func:`snapshot` writes a PDF (vector text, A4/A3) or a self-contained HTML page
from a join result: a cover with key figures, the overview map, who-where
tables and small multiples, generated sentences per sector and region, the
national and multi-region programmes and a data-quality annex. Every number
comes from the aggregates (see :mod:`mali_map._snapshot._facts`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from .._core import OutputError
from .._join import JoinResult
from .._render.static import paper_size
from ._facts import Facts, SnapshotOptions, build_facts
from ._pdf import build_pages, overview_map, small_multiples, write_pdf
from ._web import render_html, write_html

#: Output formats, by file extension.
SNAPSHOT_FORMATS: tuple[str, ...] = ("pdf", "html")


def snapshot(result: JoinResult, path: str | Path, options: SnapshotOptions | None = None,
             **changes: Any) -> Path:
    """Write the 3W snapshot of ``result`` to ``path`` (``.pdf`` or ``.html``).

    ``options`` (a :class:`SnapshotOptions`) and keyword ``changes`` to it set the
    language, metric, paper, production date, producer, map ID and title. The
    same inputs and production date always give the same bytes.

    >>> import tempfile, pathlib
    >>> from mali_map._build._pipeline import join_files
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "snapshot.html"
    >>> snapshot(join_files(), out, lang="fr", produced="2026-01-31").read_text()[:15]
    '<!DOCTYPE html>'
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    fmt = "html" if fmt == "htm" else fmt
    if fmt not in SNAPSHOT_FORMATS:
        raise OutputError(f"{path}: unknown snapshot format {path.suffix or '(none)'!r}; "
                          "use .pdf or .html")
    opts = replace(options or SnapshotOptions(), **changes).resolved()
    facts = build_facts(result, opts)
    if fmt == "pdf":
        return write_pdf(build_pages(result, facts), facts, path)
    sheet = paper_size(opts.paper, opts.orientation)
    return write_html(render_html(facts, overview_map(result, facts),
                                  small_multiples(result, facts, *sheet)), path)


__all__ = ["SNAPSHOT_FORMATS", "Facts", "SnapshotOptions", "build_facts", "snapshot"]
