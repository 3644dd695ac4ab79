"""The snapshot as pages: matplotlib figures laid out from the facts, saved as one PDF.

The overview page is :func:`mali_map._render.static._export.static_map` itself (full map
furniture); the small multiples draw each sector with
:func:`mali_map._render.static._export.draw_choropleth` and the overview's classes. Text pages
flow headings, paragraphs and tables onto as many pages as they need.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .._core import OutputError, label
from .._join import JoinResult
from .._measure import NO_DATA_COLOUR, metric_classes, unit_totals
from .._reference import sector_label
from .._render.static import RC, draw_choropleth, legend_labels, paper_size, static_map
from ._facts import Facts, KeyFigures, SnapshotOptions
from ._words import join_list, number, pair, word

_GREY = "#555555"
_RULE = "#c8c8c8"
_ACCENT = "#1d4e89"
_CHAR = 0.56  # average glyph width of DejaVu Sans, in font sizes
_MAX_CELL_LINES = 12
#: Most rows needing attention listed; the join report has them all.
ATTENTION_LIMIT = 200
_BREAKING_SPACE = re.compile(r"[ \t\n\r\f\v\u0085\u2028\u2029]+")


def _clean(value: object) -> str:
    """One line of text: breaking white space (newlines, tabs, U+2028) collapsed.

    No-break spaces (French punctuation) are kept.
    """
    return _BREAKING_SPACE.sub(" ", str(value)).strip()


def _wrap(text: str, width_in: float, size: float, bold: bool = False) -> list[str]:
    chars = max(4, int(width_in * 72 / (size * (_CHAR + (0.06 if bold else 0.0)))))
    return textwrap.wrap(_clean(text), chars, break_on_hyphens=False) or [""]


@dataclass
class Section:
    """A section's title and the page (1-based) it starts on."""

    key: str
    title: str
    page: int


