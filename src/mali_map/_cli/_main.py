"""The ``mali-map`` command: a thin layer over the pipeline.

Exit codes: 0 success (warnings and unmatched rows are reported, not fatal);
1 with ``--strict`` when a row is unmatched or invalid or its code, name or point
contradict each other (national and multi-unit rows are never failures); 2 for unusable input or
options, with one line on stderr and no traceback.

Options come from one validated :class:`~mali_map._build._options.Options`: a recipe
(``--config recipe.toml``) first, then the flags given on the command line.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._build import (
    CLASSES_RANGE,
    DPI_RANGE,
    LANGUAGES,
    METRIC_CHOICES,
    OPTION_NAMES,
    ORIENTATIONS,
    PAPERS,
    SCHEME_CHOICES,
    STATIC_FORMATS,
    TILES,
    Options,
    join_files,
    merge,
    read_recipe,
    starter_recipe,
    write_report,
)
from .._core import MaliMapError, OptionError, echo, label, printable, term
from .._join import JoinResult, summarise
from .._measure import require_scheme

EXIT_OK, EXIT_STRICT, EXIT_INPUT = 0, 1, 2
#: Problem rows listed on the console before pointing to the join report.
ATTENTION_LIMIT = 10
DEFAULTS = Options()

_EXAMPLES = {
    "build": """examples:
  mali-map build                                  # seed dataset -> maps/
  mali-map build --records 3w.xlsx --sheet 3W --lang fr --out maps
  mali-map build --config recipe.toml --static png,pdf --dpi 150
  mali-map build --records 3w.csv --alias "Bélédougou=ML02" --hxl""",
    "validate": """examples:
  mali-map validate --records 3w.xlsx             # list the rows that need attention
  mali-map validate --records 3w.csv --report join-report.csv --strict""",
    "export": """examples:
  mali-map export -o overview.pdf --paper A3
  mali-map export --records 3w.csv --region Mopti --sector Santé -o mopti.png --dpi 200""",
    "snapshot": """examples:
  mali-map snapshot -o snapshot.pdf --lang fr --producer "HI Mali"
  mali-map snapshot --config monthly.toml -o snapshot.html --date 2024-05-31""",
    "init": """examples:
  mali-map init                                   # writes recipe.toml
  mali-map init monthly.toml && mali-map build --config monthly.toml""",
}


class _UsageError(Exception):
    """Bad command-line options (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for bad input
        raise _UsageError(message)


def _pairs(values: Sequence[str] | None, option: str) -> dict[str, str]:
    out = {}
    for value in values or ():
        name, sep, target = value.partition("=")
        if not sep or not name.strip() or not target.strip():
            raise _UsageError(f"{option} expects NAME=TARGET, got {value!r}")
        out[name.strip()] = target.strip()
    return out


def _subparser(sub: Any, name: str, summary: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, description=summary, epilog=_EXAMPLES[name],
                          formatter_class=argparse.RawDescriptionHelpFormatter,
                          argument_default=argparse.SUPPRESS)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="RECIPE.toml",
                        help="read options from a TOML recipe (mali-map init writes one); "
                             "flags given here override it")
    parser.add_argument("--lang", metavar="|".join(LANGUAGES),
                        help=f"language of maps and outputs, any case (default "
                             f"{DEFAULTS.lang})")


def _add_input_options(parser: argparse.ArgumentParser, records_required: bool) -> None:
    parser.add_argument("--records", type=Path,
                        help="3W table: CSV/TSV (UTF-8 or cp1252) or XLSX"
                        + (" (required)" if records_required else
                           " (default: the seed dataset)"))
    parser.add_argument("--sheet", help="XLSX sheet name or 0-based index (default: first)")
    parser.add_argument("--boundaries", type=Path,
                        help="ADM1 or ADM2 boundary file (default: embedded geoBoundaries "
                             "regions and cercles)")
    parser.add_argument("--adm2", type=Path, help="ADM2 (cercle) boundary file")
    parser.add_argument("--layer", help="layer of a multi-layer --boundaries file")
    parser.add_argument("--adm2-layer", help="layer of a multi-layer --adm2 file")
    parser.add_argument("--name-column", help="name column of the boundary file")
    parser.add_argument("--code-column", help="code column of the boundary file")
    parser.add_argument("--alias", action="append", metavar="NAME=REGION",
                        dest="region_aliases",
                        help="extra spelling of a region (P-code or name); repeatable")
    parser.add_argument("--adm2-alias", action="append", metavar="NAME=CERCLE",
                        dest="adm2_aliases",
                        help="extra spelling of a cercle (P-code or name); repeatable")
    parser.add_argument("--org-alias", action="append", metavar="NAME=ORGANISATION",
                        dest="organisation_aliases",
                        help="organisation spelling to merge; repeatable")
    parser.add_argument("--sector-alias", action="append", metavar="TEXT=SECTOR",
                        dest="sector_aliases",
                        help="sector text to map to a canonical sector key; repeatable")
    parser.add_argument("--fuzzy-threshold", metavar="0-100",
                        help=f"minimum fuzzy name score (default "
                             f"{DEFAULTS.fuzzy_threshold:g})")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when any row is unmatched, invalid or contradictory")


