"""The ``mali-map`` subcommands: each takes the validated :class:`Options` and runs a
stage of the pipeline, printing one line per output and the rows needing attention."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from .._build import Options, check_language, join_files, starter_recipe, write_report
from .._core import OptionError, echo, label, printable, term
from .._join import JoinResult, summarise
from .._measure import require_scheme

__all__ = ["ATTENTION_LIMIT", "EXIT_INPUT", "EXIT_OK", "EXIT_STRICT", "HANDLERS", "Progress",
           "init"]

EXIT_OK, EXIT_STRICT, EXIT_INPUT = 0, 1, 2
#: Problem rows listed on the console before pointing to the join report.
ATTENTION_LIMIT = 10


def _summary(result: JoinResult, lang: str) -> dict[str, int]:
    counts = summarise(result)
    echo(label("cli.summary", lang, source=result.source, **counts))
    for note in result.warnings:
        echo(label("cli.note", lang, note=note))
    return counts


def _attention(result: JoinResult, limit: int | None, report: Path | None, lang: str) -> None:
    """List the rows that need attention, each with the next step."""
    # National-level and multi-unit records are placed as well as they can be.
    problems = result.report[~result.report["status"].isin(["matched", "national", "multi"])]
    shown = problems if limit is None else problems.head(limit)
    for row in shown.itertuples(index=False):
        echo(label("cli.attention", lang, row=row.row, status=term("join", row.status, lang),
                   message=row.message, step=label(f"next.{row.status}", lang)))
    if len(problems) > len(shown):
        where = (label("cli.the_report_at", lang, path=report) if report
                 else label("cli.the_report", lang))
        echo(label("cli.more_rows", lang, n=len(problems) - len(shown), where=where))


def _strict_code(options: Options, counts: dict[str, int]) -> int:
    if options.strict and (counts["unmatched"] or counts["invalid"] or counts["conflicts"]):
        echo(label("cli.strict", options.lang, **counts), sys.stderr)
        return EXIT_STRICT
    return EXIT_OK


class Progress:
    """Progress of the static maps on stderr: one updated line on a terminal, else a line
    every 10 maps."""

    def __init__(self, lang: str) -> None:
        self.start = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.lang = lang

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.tty:
            line = label("cli.progress", self.lang, done=done + 1, total=total,
                         name=f"{name[:40]:<40}")
            print(f"\r{printable(line)}", end="", file=sys.stderr, flush=True)
        elif done == 0 or (done + 1) % 10 == 0:
            echo(label("cli.progress_line", self.lang, done=done + 1, total=total, name=name),
                 sys.stderr)

    def close(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def _build(options: Options, config: Path | None) -> int:
    from .._core import build_folder
    from .._outputs import write_data_outputs
    from .._render.html import render_site

    export_static = _static_exporter() if options.static else None
    require_scheme(options.scheme)
    result = join_files(**options.join_kwargs())
    lang = options.lang
    counts = _summary(result, lang)
    out = options.out
    _attention(result, ATTENTION_LIMIT, out / "join-report.csv", lang)
    lines = []
    with build_folder(out, [*options.inputs(), config]) as stage:
        report = write_report(result, stage.path("join-report.csv"), hxl=options.hxl,
                              lang=lang)
        lines.append(label("cli.wrote_report", lang, path=out / report.name,
                           n=len(result.report)))
        pages = render_site(result, stage.root, **options.site_kwargs(),
                            report_name="join-report.csv")
        lines.append(label("cli.wrote_pages", lang, index=out / "index.html",
                           n=len(pages) - 1, out=out))
        for path in write_data_outputs(result, stage.root, lang=options.lang, hxl=options.hxl):
            lines.append(label("cli.wrote", lang, path=out / path.name))
        if export_static is not None:
            progress = Progress(lang)
            try:
                files = export_static(result, stage.root, formats=options.static,
                                      progress=progress, **options.static_kwargs())
            finally:
                progress.close()
            lines.append(label("cli.wrote_static", lang, n=len(files),
                               formats=", ".join(options.static), folder=out / "static",
                               seconds=f"{time.monotonic() - progress.start:.0f}"))
    for line in lines:
        echo(line)
    return _strict_code(options, counts)


def _static_exporter() -> Any:
    """``export_static``, or :class:`MissingExtra` before any work when it cannot run."""
    from .._render.static import export_static

    return export_static


def _validate(options: Options, config: Path | None) -> int:
    from .._core import check_not_input

    if options.records is None:
        raise OptionError("records", "a records file (--records FILE or records = in the "
                          "recipe)", None)
    if options.report is not None:
        check_not_input(options.report, [*options.inputs(), config])
    result = join_files(**options.join_kwargs())
    lang = options.lang
    counts = _summary(result, lang)
    if options.report:
        path = write_report(result, options.report, hxl=options.hxl, lang=lang)
        echo(label("cli.wrote_join_report", lang, path=path))
        _attention(result, ATTENTION_LIMIT, options.report, lang)
    else:
        _attention(result, None, None, lang)
    return _strict_code(options, counts)


def _export(options: Options, config: Path | None) -> int:
    from .._core import check_not_input, write_atomic

    if options.output is None:
        raise OptionError("output", "a file to write (--output FILE.png|.pdf|.svg)", None)
    check_not_input(options.output, [*options.inputs(), config])
    from .._render.static import FORMATS, export_map

    require_scheme(options.scheme)
    fmt = options.output.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise OptionError("output", "a file name ending in .png, .pdf or .svg",
                          str(options.output))
    result = join_files(**options.join_kwargs())
    counts = _summary(result, options.lang)
    kwargs = options.static_kwargs()
    path = write_atomic(options.output, lambda tmp: export_map(
        result, tmp, region=options.region, sector=options.sector, title=options.title,
        **kwargs), "the map")
    echo(label("cli.wrote", options.lang, path=path))
    return _strict_code(options, counts)


def init(args: argparse.Namespace) -> int:
    from .._core import write_atomic

    lang = check_language(getattr(args, "lang", "en"))
    target: Path = args.recipe
    if target.exists() and not args.force:
        raise OptionError("recipe", "a file that does not exist yet (or --force)", str(target))
    write_atomic(target, lambda tmp: tmp.write_text(starter_recipe(target.name),
                                                    encoding="utf-8"), "the recipe")
    echo(label("cli.init_wrote", lang, path=target))
    return EXIT_OK


def _snapshot(options: Options, config: Path | None) -> int:
    from .._core import check_not_input, write_atomic
    from .._snapshot import SNAPSHOT_FORMATS, snapshot

    if options.output is None:
        raise OptionError("output", "a file to write (--output FILE.pdf|.html)", None)
    if options.output.suffix.lstrip(".").lower() not in SNAPSHOT_FORMATS:
        raise OptionError("output", "a file name ending in .pdf or .html", str(options.output))
    check_not_input(options.output, [*options.inputs(), config])
    result = join_files(**options.join_kwargs())
    counts = _summary(result, options.lang)
    settings = options.snapshot_options()
    path = write_atomic(options.output, lambda tmp: snapshot(result, tmp, settings), "the snapshot")
    echo(label("cli.wrote", options.lang, path=path))
    return _strict_code(options, counts)


#: The subcommands that run on :class:`Options` (``init`` takes its own arguments).
HANDLERS = {"build": _build, "validate": _validate, "export": _export, "snapshot": _snapshot}