class _Doc:
    """Flows text and tables onto A4/A3 pages; all sizes in inches."""

    def __init__(self, options: SnapshotOptions) -> None:
        self.options = options
        self.width, self.height = paper_size(options.paper, options.orientation)
        self.s = 1.0 if self.width * self.height < 120 else 1.2
        self.margin = 0.6
        self.bottom = self.margin + 0.25
        self.figures: list[Figure] = []
        self.sections: list[Section] = []
        self.fig: Figure | None = None
        self.y = 0.0
        self._continued: str | None = None
        self.contents_y = 0.0

    # -- pages
    def new_page(self) -> Figure:
        self.fig = Figure(figsize=(self.width, self.height), dpi=72, facecolor="white")
        self.figures.append(self.fig)
        self.y = self.height - self.margin
        return self.fig

    def add_figure(self, fig: Figure) -> None:
        self.figures.append(fig)
        self.fig = None

    def start_section(self, key: str, title: str, *, new_page: bool = True) -> None:
        if new_page or self.fig is None:
            self.new_page()
        self.sections.append(Section(key, title, len(self.figures)))
        self._continued = title
        self.heading(title)

    def need(self, height: float) -> bool:
        """Start a new page (with a "continued" heading) unless ``height`` still fits."""
        if self.fig is not None and self.y - height >= self.bottom:
            return False
        self.new_page()
        if self._continued:
            self.text_line(f"{self._continued} {word('continued', self.options.lang)}",
                           11 * self.s, bold=True, colour=_GREY)
            self.y -= 0.08 * self.s
        return True

    @property
    def text_width(self) -> float:
        return self.width - 2 * self.margin

    # -- text
    def _put(self, x: float, y: float, text: str, size: float, **style: object) -> object:
        style.setdefault("va", "top")
        return self.fig.text(x / self.width, y / self.height, text, fontsize=size,
                             parse_math=False, **style)

    def text_line(self, text: str, size: float, *, bold: bool = False, colour: str = "black",
                  x: float | None = None) -> None:
        self._put(self.margin if x is None else x, self.y, text, size,
                  fontweight="bold" if bold else "normal", color=colour)
        self.y -= size * 1.4 / 72

    def heading(self, text: str) -> None:
        size = 15 * self.s
        self.need(size * 2.2 / 72)
        self.text_line(text, size, bold=True, colour=_ACCENT)
        self.y -= 0.1 * self.s

    def subheading(self, text: str) -> None:
        size = 11 * self.s
        self.need(size * 1.5 / 72 + 3 * 9 * self.s * 1.4 / 72)
        self.y -= 0.06 * self.s
        self.text_line(text, size, bold=True)
        self.y -= 0.04 * self.s

    def paragraph(self, text: str, *, size: float | None = None, colour: str = "black",
                  indent: float = 0.0, after: float = 0.08) -> None:
        size = size or 9 * self.s
        for line in _wrap(text, self.text_width - indent, size):
            self.need(size * 1.4 / 72)
            self.text_line(line, size, colour=colour, x=self.margin + indent)
        self.y -= after * self.s

    # -- tables
    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]],
              widths: Sequence[float], *, numeric: Sequence[bool] | None = None,
              rotate: Sequence[bool] | None = None, bold_last: bool = False) -> None:
        """Rows of cells in columns of relative ``widths``; the header repeats on each page."""
        size = 8 * self.s
        line_h = size * 1.3 / 72
        pad = 0.04 * self.s
        total = sum(widths)
        cols = [w / total * self.text_width for w in widths]
        numeric = list(numeric or [False] * len(cols))
        rotate = list(rotate or [False] * len(cols))
        head_cells = [[_clean(h)] if r else _wrap(h, c - 2 * pad, size, bold=True)
                      for h, c, r in zip(header, cols, rotate, strict=True)]
        flat = max([len(c) for c, r in zip(head_cells, rotate, strict=True) if not r] or [1])
        tall = max([len(c[0]) * size * (_CHAR + 0.08) / 72
                    for c, r in zip(head_cells, rotate, strict=True) if r] or [0])
        head_h = max(flat * line_h, tall + line_h * 0.3) + 2 * pad

        def draw_header() -> None:
            x = self.margin
            self.fig.add_artist(Rectangle(
                (self.margin / self.width, (self.y - head_h) / self.height),
                self.text_width / self.width, head_h / self.height,
                transform=self.fig.transFigure, facecolor="#e9eef5", edgecolor="none"))
            for cell, w, num, rot in zip(head_cells, cols, numeric, rotate, strict=True):
                if rot:
                    self._put(x + w - pad, self.y - head_h + pad, cell[0], size,
                              fontweight="bold", rotation=90, ha="right", va="bottom")
                else:
                    self._put(x + (w - pad if num else pad), self.y - pad, "\n".join(cell),
                              size, fontweight="bold", ha="right" if num else "left",
                              linespacing=1.3)
                x += w
            self.y -= head_h

        first = True
        for i, row in enumerate(rows):
            bold = bold_last and i == len(rows) - 1
            cells = []
            for value, w, num in zip(row, cols, numeric, strict=True):
                lines = [_clean(value)] if num else _wrap(str(value), w - 2 * pad, size, bold)
                if len(lines) > _MAX_CELL_LINES:
                    lines = [*lines[:_MAX_CELL_LINES - 1], lines[_MAX_CELL_LINES - 1] + " …"]
                cells.append(lines)
            row_h = max(len(c) for c in cells) * line_h + 2 * pad
            if self.need(row_h + (head_h if first else 0)) or first:
                draw_header()
                first = False
            x = self.margin
            for lines, w, num in zip(cells, cols, numeric, strict=True):
                self._put(x + (w - pad if num else pad), self.y - pad, "\n".join(lines), size,
                          ha="right" if num else "left", linespacing=1.3,
                          fontweight="bold" if bold else "normal")
                x += w
            self.y -= row_h
            self.fig.add_artist(matplotlib.lines.Line2D(
                [self.margin / self.width, (self.width - self.margin) / self.width],
                [self.y / self.height] * 2, transform=self.fig.transFigure, color=_RULE,
                linewidth=0.5))
        self.y -= 0.15 * self.s

    # -- finishing
    def footers(self, left: str) -> None:
        lang, total = self.options.lang, len(self.figures)
        size = 7 * self.s
        for n, fig in enumerate(self.figures, start=1):
            y = 0.2 / self.height
            fig.text(self.margin / self.width, y, left, fontsize=size, color=_GREY,
                     ha="left", va="bottom", parse_math=False, gid="snapshot-footer")
            fig.text((self.width - self.margin) / self.width, y,
                     word("page", lang).format(n=n, total=total), fontsize=size, color=_GREY,
                     ha="right", va="bottom", parse_math=False, gid="snapshot-page")


# --------------------------------------------------------------------------- sections


def _when(facts: Facts) -> str:
    return facts.options.produced.isoformat()