def _add_map_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--metric", metavar="|".join(METRIC_CHOICES),
                        help=f"what the map colours show (default {DEFAULTS.metric})")
    parser.add_argument("--scheme", metavar="SCHEME",
                        help=f"classification: {', '.join(SCHEME_CHOICES)} (default "
                             f"{DEFAULTS.scheme}; all but quantiles and equal_interval need "
                             "mali-map[schemes])")
    parser.add_argument("--classes", metavar=f"{CLASSES_RANGE[0]}-{CLASSES_RANGE[1]}",
                        help=f"number of colour classes (default {DEFAULTS.classes})")
    parser.add_argument("--paper", metavar="|".join(PAPERS),
                        help=f"paper size of static maps (default {DEFAULTS.paper})")
    parser.add_argument("--orientation", metavar="|".join(ORIENTATIONS),
                        help="of static maps (default landscape) and the snapshot (default "
                             "portrait)")
    parser.add_argument("--dpi", metavar=f"{DPI_RANGE[0]}-{DPI_RANGE[1]}",
                        help=f"PNG resolution (default {DEFAULTS.dpi})")
    parser.add_argument("--map-id", help="map ID/version printed on static maps; with "
                                         "build --static it also names their files "
                                         "OCHA-style: MLI001_3W_overview_A4_YYYYMMDD.pdf")
    parser.add_argument("--date", nargs="?", const=True, metavar="YYYY-MM-DD",
                        help="production date printed on static maps and the snapshot "
                             "(default: today, or the day of $SOURCE_DATE_EPOCH when set, "
                             "for reproducible builds)")


def _parser() -> argparse.ArgumentParser:
    from .._core import __version__

    parser = _Parser(prog="mali-map", description=__doc__.splitlines()[0],
                     epilog="Run `mali-map COMMAND --help` for a command's options and "
                            "examples.")
    parser.add_argument("--version", action="version", version=f"mali-map {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                metavar="COMMAND")

    build = _subparser(sub, "build", "join records and write the maps, data outputs and "
                                     "join report")
    _add_common(build)
    _add_input_options(build, records_required=False)
    build.add_argument("--out", type=Path,
                       help=f"output folder, replaced as a whole when the build succeeds "
                            f"(default {DEFAULTS.out})")
    build.add_argument("--tiles", metavar="|".join(TILES),
                       help="background of the interactive maps; osm loads tiles online "
                            f"(default {DEFAULTS.tiles})")
    build.add_argument("--title", help="title of the overview page")
    build.add_argument("--static", metavar=",".join(STATIC_FORMATS),
                       help="also write static maps in these formats into OUT/static/ "
                            "(needs mali-map[static])")
    build.add_argument("--hxl", action="store_true",
                       help="add an HXL hashtag row to the CSV outputs and the join report")
    _add_map_options(build)

    validate = _subparser(sub, "validate", "check and join records without rendering")
    _add_common(validate)
    _add_input_options(validate, records_required=True)
    validate.add_argument("--report", type=Path, help="write the join report CSV here")
    validate.add_argument("--hxl", action="store_true",
                          help="add an HXL hashtag row to the join report")

    export = _subparser(sub, "export", "write one static map (PNG, PDF or SVG; needs "
                                       "mali-map[static])")
    _add_common(export)
    _add_input_options(export, records_required=False)
    export.add_argument("--output", "-o", type=Path,
                        help="file to write (required); the format follows the extension")
    export.add_argument("--region", help="region P-code or name (default: all Mali)")
    export.add_argument("--sector", help="sector key or label (default: all sectors)")
    export.add_argument("--title", help="map title")
    _add_map_options(export)

    init = _subparser(sub, "init", "write a commented starter recipe for --config")
    init.add_argument("recipe", nargs="?", type=Path, default=Path("recipe.toml"),
                      help="file to write (default recipe.toml)")
    init.add_argument("--lang", metavar="|".join(LANGUAGES),
                      help="language of the messages (default en)")
    init.add_argument("--force", action="store_true", default=False,
                      help="overwrite an existing file")

    snap = _subparser(sub, "snapshot", "write the printable 3W snapshot report (PDF or "
                                       "self-contained HTML; needs mali-map[static])")
    _add_common(snap)
    _add_input_options(snap, records_required=False)
    snap.add_argument("--output", "-o", type=Path,
                      help="file to write (required): .pdf (printable) or .html (offline)")
    snap.add_argument("--title", help="report title (default: the standard title)")
    snap.add_argument("--producer", help="who produced the report (printed on the cover)")
    _add_map_options(snap)
    return parser


def options_from(args: argparse.Namespace) -> Options:
    """The validated options of a parsed command line: recipe first, then flags."""
    flags: dict[str, Any] = {}
    for name, value in vars(args).items():
        if name.endswith("_aliases"):
            flag = "--" + {"region_aliases": "alias", "adm2_aliases": "adm2-alias",
                           "organisation_aliases": "org-alias",
                           "sector_aliases": "sector-alias"}[name]
            flags[name] = _pairs(value, flag)
        elif name in OPTION_NAMES:
            flags[name] = value
    layers = [read_recipe(args.config)] if getattr(args, "config", None) else []
    return merge(*layers, flags)


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


class _Progress:
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
            progress = _Progress(lang)
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


def _init(args: argparse.Namespace) -> int:
    from .._build import check_language
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


def _language(args: argparse.Namespace) -> str:
    """The language asked for on the command line, for messages before the options are read."""
    lang = str(getattr(args, "lang", None) or "en").lower()
    return lang if lang in LANGUAGES else "en"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    lang = "en"
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exc:  # --help, --version
            return int(exc.code or 0)
        lang = _language(args)
        if args.command == "init":
            return _init(args)
        options = options_from(args)
        lang = options.lang
        handler = {"build": _build, "validate": _validate, "export": _export,
                   "snapshot": _snapshot}[args.command]
        return handler(options, getattr(args, "config", None))
    except _UsageError as exc:
        echo(label("cli.usage_error", lang, message=exc), sys.stderr)
        return EXIT_INPUT
    except (MaliMapError, ValueError) as exc:
        echo(label("cli.error", lang, message=" ".join(str(exc).split())), sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        echo(label("cli.interrupted", lang), sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
