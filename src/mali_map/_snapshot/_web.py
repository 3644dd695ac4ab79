"""The snapshot as one static, self-contained HTML file.

No script at all: the page's Content-Security-Policy allows only its inline
style and ``data:`` images (the maps, as PNG), so it works offline and nothing in
it can run or call out. Every text from the data is HTML-escaped.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from .._core import OutputError, label
from .._render.html import esc
from .._render.static import RC, save_figure
from ._facts import Facts
from ._pdf import (
    attention_more,
    attention_rows,
    cover_lines,
    key_figures,
    programme_rows,
    source_rows,
    status_rows,
    title_of,
    who_where_rows,
)
from ._words import pair, word

#: Nothing but the inline style sheet and data: images; no script, no request.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; "
       "connect-src 'none'; font-src 'none'; object-src 'none'; frame-src 'none'; "
       "base-uri 'none'; form-action 'none'")
IMAGE_DPI = 96

_STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;
color:#1a1a1a;line-height:1.45}
h1{font-size:2rem;margin:.2rem 0 1rem}h2{color:#1d4e89;margin-top:2.5rem}
.kind{color:#1d4e89;font-weight:bold;text-transform:uppercase;letter-spacing:.05em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
ul.figures{list-style:none;padding:0;display:grid;
grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.6rem}
ul.figures li{background:#f2f5f9;padding:.7rem}
ul.figures strong{display:block;font-size:2rem;color:#1d4e89}
ul.figures small{display:block;color:#555}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0 1rem}
th,td{border-bottom:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#e9eef5}td.n,th.n{text-align:right}tr.total td{font-weight:bold}
img{max-width:100%;height:auto;border:1px solid #ddd}
.note{color:#555}footer{margin-top:3rem;color:#555;font-size:.85rem}
"""