def _period_text(facts: Facts) -> str:
    period = facts.key.period
    if period is None:
        return word("no_dates", facts.options.lang)
    return period[0] if period[0] == period[1] else f"{period[0]} – {period[1]}"


def title_of(facts: Facts) -> str:
    """The report's title (``options.title`` or the standard one, which names Mali)."""
    return facts.options.title or word("title", facts.options.lang)


def cover_lines(facts: Facts) -> list[tuple[str, str]]:
    """``(label, value)`` of the cover's identification block."""
    lang, opts = facts.options.lang, facts.options
    missing = word("not_given", lang)
    return [
        (word("period_covered", lang), _period_text(facts)),
        (word("production_date", lang), _when(facts)),
        (word("producer", lang), opts.producer or missing),
        (word("map_id", lang), opts.map_id or missing),
        (word("data_file", lang), facts.data_file or missing),
    ]


def key_figures(facts: Facts) -> list[tuple[str, str, str]]:
    """``(value, label, detail)`` of each key figure on the cover."""
    lang, key = facts.options.lang, facts.key
    of = word("of_n", lang)
    if key.cercles is None:
        cercles = ("–", word("cercles_covered", lang), word("no_cercles", lang))
    else:
        cercles = (number(key.cercles, lang), word("cercles_covered", lang),
                   of.format(n=number(key.cercles_total or 0, lang)))
    if key.reached is None:
        reached = ("–", label("reached", lang), word("reached_not_stated", lang))
    else:
        reached = (number(key.reached, lang), label("reached", lang),
                   word("reached_stated", lang).format(
                       n=number(key.reached_stated, lang), total=number(key.activities, lang)))
    return [
        (number(key.activities, lang), label("activities", lang), ""),
        (number(key.organisations, lang), label("organisations", lang), ""),
        (number(key.regions, lang), word("regions_covered", lang),
         of.format(n=number(key.regions_total, lang))),
        cercles,
        reached,
        (number(key.placed, lang), word("activities_on_map", lang), _on_map_detail(key, lang)),
    ]


def _on_map_detail(key: KeyFigures, lang: str) -> str:
    """"of N", then how many records are national level and placed in several regions."""
    of = word("of_n", lang).format(n=number(key.activities, lang))
    shown = [word(w, lang).format(n=number(n, lang))
             for n, w in ((key.national, "n_national"), (key.several, "n_several")) if n]
    return join_list([of, ", ".join(shown)], lang) if shown else of


def who_where_rows(facts: Facts) -> tuple[list[str], list[list[str]]]:
    """Header and rows (a last "Total" row) of the organisations x regions table."""
    lang, table = facts.options.lang, facts.who_where
    columns = [*facts.region_columns, "not_placed", "total"]
    header = [label("organisation", lang), *(facts.region_name(p) for p in
                                             facts.region_columns),
              word("not_placed", lang), word("total", lang)]
    rows = [[org, *(number(v, lang) for v in values)]
            for org, values in zip(table["organisation"], table[columns].to_numpy().tolist(),
                                   strict=True)]
    sums = [int(table[c].sum()) for c in columns]
    rows.append([word("total", lang), *(number(v, lang) for v in sums)])
    return header, rows


def programme_rows(facts: Facts) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the national and multi-region programmes table."""
    lang = facts.options.lang
    header = [word("scope", lang), label("organisation", lang), label("sector", lang),
              label("activity", lang), word("regions", lang), word("row", lang)]
    rows = []
    for p in facts.programmes:
        sectors = ", ".join(sector_label(s.strip(), lang) for s in p.sector.split(",")) \
            if p.sector else word("no_sector", lang)
        rows.append([word(p.scope, lang), p.organisation, sectors, p.activity,
                     ", ".join(facts.region_name(r) for r in p.regions) or "–",
                     ", ".join(str(r) for r in p.rows)])
    return header, rows


def status_rows(facts: Facts) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the rows-by-join-status table (with national level and total)."""
    lang = facts.options.lang
    rows = [[word(f"rows.{s}", lang), number(n, lang)] for s, n in facts.statuses]
    if facts.national_rows and "national" not in dict(facts.statuses):
        rows.append([f"  {word('of_which_national', lang)}", number(facts.national_rows, lang)])
    rows.append([word("all_rows", lang), number(sum(n for _, n in facts.statuses), lang)])
    return [word("join_status", lang), word("rows", lang)], rows


