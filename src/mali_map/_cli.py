"""The ``mali-map`` command: a thin layer over the pipeline.

Exit codes: 0 success (warnings and unmatched rows are reported, not fatal);
1 with ``--strict`` when a row is unmatched or invalid or its code, name or point
contradict each other (national and multi-unit rows are never failures); 2 for unusable input or
options, with one line on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ._classify import SCHEMES
from ._errors import MaliMapError
from ._i18n import LANGUAGES
from ._join import FUZZY_THRESHOLD, summarise
from ._model import METRICS, JoinResult
from ._pipeline import join_files, write_report

EXIT_OK, EXIT_STRICT, EXIT_INPUT = 0, 1, 2
STATIC_FORMATS = ("png", "pdf", "svg")


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


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in STATIC_FORMATS]
    if unknown or not formats:
        raise _UsageError(f"--static {text!r}: choose among {', '.join(STATIC_FORMATS)}")
    return formats


def _add_input_options(parser: argparse.ArgumentParser, records_required: bool) -> None:
    parser.add_argument("--records", type=Path, required=records_required,
                        help="3W table: CSV/TSV (UTF-8 or cp1252) or XLSX"
                        + ("" if records_required else " (default: the seed dataset)"))
    parser.add_argument("--sheet", help="XLSX sheet name or 0-based index (default: first)")
    parser.add_argument("--boundaries", type=Path,
                        help="ADM1 or ADM2 boundary file (default: embedded Natural Earth "
                             "regions)")
    parser.add_argument("--adm2", type=Path, help="ADM2 (cercle) boundary file")
    parser.add_argument("--name-column", help="name column of the boundary file")
    parser.add_argument("--code-column", help="code column of the boundary file")
    parser.add_argument("--alias", action="append", metavar="NAME=REGION",
                        help="extra spelling of a region (P-code or name); repeatable")
    parser.add_argument("--adm2-alias", action="append", metavar="NAME=CERCLE",
                        help="extra spelling of a cercle (P-code or name); repeatable")
    parser.add_argument("--org-alias", action="append", metavar="NAME=ORGANISATION",
                        help="organisation spelling to merge; repeatable")
    parser.add_argument("--sector-alias", action="append", metavar="TEXT=SECTOR",
                        help="sector text to map to a canonical sector key; repeatable")
    parser.add_argument("--fuzzy-threshold", type=float, default=FUZZY_THRESHOLD,
                        help=f"minimum fuzzy name score 0-100 (default {FUZZY_THRESHOLD:g})")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when any row is unmatched, invalid or contradictory")


def _add_map_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="en")
    parser.add_argument("--metric", choices=METRICS, default="activities")
    parser.add_argument("--scheme", choices=sorted(SCHEMES), default="quantiles",
                        help="classification scheme (mapclassify)")
    parser.add_argument("--classes", type=int, default=5, help="number of classes (default 5)")
    parser.add_argument("--paper", choices=("A4", "A3"), default="A4")
    parser.add_argument("--orientation", choices=("landscape", "portrait"), default="landscape")
    parser.add_argument("--dpi", type=int, default=300, help="PNG resolution (default 300)")
    parser.add_argument("--map-id", help="map ID/version printed on static maps")
    parser.add_argument("--date", dest="produced", nargs="?", const=date.today().isoformat(),
                        help="print a production date on static maps (default today when "
                             "given without a value; none when omitted, for reproducible files)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mali-map", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    build = sub.add_parser("build", help="join records and write maps and the join report")
    _add_input_options(build, records_required=False)
    build.add_argument("--out", type=Path, default=Path("maps"), help="output folder")
    build.add_argument("--tiles", choices=("none", "osm"), default="none")
    build.add_argument("--title", help="title of the overview page")
    build.add_argument("--static", type=_formats, metavar="png,pdf,svg",
                       help="also write static maps in these formats into OUT/static/")
    _add_map_options(build)

    validate = sub.add_parser("validate", help="check and join records without rendering")
    _add_input_options(validate, records_required=True)
    validate.add_argument("--report", type=Path, help="write the join report CSV here")

    export = sub.add_parser("export", help="write one static map (PNG, PDF or SVG)")
    _add_input_options(export, records_required=False)
    export.add_argument("--output", "-o", type=Path, required=True,
                        help="file to write; the format follows the extension")
    export.add_argument("--region", help="region P-code or name (default: all Mali)")
    export.add_argument("--sector", help="sector key or label (default: all sectors)")
    export.add_argument("--title", help="map title")
    _add_map_options(export)
    return parser


def _join(args: argparse.Namespace) -> JoinResult:
    return join_files(
        args.records, args.boundaries, adm2=args.adm2, sheet=_sheet(args.sheet),
        name_column=args.name_column, code_column=args.code_column,
        region_aliases=_pairs(args.alias, "--alias"),
        adm2_aliases=_pairs(args.adm2_alias, "--adm2-alias"),
        organisation_aliases=_pairs(args.org_alias, "--org-alias"),
        sector_aliases=_pairs(args.sector_alias, "--sector-alias"),
        fuzzy_threshold=args.fuzzy_threshold,
    )


def _sheet(value: str | None) -> str | int | None:
    return int(value) if value is not None and value.isdigit() else value


def _summary(result: JoinResult) -> dict[str, int]:
    out = sys.stdout
    counts = summarise(result)
    print(f"{result.source}: {counts['rows']} rows read, {counts['matched']} matched, "
          f"{counts['warning']} with warnings ({counts['conflicts']} conflicts), "
          f"{counts['national']} national, {counts['multi']} in several units, "
          f"{counts['unmatched']} unmatched, {counts['invalid']} invalid", file=out)
    for note in result.warnings:
        print(f"note: {note}", file=out)
    return counts


def _strict_code(args: argparse.Namespace, counts: dict[str, int]) -> int:
    if args.strict and (counts["unmatched"] or counts["invalid"] or counts["conflicts"]):
        print(f"mali-map: --strict: {counts['unmatched']} unmatched, {counts['invalid']} "
              f"invalid and {counts['conflicts']} conflicting rows (see the join report)",
              file=sys.stderr)
        return EXIT_STRICT
    return EXIT_OK


def _static_options(args: argparse.Namespace) -> dict:
    return {"lang": args.lang, "metric": args.metric, "scheme": args.scheme,
            "k": args.classes, "paper": args.paper, "orientation": args.orientation,
            "map_id": args.map_id, "produced": args.produced}


def _build(args: argparse.Namespace) -> int:
    from ._html import render_site

    result = _join(args)
    out = args.out
    report = write_report(result, out / "join-report.csv")
    pages = render_site(result, out, lang=args.lang, metric=args.metric, scheme=args.scheme,
                        k=args.classes, tiles=args.tiles, title=args.title,
                        report_name=report.name)
    counts = _summary(result)
    print(f"wrote {len(pages)} HTML pages to {out}/ (open {out / 'index.html'}) "
          f"and the join report {report}")
    if args.static:
        from ._export import export_static

        files = export_static(result, out, formats=args.static, dpi=args.dpi,
                              **_static_options(args))
        print(f"wrote {len(files)} static maps to {out / 'static'}/")
    return _strict_code(args, counts)


def _validate(args: argparse.Namespace) -> int:
    result = _join(args)
    counts = _summary(result)
    if args.report:
        print(f"wrote the join report {write_report(result, args.report)}")
    else:
        problems = result.report[result.report["status"] != "matched"]
        for row in problems.itertuples(index=False):
            print(f"row {row.row}: {row.status}: {row.message}")
    return _strict_code(args, counts)


def _export(args: argparse.Namespace) -> int:
    from ._export import export_map

    result = _join(args)
    counts = _summary(result)
    path = export_map(result, args.output, region=args.region, sector=args.sector,
                      title=args.title, dpi=args.dpi, **_static_options(args))
    print(f"wrote {path}")
    return _strict_code(args, counts)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = _parser().parse_args(argv)
        handler = {"build": _build, "validate": _validate, "export": _export}[args.command]
        return handler(args)
    except _UsageError as exc:
        print(f"mali-map: error: {exc} (see mali-map --help)", file=sys.stderr)
        return EXIT_INPUT
    except (MaliMapError, ValueError) as exc:
        print(f"mali-map: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
