"""The ``mali-map`` command line, generated from the :class:`Options` fields.

Each option's flag spelling, help text, metavar and kind live in its field's metadata
(:class:`mali_map._build.Flag`); this module only places them in the subcommands
(:data:`COMMANDS`) and adds the flags that are not options (``--config``, ``init``'s).
Per-level flags (``--adm2``, ``--adm2-layer``, ``--adm2-alias``) come from the level
registry, read when the parser is built: one set for every level after the first that
:class:`Options` carries.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any

from .._build import LANGUAGES, OPTION_NAMES, Flag, Options, merge, read_recipe
from .._reference import LEVELS, Level

__all__ = ["COMMANDS", "UsageError", "flag_specs", "language", "options_from", "parser"]

DESCRIPTION = "The ``mali-map`` command: a thin layer over the pipeline."

#: Each subcommand: its summary and its options, in order (``input`` and ``map`` stand
#: for the fields of that group, in field order).
COMMANDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "build": ("join records and write the maps, data outputs and join report",
              ("input", "out", "tiles", "title", "static", "hxl", "map")),
    "validate": ("check and join records without rendering", ("input", "report", "hxl")),
    "export": ("write one static map (PNG, PDF or SVG; needs mali-map[static])",
               ("input", "output", "region", "sector", "title", "map")),
    "snapshot": ("write the printable 3W snapshot report (PDF or self-contained HTML; needs "
                 "mali-map[static])", ("input", "output", "title", "producer", "map")),
}
_INIT = "write a commented starter recipe for --config"

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


class UsageError(Exception):
    """Bad command-line options (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for bad input
        raise UsageError(message)


@dataclass(frozen=True)
class Spec:
    """One command-line flag of an option: the field it sets and how it is spelled."""

    dest: str
    spelling: str
    flag: Flag
    group: str
    default: Any
    names: dict[str, str]

    def help(self, command: str) -> str:
        return self.flag.help_for(command).format(default=self.default, **self.names)


def _names(level: Level) -> dict[str, str]:
    one = level.label("en").lower()
    return {"key": level.key, "KEY": level.key.upper(), "one": one, "ONE": one.upper()}


def flag_specs() -> list[Spec]:
    """Every option flag, in field order; per-level templates expanded for the levels
    after the first that :class:`Options` carries (read from the registry now).

    >>> [s.spelling for s in flag_specs() if s.flag.level_field]
    ['--adm2', '--adm2-layer', '--adm2-alias']
    """
    specs = []
    for f in fields(Options):
        flag: Flag = f.metadata["flag"]
        default = f.default if f.default is not MISSING else None
        if flag.level_field:
            for level in LEVELS[1:]:
                names = _names(level)
                dest = flag.level_field.format(**names)
                if dest in OPTION_NAMES:
                    specs.append(Spec(dest, flag.spelling.format(**names), flag, flag.group,
                                      default, names))
        else:
            specs.append(Spec(f.name, flag.spelling or "--" + f.name.replace("_", "-"), flag,
                              flag.group, default, {}))
    return specs


def _add(parser: argparse.ArgumentParser, spec: Spec, command: str) -> None:
    flag = spec.flag
    kwargs: dict[str, Any] = {"dest": spec.dest, "help": spec.help(command)}
    if flag.kind == "switch":
        kwargs["action"] = "store_true"
    elif flag.kind == "pairs":
        kwargs["action"] = "append"
    elif flag.kind == "optional":
        kwargs.update(nargs="?", const=True)
    elif flag.kind == "path":
        kwargs["type"] = Path
    if flag.metavar:
        kwargs["metavar"] = flag.metavar.format(**spec.names)
    parser.add_argument(spec.spelling, *([flag.short] if flag.short else []), **kwargs)


def _subparser(sub: Any, name: str, summary: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, description=summary, epilog=_EXAMPLES[name],
                          formatter_class=argparse.RawDescriptionHelpFormatter,
                          argument_default=argparse.SUPPRESS)


def _command(sub: Any, command: str, specs: list[Spec]) -> None:
    summary, parts = COMMANDS[command]
    parser = _subparser(sub, command, summary)
    parser.add_argument("--config", type=Path, metavar="RECIPE.toml",
                        help="read options from a TOML recipe (mali-map init writes one); "
                             "flags given here override it")
    for spec in specs:
        if spec.group == "common":
            _add(parser, spec, command)
    for part in parts:
        for spec in specs:
            if (spec.group, part) in (("input", "input"), ("map", "map")) or (
                    spec.group == "command" and spec.dest == part):
                _add(parser, spec, command)


def parser() -> argparse.ArgumentParser:
    """The ``mali-map`` parser, built from the :class:`Options` fields and the registry."""
    from .._core import __version__

    top = _Parser(prog="mali-map", description=DESCRIPTION,
                  epilog="Run `mali-map COMMAND --help` for a command's options and examples.")
    top.add_argument("--version", action="version", version=f"mali-map {__version__}")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser,
                             metavar="COMMAND")
    specs = flag_specs()
    for command in ("build", "validate", "export"):
        _command(sub, command, specs)
    init = _subparser(sub, "init", _INIT)
    init.add_argument("recipe", nargs="?", type=Path, default=Path("recipe.toml"),
                      help="file to write (default recipe.toml)")
    init.add_argument("--lang", metavar="|".join(LANGUAGES),
                      help="language of the messages (default en)")
    init.add_argument("--force", action="store_true", default=False,
                      help="overwrite an existing file")
    _command(sub, "snapshot", specs)
    return top


def _pairs(values: Sequence[str] | None, option: str) -> dict[str, str]:
    out = {}
    for value in values or ():
        name, sep, target = value.partition("=")
        if not sep or not name.strip() or not target.strip():
            raise UsageError(f"{option} expects NAME=TARGET, got {value!r}")
        out[name.strip()] = target.strip()
    return out


def options_from(args: argparse.Namespace) -> Options:
    """The validated options of a parsed command line: recipe first, then flags."""
    pairs = {s.dest: s.spelling for s in flag_specs() if s.flag.kind == "pairs"}
    flags: dict[str, Any] = {}
    for name, value in vars(args).items():
        if name in pairs:
            flags[name] = _pairs(value, pairs[name])
        elif name in OPTION_NAMES:
            flags[name] = value
    layers = [read_recipe(args.config)] if getattr(args, "config", None) else []
    return merge(*layers, flags)


def language(args: argparse.Namespace) -> str:
    """The language asked for on the command line, for messages before the options are read."""
    lang = str(getattr(args, "lang", None) or "en").lower()
    return lang if lang in LANGUAGES else "en"