def attention_rows(facts: Facts) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the rows needing attention (from the join report)."""
    lang = facts.options.lang
    header = [word("row", lang), label("status", lang), label("organisation", lang),
              label("activity", lang), word("reason", lang)]
    shown = facts.attention.head(ATTENTION_LIMIT)
    rows = [[str(r.row), word(f"rows.{r.status}", lang), r.organisation, r.activity,
             r.message] for r in shown.itertuples(index=False)]
    return header, rows


def attention_more(facts: Facts) -> str | None:
    """The note naming how many rows needing attention are not listed, if any."""
    more = len(facts.attention) - ATTENTION_LIMIT
    return word("more_rows", facts.options.lang).format(
        n=number(more, facts.options.lang)) if more > 0 else None


def source_rows(facts: Facts) -> tuple[list[str], list[list[str]]]:
    lang = facts.options.lang
    return ([label("source", lang), word("count", lang)],
            [[name, number(n, lang)] for name, n in facts.record_sources])


# --------------------------------------------------------------------------- pages


def build_pages(result: JoinResult, facts: Facts) -> _Doc:
    """Lay out every page of the snapshot (figures kept in memory, not yet saved)."""
    opts = facts.options
    lang = opts.lang
    doc = _Doc(opts)
    with matplotlib.rc_context(RC):
        cover = doc.new_page()
        doc.sections.append(Section("cover", title_of(facts), 1))
        _draw_cover(doc, facts)

        doc.add_figure(overview_map(result, facts))
        doc.sections.append(Section("overview", word("s.overview", lang), len(doc.figures)))

        doc.start_section("who_where", word("s.who_where", lang))
        doc.paragraph(word("who_where_intro", lang), colour=_GREY)
        header, rows = who_where_rows(facts)
        n = len(facts.region_columns)
        cell = min(0.6 * doc.s, doc.text_width * 0.72 / (n + 2))
        doc.table(header, rows, [doc.text_width - cell * (n + 2), *[cell] * (n + 2)],
                  numeric=[False, *[True] * (n + 2)], rotate=[False, *[True] * (n + 2)],
                  bold_last=True)

        for i, fig in enumerate(small_multiples(result, facts, doc.width, doc.height)):
            doc.add_figure(fig)
            if i == 0:
                doc.sections.append(Section("small_multiples", word("s.small_multiples", lang),
                                            len(doc.figures)))

        doc.start_section("narrative", word("s.narrative", lang))
        doc.paragraph(word("narrative_intro", lang), colour=_GREY)
        doc.subheading(word("by_sector", lang))
        for item in facts.sectors:
            doc.paragraph(item.text)
        doc.subheading(word("by_region", lang))
        for item in facts.regions:
            doc.paragraph(item.text)

        doc.start_section("programmes", word("s.programmes", lang))
        doc.paragraph(word("programmes_intro", lang), colour=_GREY)
        header, rows = programme_rows(facts)
        if rows:
            doc.table(header, rows, [1.4, 1.4, 1.5, 3.8, 1.3, 0.6],
                      numeric=[False] * 5 + [True])
        else:
            doc.paragraph(word("none_listed", lang))

        doc.start_section("quality", word("s.quality", lang))
        doc.subheading(word("statuses", lang))
        header, rows = status_rows(facts)
        doc.table(header, rows, [3.0, 1.0], numeric=[False, True], bold_last=True)
        doc.subheading(word("attention", lang))
        header, rows = attention_rows(facts)
        if rows:
            doc.table(header, rows, [0.6, 1.2, 1.6, 2.6, 3.6], numeric=[True] + [False] * 4)
            if attention_more(facts):
                doc.paragraph(attention_more(facts), colour=_GREY)
        else:
            doc.paragraph(word("no_attention", lang))
        doc.subheading(word("sources_title", lang))
        doc.paragraph(pair(word("data_file", lang), facts.data_file or "–", lang))
        header, rows = source_rows(facts)
        if rows:
            doc.paragraph(word("record_sources", lang), after=0.02)
            doc.table(header, rows, [4.0, 1.0], numeric=[False, True])
        doc.paragraph(pair(word("boundary_attribution", lang),
                           "; ".join(facts.attribution) or "–", lang))
        doc.paragraph(label("disclaimer", lang), colour=_GREY)

        _draw_contents(doc, cover, facts)
        _draw_cover_map(doc, cover, result, facts)
        footer = " · ".join(part for part in (
            title_of(facts), word("kind", lang), _when(facts), opts.map_id) if part)
        doc.footers(footer)
    return doc


def overview_map(result: JoinResult, facts: Facts) -> Figure:
    """The overview page: the static overview map with its full furniture."""
    opts = facts.options
    return static_map(result, metric=opts.metric, lang=opts.lang, scheme=opts.scheme, k=opts.k,
                      paper=opts.paper, orientation=opts.orientation, map_id=opts.map_id,
                      produced=opts.produced)


def _draw_cover(doc: _Doc, facts: Facts) -> None:
    lang, s = facts.options.lang, doc.s
    doc.text_line(word("kind", lang).upper(), 11 * s, bold=True, colour=_ACCENT)
    doc.y -= 0.05 * s
    for line in _wrap(title_of(facts), doc.text_width, 24 * s, bold=True):
        doc.text_line(line, 24 * s, bold=True)
    doc.y -= 0.15 * s
    for name, value in cover_lines(facts):
        for line in _wrap(pair(name, value, lang), doc.text_width, 10 * s):
            doc.text_line(line, 10 * s)
    doc.y -= 0.3 * s
    doc.text_line(word("key_figures", lang), 13 * s, bold=True, colour=_ACCENT)
    doc.y -= 0.1 * s
    figures = key_figures(facts)
    cols = 3
    box_w = doc.text_width / cols
    box_h = 1.05 * s
    for i, (value, name, detail) in enumerate(figures):
        x = doc.margin + (i % cols) * box_w
        top = doc.y - (i // cols) * box_h
        doc.fig.add_artist(Rectangle(
            ((x + 0.04) / doc.width, (top - box_h + 0.1) / doc.height),
            (box_w - 0.08) / doc.width, (box_h - 0.12) / doc.height,
            transform=doc.fig.transFigure, facecolor="#f2f5f9", edgecolor="none"))
        doc._put(x + 0.14, top - 0.1 * s, value, 22 * s, fontweight="bold", color=_ACCENT,
                 gid="key-figure")
        doc._put(x + 0.14, top - 0.5 * s, name, 9 * s, fontweight="bold")
        if detail:
            doc._put(x + 0.14, top - 0.7 * s, "\n".join(_wrap(detail, box_w - 0.3, 7.5 * s)),
                     7.5 * s, color=_GREY, linespacing=1.2)
    doc.y -= math.ceil(len(figures) / cols) * box_h + 0.25 * s
    doc.contents_y = doc.y


def _draw_contents(doc: _Doc, cover: Figure, facts: Facts) -> None:
    """The table of contents on the cover, now that every section has its page."""
    lang, s = facts.options.lang, doc.s
    doc.fig, doc.y = cover, doc.contents_y
    doc.text_line(word("contents", lang), 13 * s, bold=True, colour=_ACCENT)
    doc.y -= 0.05 * s
    for section in doc.sections[1:]:
        doc._put(doc.margin, doc.y, section.title, 10 * s)
        doc._put(doc.width - doc.margin, doc.y, str(section.page), 10 * s, ha="right")
        doc.y -= 10 * s * 1.6 / 72
    doc.contents_y = doc.y
    doc.y = doc.bottom + 0.9 * s
    for line in _wrap(label("disclaimer", lang), doc.text_width, 7.5 * s):
        doc.text_line(line, 7.5 * s, colour=_GREY)
    doc.text_line(word("produced_by", lang), 7.5 * s, colour=_GREY)


def _draw_cover_map(doc: _Doc, cover: Figure, result: JoinResult, facts: Facts) -> None:
    """A thumbnail of the overview map in the cover's free space, when there is room."""
    opts, s = facts.options, doc.s
    top, bottom = doc.contents_y - 0.2 * s, doc.bottom + 1.2 * s
    if top - bottom < 1.5:
        return
    classes = metric_classes(result, opts.metric, opts.scheme, opts.k)
    box_w, box_h = doc.text_width * 0.62, top - bottom
    ax = cover.add_axes([doc.margin / doc.width, bottom / doc.height, box_w / doc.width,
                         box_h / doc.height], gid="cover-map")
    draw_choropleth(ax, unit_totals(result), opts.metric, classes, box_w, box_h)
    _legend(cover, classes, opts, (doc.margin + box_w + 0.2) / doc.width,
            (bottom + 0.1) / doc.height, ncols=1, size=8 * s)