def _image(fig: Figure) -> str:
    """``fig`` as a PNG ``data:`` URI, written through the static maps' saver."""
    with tempfile.TemporaryDirectory() as tmp:
        path = save_figure(fig, Path(tmp) / "figure.png", dpi=IMAGE_DPI)
        data = path.read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool], *,
           total_last: bool = False, css_id: str = "") -> str:
    def cls(num: bool) -> str:
        return ' class="n"' if num else ""

    head = "".join(f"<th{cls(n)} scope=\"col\">{esc(h)}</th>"
                   for h, n in zip(header, numeric, strict=True))
    body = []
    for i, row in enumerate(rows):
        total = ' class="total"' if total_last and i == len(rows) - 1 else ""
        cells = "".join(f"<td{cls(n)}>{esc(v)}</td>" for v, n in zip(row, numeric, strict=True))
        body.append(f"<tr{total}>{cells}</tr>")
    ident = f' id="{esc(css_id)}"' if css_id else ""
    return (f'<div class="scroll"><table{ident}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def render_html(facts: Facts, overview: Figure, multiples: Sequence[Figure]) -> str:
    """The whole page; ``overview`` and ``multiples`` are the figures of the PDF's maps."""
    lang = facts.options.lang
    title = title_of(facts)
    with matplotlib.rc_context(RC):
        overview_src = _image(overview)
        multiple_srcs = [_image(fig) for fig in multiples]
    parts = [f'<header><p class="kind">{esc(word("kind", lang))}</p><h1>{esc(title)}</h1>',
             '<dl class="meta">']
    parts += [f"<dt>{esc(name)}</dt><dd>{esc(value)}</dd>" for name, value in cover_lines(facts)]
    parts.append("</dl></header>")
    parts.append(f'<section id="key-figures"><h2>{esc(word("key_figures", lang))}</h2>'
                 '<ul class="figures">')
    for value, name, detail in key_figures(facts):
        small = f"<small>{esc(detail)}</small>" if detail else ""
        parts.append(f"<li><strong>{esc(value)}</strong><span>{esc(name)}</span>{small}</li>")
    parts.append("</ul></section>")
    sections = [("overview", "s.overview"), ("who-where", "s.who_where"),
                ("small-multiples", "s.small_multiples"), ("narrative", "s.narrative"),
                ("programmes", "s.programmes"), ("quality", "s.quality")]
    parts.append(f'<nav><h2>{esc(word("contents", lang))}</h2><ol>')
    parts += [f'<li><a href="#{ident}">{esc(word(key, lang))}</a></li>'
              for ident, key in sections]
    parts.append("</ol></nav>")

    alt = label(f"metric_title.{facts.options.metric}", lang)
    parts.append(f'<section id="overview"><h2>{esc(word("s.overview", lang))}</h2>'
                 f'<img src="{overview_src}" alt="{esc(alt)}"></section>')
    header, rows = who_where_rows(facts)
    parts.append(f'<section id="who-where"><h2>{esc(word("s.who_where", lang))}</h2>'
                 f'<p class="note">{esc(word("who_where_intro", lang))}</p>'
                 + _table(header, rows, [False] + [True] * (len(header) - 1), total_last=True,
                          css_id="who-where-table") + "</section>")
    parts.append(f'<section id="small-multiples"><h2>{esc(word("s.small_multiples", lang))}'
                 "</h2>")
    parts += [f'<img src="{src}" alt="{esc(word("s.small_multiples", lang))}">'
              for src in multiple_srcs]
    parts.append("</section>")

    parts.append(f'<section id="narrative"><h2>{esc(word("s.narrative", lang))}</h2>'
                 f'<p class="note">{esc(word("narrative_intro", lang))}</p>'
                 f'<h3>{esc(word("by_sector", lang))}</h3><ul class="sectors">')
    parts += [f"<li>{esc(item.text)}</li>" for item in facts.sectors]
    parts.append(f'</ul><h3>{esc(word("by_region", lang))}</h3><ul class="regions">')
    parts += [f"<li>{esc(item.text)}</li>" for item in facts.regions]
    parts.append("</ul></section>")

    header, rows = programme_rows(facts)
    parts.append(f'<section id="programmes"><h2>{esc(word("s.programmes", lang))}</h2>'
                 f'<p class="note">{esc(word("programmes_intro", lang))}</p>')
    parts.append(_table(header, rows, [False] * 5 + [True], css_id="programmes-table") if rows
                 else f"<p>{esc(word('none_listed', lang))}</p>")
    parts.append("</section>")

    parts.append(f'<section id="quality"><h2>{esc(word("s.quality", lang))}</h2>'
                 f'<h3>{esc(word("statuses", lang))}</h3>')
    header, rows = status_rows(facts)
    parts.append(_table(header, rows, [False, True], total_last=True, css_id="status-table"))
    parts.append(f'<h3>{esc(word("attention", lang))}</h3>')
    header, rows = attention_rows(facts)
    parts.append(_table(header, rows, [True] + [False] * 4, css_id="attention-table") if rows
                 else f"<p>{esc(word('no_attention', lang))}</p>")
    if attention_more(facts):
        parts.append(f'<p class="note">{esc(attention_more(facts))}</p>')
    parts.append(f'<h3>{esc(word("sources_title", lang))}</h3>'
                 f"<p>{esc(pair(word('data_file', lang), facts.data_file or '–', lang))}</p>")
    header, rows = source_rows(facts)
    if rows:
        parts.append(f"<p>{esc(word('record_sources', lang))}</p>"
                     + _table(header, rows, [False, True], css_id="sources-table"))
    attribution = "; ".join(facts.attribution) or "–"
    parts.append(f"<p>{esc(pair(word('boundary_attribution', lang), attribution, lang))}</p>"
                 "</section>")
    parts.append(f"<footer><p>{esc(label('disclaimer', lang))}</p>"
                 f"<p>{esc(word('produced_by', lang))}</p></footer>")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{esc(lang)}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="referrer" content="no-referrer">'
            f"<title>{esc(title)}</title><style>{_STYLE}</style></head>\n<body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def write_html(text: str, path: Path) -> Path:
    """Write the page as UTF-8."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the snapshot: {exc.strerror or exc}") from None
    return path