def small_multiples(result: JoinResult, facts: Facts, width: float,
                    height: float) -> list[Figure]:
    """One small map per sector (overview classes, shared legend), as many pages as needed."""
    opts, lang = facts.options, facts.options.lang
    s = 1.0 if width * height < 120 else 1.2
    classes = metric_classes(result, opts.metric, opts.scheme, opts.k)
    cols, rows = (3, 4) if height >= width else (4, 3)
    per_page = cols * rows
    margin, head, foot = 0.6, 0.95 * s, 1.25 * s
    cell_w = (width - 2 * margin) / cols
    cell_h = (height - 2 * margin - head - foot) / rows
    title_h = 0.42 * s
    sectors = [sf for sf in facts.sectors if sf.key]
    pages = []
    for start in range(0, max(len(sectors), 1), per_page):
        fig = Figure(figsize=(width, height), dpi=72, facecolor="white")
        heading = word("s.small_multiples", lang)
        if start:
            heading += f" {word('continued', lang)}"
        fig.text(margin / width, 1 - margin / height, heading, fontsize=15 * s,
                 fontweight="bold", color=_ACCENT, va="top", parse_math=False)
        note = word("small_multiples_note", lang).format(metric=label(opts.metric, lang))
        fig.text(margin / width, 1 - (margin + 0.35 * s) / height,
                 "\n".join(_wrap(note, width - 2 * margin, 8.5 * s)), fontsize=8.5 * s,
                 color=_GREY, va="top", parse_math=False, linespacing=1.3)
        for i, item in enumerate(sectors[start:start + per_page]):
            col, row = i % cols, i // cols
            x0 = margin + col * cell_w
            top = height - margin - head - row * cell_h
            fig.text((x0 + 0.05) / width, top / height,
                     "\n".join(textwrap.wrap(item.label, int(cell_w * 72 / (8 * s * 0.6)))[:2]),
                     fontsize=8 * s, fontweight="bold", va="top", parse_math=False,
                     linespacing=1.15, gid="small-multiple-title")
            box_w, box_h = cell_w - 0.1, cell_h - title_h - 0.05
            ax = fig.add_axes([(x0 + 0.05) / width, (top - title_h - box_h) / height,
                               box_w / width, box_h / height])
            draw_choropleth(ax, unit_totals(result, sector=item.key), opts.metric, classes,
                            box_w, box_h, linewidth=0.35)
        _legend(fig, classes, opts, margin / width, (margin + 0.3 * s) / height, ncols=6,
                size=8 * s)
        pages.append(fig)
    return pages


def _legend(fig: Figure, classes: object, opts: SnapshotOptions, x: float, y: float, *,
            ncols: int, size: float) -> None:
    """The shared choropleth legend (classes of the overview map), lower-left at ``x, y``."""
    handles = [Patch(facecolor=c, edgecolor="#4d4d4d", linewidth=0.5) for c in classes.colours]
    handles.append(Patch(facecolor=NO_DATA_COLOUR, edgecolor="#4d4d4d", linewidth=0.5))
    texts = [*legend_labels(classes, opts.lang), label("no_data", opts.lang)]
    legend = fig.legend(handles, texts, loc="lower left", ncols=min(len(texts), ncols),
                        bbox_to_anchor=(x, y), frameon=False, fontsize=size,
                        title_fontsize=size * 1.1, alignment="left",
                        title=label(f"metric_title.{opts.metric}", opts.lang))
    legend.set_gid("legend")
    for text in [*legend.get_texts(), legend.get_title()]:
        text.set_parse_math(False)


def write_pdf(doc: _Doc, facts: Facts, path: Path) -> Path:
    """Save the pages as one PDF with fixed metadata (dated by the production date)."""
    opts = facts.options
    stamp = datetime(opts.produced.year, opts.produced.month, opts.produced.day, tzinfo=UTC)
    metadata = {"Title": title_of(facts), "Author": opts.producer or "",
                "Subject": word("kind", opts.lang), "Creator": "mali-map",
                "Producer": "mali-map", "CreationDate": stamp, "ModDate": stamp}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with matplotlib.rc_context(RC), PdfPages(path, metadata=metadata) as pdf:
            for fig in doc.figures:
                pdf.savefig(fig, facecolor="white")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the snapshot: {exc.strerror or exc}") from None
    return path


def section_pages(doc: _Doc) -> dict[str, int]:
    """Section key -> first page."""
    return {s.key: s.page for s in doc.sections}
